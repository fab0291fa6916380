// What an isolated verifier can be asked to do with an untrusted file (issue 14, "Isolation"), and doing it: this module
// runs inside the worker thread only; the caller sends a job as plain data and gets plain data back.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { attachedContent, parseSignedData } from '../cms/index.js';
import { CoreError, InputError } from '../errors.js';
import { writeNewFile } from '../fs/index.js';
import { describeFsError, hashFile } from '../hash/index.js';
import { openLedger } from '../ledger/index.js';
import { extractRevision, verifyPdf, type PdfReport, type VerifyOptions } from '../pades/verify/index.js';
import type { PdfLimits } from '../pdf/limits.js';
import { verifyFileAgainstToken, type FileTokenVerification } from '../stamp/index.js';
import { decodeTimeStamp, inspectTimeStamp, type TokenReport } from '../tsp/index.js';
import { pemEncode } from '../util/pem.js';
import { cachedTlContext, cadesTl, type TlJobInput } from '../tl/assess.js';
import { verifyCades, type CadesReport } from '../validation/index.js';

type Trust = {
  readonly anchors: readonly Uint8Array[];
  readonly devAnchors?: readonly Uint8Array[];
  /** The EU trusted lists, when loaded (qualification; trust with `trustEu`). */
  readonly tl?: TlJobInput | null;
};

/** Every job names the file a limit message is about (`file`); times travel as ISO strings. */
export type IsolatedJob =
  | (Trust & {
      readonly kind: 'pdf';
      readonly file: string;
      readonly at: string | null;
      readonly now: string;
      readonly pdfLimits?: Partial<PdfLimits>;
      /** `--online`: the worker opens this ledger itself (revocation cache) and fetches what is missing. */
      readonly online?: {
        readonly ledgerPath: string;
        readonly timeoutMs?: number;
        readonly allowPrivateNetwork?: boolean;
      } | null;
    })
  | { readonly kind: 'pdf-revision'; readonly file: string; readonly revision: number; readonly out: string }
  /** A .p7s beside `content` (detached), or an enveloping .p7m (`content` absent; `extract` writes its content). */
  | (Trust & {
      readonly kind: 'cades';
      readonly file: string;
      readonly signature: string;
      readonly content?: string;
      readonly tsr?: string;
      readonly extract?: string;
      readonly now: string;
    })
  | {
      readonly kind: 'token-file';
      readonly file: string;
      readonly tsr: string;
      readonly extraCertificates: readonly Uint8Array[];
      readonly anchors: readonly Uint8Array[];
      readonly tl?: TlJobInput | null;
    }
  | { readonly kind: 'inspect'; readonly file: string; readonly extraCertificates: readonly Uint8Array[] }
  | {
      readonly kind: 'inspect-export';
      readonly file: string;
      readonly what: 'token' | 'tsa-certificate';
      readonly out: string;
    };

export type JobKind = IsolatedJob['kind'];
export type JobOf<K extends JobKind> = Extract<IsolatedJob, { kind: K }>;
export type JobResults = {
  pdf: PdfReport;
  'pdf-revision': { path: string; bytes: number; revisions: number };
  cades: { report: CadesReport; extractedTo: string | null };
  'token-file': FileTokenVerification;
  inspect: TokenReport;
  'inspect-export': { path: string };
};

export async function runJob(job: IsolatedJob): Promise<JobResults[JobKind]> {
  switch (job.kind) {
    case 'pdf':
      return verifyPdfJob(job);
    case 'pdf-revision':
      return extractRevision(job.file, job.revision, job.out);
    case 'cades':
      return cadesJob(job);
    case 'token-file':
      return verifyFileAgainstToken(job.file, readInput(job.tsr, 'token'), {
        extraCertificates: [...job.extraCertificates],
        anchors: [...job.anchors],
        tl: cachedTlContext(job.tl),
      });
    case 'inspect':
      return inspectTimeStamp(readInput(job.file, 'token'), { extraCertificates: [...job.extraCertificates] });
    case 'inspect-export':
      return inspectExport(job);
  }
}

async function verifyPdfJob(job: JobOf<'pdf'>): Promise<PdfReport> {
  const db = job.online ? openLedger(job.online.ledgerPath) : null;
  try {
    const online = db
      ? {
          db,
          now: () => new Date(),
          timeoutMs: job.online?.timeoutMs,
          network: { allowPrivateNetwork: job.online?.allowPrivateNetwork === true },
        }
      : null;
    const o: VerifyOptions & { pdfLimits?: Partial<PdfLimits> } = {
      anchors: job.anchors,
      devAnchors: job.devAnchors,
      at: job.at ? new Date(job.at) : undefined,
      now: new Date(job.now),
      online,
      pdfLimits: job.pdfLimits,
      tl: cachedTlContext(job.tl),
    };
    return await verifyPdf(job.file, o);
  } finally {
    db?.close();
  }
}

async function cadesJob(job: JobOf<'cades'>): Promise<JobResults['cades']> {
  const der = readInput(job.signature, job.content ? 'signature' : 'signed file');
  const content = job.content;
  const report = await verifyCades(der, {
    digestContent: content ? async (alg) => (await hashFile(content, [alg])).digests[alg] : undefined,
    anchors: job.anchors,
    devAnchors: job.devAnchors,
    externalTsr: job.tsr ? readInput(job.tsr, 'token') : undefined,
    now: new Date(job.now),
    tl: cadesTl(cachedTlContext(job.tl)),
  });
  if (!job.extract) return { report, extractedTo: null };
  if (!report.intact)
    throw new CoreError('CMS_MALFORMED', `not extracted: the content of ${job.signature} does not match its signature`);
  const out = resolve(job.extract);
  await writeNewFile(out, attachedContent(parseSignedData(der, 'signed file (.p7m)'))!);
  return { report, extractedTo: out };
}

/** Inspect → save: the token's raw DER (a .tsr holds a TimeStampResp; this is the TimeStampToken in it) or the TSA's certificate (PEM). */
async function inspectExport(job: JobOf<'inspect-export'>): Promise<{ path: string }> {
  const token = decodeTimeStamp(readInput(job.file, 'token')).token;
  if (!token)
    throw new InputError('TOKEN_MALFORMED', `${job.file} holds no time-stamp token (the TSA refused the request)`);
  const out = resolve(job.out);
  if (job.what === 'token') await writeNewFile(out, token.der);
  else {
    const report = await inspectTimeStamp(token.der);
    if (!report.signerDer) throw new InputError('CERT_NOT_FOUND', 'the token does not carry its TSA certificate');
    await writeNewFile(out, Buffer.from(pemEncode(report.signerDer)));
  }
  return { path: out };
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new InputError(
      'INPUT_UNREADABLE',
      `cannot read ${what} ${path}: ${describeFsError(err as NodeJS.ErrnoException)}`,
      { cause: err },
    );
  }
}
