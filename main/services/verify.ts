// Verify and Inspect views: PDFs on their own, other files with the .p7s or .tsr dropped beside them (matched by
// name); always offline, against the trust store only.
import { readFile } from 'node:fs/promises';
import { listTrustAnchors } from '../../core/ledger/index.js';
import { isPdfFile } from '../../core/fs/sniff.js';
import { describeFsError, hashFile } from '../../core/hash/index.js';
import { InputError } from '../../core/errors.js';
import { extractRevision, verifyPdf } from '../../core/pades/verify/index.js';
import { writeReport } from '../../core/report/write.js';
import { verifyFileAgainstToken } from '../../core/stamp/index.js';
import { decodeTimeStamp, inspectTimeStamp } from '../../core/tsp/index.js';
import { writeNewFile } from '../../core/fs/atomic.js';
import { resolve } from 'node:path';
import { verifyCades } from '../../core/validation/index.js';
import type { VerifyItem } from '../../preload/api.js';
import { expandPaths, itemError, type ServiceContext } from './context.js';

export function verifyService(c: ServiceContext) {
  return (r: { paths: string[] }): Promise<VerifyItem[]> => verifyBatch(c, r.paths, {});
}

/** Verifies each document in turn (PDFs alone, other files with their .p7s/.tsr); stops starting new ones once aborted. */
export function verifyBatch(c: ServiceContext, given: readonly string[], o: { signal?: AbortSignal; onItem?: (done: number) => void }): Promise<VerifyItem[]> {
  return c.withDb(async (db) => {
    const anchors = listTrustAnchors(db).map((a) => a.der);
    const paths = expandPaths(given, { keepTokens: true });
    const companions = new Set(paths.filter((p) => /\.(p7s|tsr)$/i.test(p)));
    const out: VerifyItem[] = [];
    for (const file of paths.filter((p) => !companions.has(p))) {
      if (o.signal?.aborted) {
        out.push({ file, error: { code: 'CANCELLED', message: 'cancelled before it was verified' } });
        continue;
      }
      out.push(await verifyOne(file, companions, anchors));
      o.onItem?.(out.length);
    }
    return out;
  });
}

async function verifyOne(file: string, companions: ReadonlySet<string>, anchors: Uint8Array[]): Promise<VerifyItem> {
  try {
    const p7s = [...companions].find((x) => x.toLowerCase() === `${file.toLowerCase()}.p7s`);
    const tsr = [...companions].find((x) => x.toLowerCase() === `${file.toLowerCase()}.tsr`);
    if (p7s) {
      const report = await verifyCades(await readFile(p7s), { digestContent: async (alg) => (await hashFile(file, [alg])).digests[alg], anchors, now: new Date() });
      return { file, kind: 'p7s', report: { format: 'cades', cades: report } };
    }
    if (tsr) return { file, kind: 'tsr', report: await verifyFileAgainstToken(file, await readFile(tsr), { extraCertificates: [], anchors }) };
    if (await isPdfFile(file)) return { file, kind: 'pdf', report: await verifyPdf(file, { anchors, now: new Date(), online: null }) };
    return { file, error: { code: 'USAGE', message: 'drop this file together with its .p7s or .tsr (same name plus the extension)' } };
  } catch (err) {
    return { file, error: itemError(err) };
  }
}

export function inspectService() {
  return async (r: { path: string }): Promise<unknown> => {
    const bytes = await readFile(r.path).catch((err: NodeJS.ErrnoException) => {
      throw new InputError('INPUT_UNREADABLE', `cannot read ${r.path}: ${describeFsError(err)}`, { cause: err });
    });
    const report = await inspectTimeStamp(new Uint8Array(bytes));
    // Plain data for the renderer: certificates as base64 DER, for "download raw DER".
    return { ...report, signerDer: report.signerDer ? Buffer.from(report.signerDer).toString('base64') : null, certificates: report.certificates.map((d) => Buffer.from(d).toString('base64')) };
  };
}

/** Inspect → save: the token's raw DER (a .tsr holds a TimeStampResp; this is the TimeStampToken inside) or the TSA's certificate (PEM). */
export function inspectExportService() {
  return async (r: { path: string; what: 'token' | 'tsa-certificate'; out: string }): Promise<{ path: string }> => {
    const decoded = decodeTimeStamp(new Uint8Array(await readFile(r.path)));
    const token = decoded.token;
    if (!token) throw new InputError('TOKEN_MALFORMED', `${r.path} holds no time-stamp token (the TSA refused the request)`);
    const out = resolve(r.out);
    if (r.what === 'token') await writeNewFile(out, token.der);
    else {
      const report = await inspectTimeStamp(token.der);
      if (!report.signerDer) throw new InputError('CERT_NOT_FOUND', 'the token does not carry its TSA certificate');
      await writeNewFile(out, Buffer.from(`-----BEGIN CERTIFICATE-----\n${Buffer.from(report.signerDer).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`));
    }
    return { path: out };
  };
}

export function reportServices(c: ServiceContext) {
  return {
    /** Verifies again (the report must say what was checked now) and writes HTML or PDF by extension. */
    report: (r: { paths: string[]; out: string }) =>
      c.withDb(async (db) => {
        const anchors = listTrustAnchors(db).map((a) => a.der);
        const reports = [];
        for (const p of r.paths) if (await isPdfFile(p)) reports.push(await verifyPdf(p, { anchors, now: new Date(), online: null }));
        return { path: await writeReport(r.out, reports, { tool: `Sealdesk ${c.opts.version}`, generatedAt: new Date().toISOString() }) };
      }),
    extractRevision: async (r: { path: string; revision: number; out: string }) => {
      const x = await extractRevision(r.path, r.revision, r.out);
      return { path: x.path, bytes: x.bytes };
    },
  };
}
