// Verify and Inspect views: PDFs on their own, other files with the .p7s or .tsr dropped beside them (matched by
// name); always offline, against the trust store only. Every untrusted file is parsed in a resource-limited worker
// (core/verify-isolated), never on the main thread: a hostile file ends as RESOURCE_LIMIT and the app keeps answering.
import { listTrustAnchors } from '../../core/ledger/index.js';
import { isPdfFile } from '../../core/fs/sniff.js';
import { writeReport } from '../../core/report/write.js';
import { IsolatedVerifier, runIsolated, type IsolationOptions } from '../../core/verify-isolated/index.js';
import type { VerifyItem } from '../../preload/api.js';
import { expandPaths, itemError, type ServiceContext } from './context.js';

/** The desktop has no flags: a limit message says so (the CLI's `sealdesk verify --max-heap-mb / --timeout-s` can). */
const DESKTOP_RAISE = { heap: 'sealdesk verify --max-heap-mb can allow more', timeout: 'sealdesk verify --timeout-s can allow more' };
const isolation = (c?: ServiceContext): IsolationOptions => ({ limits: c?.opts.verifyLimits, raiseWith: DESKTOP_RAISE });

export function verifyService(c: ServiceContext) {
  return (r: { paths: string[] }): Promise<VerifyItem[]> => verifyBatch(c, r.paths, {});
}

/** Verifies each document in turn (PDFs alone, other files with their .p7s/.tsr); stops starting new ones once aborted. */
export async function verifyBatch(c: ServiceContext, given: readonly string[], o: { signal?: AbortSignal; onItem?: (done: number) => void }): Promise<VerifyItem[]> {
  const anchors = await c.withDb((db) => listTrustAnchors(db).map((a) => a.der));
  const paths = expandPaths(given, { keepTokens: true });
  const companions = new Set(paths.filter((p) => /\.(p7s|tsr)$/i.test(p)));
  const out: VerifyItem[] = [];
  const verifier = new IsolatedVerifier(isolation(c));
  try {
    for (const file of paths.filter((p) => !companions.has(p))) {
      if (o.signal?.aborted) {
        out.push({ file, error: { code: 'CANCELLED', message: 'cancelled before it was verified' } });
        continue;
      }
      out.push(await verifyOne(verifier, file, companions, anchors));
      o.onItem?.(out.length);
    }
  } finally {
    await verifier.close();
  }
  return out;
}

async function verifyOne(verifier: IsolatedVerifier, file: string, companions: ReadonlySet<string>, anchors: Uint8Array[]): Promise<VerifyItem> {
  try {
    const p7s = [...companions].find((x) => x.toLowerCase() === `${file.toLowerCase()}.p7s`);
    const tsr = [...companions].find((x) => x.toLowerCase() === `${file.toLowerCase()}.tsr`);
    const now = new Date().toISOString();
    if (p7s) return { file, kind: 'p7s', report: { format: 'cades', cades: (await verifier.run({ kind: 'cades', file, signature: p7s, content: file, anchors, now })).report } };
    if (tsr) return { file, kind: 'tsr', report: await verifier.run({ kind: 'token-file', file, tsr, extraCertificates: [], anchors }) };
    if (await isPdfFile(file)) return { file, kind: 'pdf', report: await verifier.run({ kind: 'pdf', file, anchors, at: null, now, online: null }) };
    return { file, error: { code: 'USAGE', message: 'drop this file together with its .p7s or .tsr (same name plus the extension)' } };
  } catch (err) {
    return { file, error: itemError(err) };
  }
}

export function inspectService(c?: ServiceContext) {
  return async (r: { path: string }): Promise<unknown> => {
    const report = await runIsolated({ kind: 'inspect', file: r.path, extraCertificates: [] }, isolation(c));
    // Plain data for the renderer: certificates as base64 DER, for "download raw DER".
    return { ...report, signerDer: report.signerDer ? Buffer.from(report.signerDer).toString('base64') : null, certificates: report.certificates.map((d) => Buffer.from(d).toString('base64')) };
  };
}

/** Inspect → save: the token's raw DER (a .tsr holds a TimeStampResp; this is the TimeStampToken inside) or the TSA's certificate (PEM). */
export function inspectExportService(c?: ServiceContext) {
  return (r: { path: string; what: 'token' | 'tsa-certificate'; out: string }): Promise<{ path: string }> =>
    runIsolated({ kind: 'inspect-export', file: r.path, what: r.what, out: r.out }, isolation(c));
}

export function reportServices(c: ServiceContext) {
  return {
    /** Verifies again (the report must say what was checked now) and writes HTML or PDF by extension. */
    report: (r: { paths: string[]; out: string }) =>
      c.withDb((db) => listTrustAnchors(db).map((a) => a.der)).then(async (anchors) => {
        const verifier = new IsolatedVerifier(isolation(c));
        const reports = [];
        try {
          const now = new Date().toISOString();
          for (const p of r.paths) if (await isPdfFile(p)) reports.push(await verifier.run({ kind: 'pdf', file: p, anchors, at: null, now, online: null }));
        } finally {
          await verifier.close();
        }
        return { path: await writeReport(r.out, reports, { tool: `Sealdesk ${c.opts.version}`, generatedAt: new Date().toISOString() }) };
      }),
    extractRevision: async (r: { path: string; revision: number; out: string }) => {
      const x = await runIsolated({ kind: 'pdf-revision', file: r.path, revision: r.revision, out: r.out }, isolation(c));
      return { path: x.path, bytes: x.bytes };
    },
  };
}
