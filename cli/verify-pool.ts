// `sealdesk verify` never parses an untrusted file in its own thread: every PDF, .p7s, .p7m and .tsr is verified in a
// resource-limited worker (core/verify-isolated), PDFs one per core; a file over a limit ends as RESOURCE_LIMIT alone.
import { availableParallelism } from 'node:os';
import { CoreError } from '../core/errors.js';
import type { PdfReport } from '../core/pades/verify/index.js';
import type { PdfLimits } from '../core/pdf/limits.js';
import { mapPool, type Settled } from '../core/util/pool.js';
import { DEFAULT_ISOLATION_LIMITS, IsolatedVerifier, IsolationError, runIsolated, type IsolationLimits, type JobKind, type JobOf, type JobResults } from '../core/verify-isolated/index.js';
import { positiveInt } from './args.js';
import { errorJson, type ErrorJson } from './output.js';

/** The limits `verify` takes from its flags: the worker's heap and clock, and the PDF reader's decode budget. */
export type VerifyLimits = { readonly isolation: Partial<IsolationLimits>; readonly pdf: Partial<PdfLimits> };

export const LIMIT_OPTIONS = {
  'max-heap-mb': { type: 'string' },
  'timeout-s': { type: 'string' },
  'max-decoded-mb': { type: 'string' },
  'max-objects': { type: 'string' },
} as const;

type LimitFlags = { 'max-heap-mb'?: string; 'timeout-s'?: string; 'max-decoded-mb'?: string; 'max-objects'?: string };

export function limitsFrom(f: LimitFlags): VerifyLimits {
  const mb = (name: keyof LimitFlags, max: number) => (f[name] === undefined ? undefined : positiveInt(`--${name}`, f[name], 1, max));
  const heap = mb('max-heap-mb', 64 * 1024);
  const timeout = mb('timeout-s', 7 * 24 * 3600);
  const decoded = mb('max-decoded-mb', 1024 * 1024);
  const objects = mb('max-objects', 1_000_000_000);
  return {
    isolation: { ...(heap !== undefined ? { maxHeapMb: heap } : {}), ...(timeout !== undefined ? { timeoutS: timeout } : {}) },
    pdf: { ...(decoded !== undefined ? { maxDecodedBytes: decoded * 1024 * 1024 } : {}), ...(objects !== undefined ? { maxObjects: objects } : {}) },
  };
}

export type PdfVerifyInput = {
  readonly anchors: readonly Uint8Array[];
  readonly devAnchors: readonly Uint8Array[];
  readonly at?: Date;
  readonly now: Date;
  /** `--online`: the ledger the workers open for the revocation cache. */
  readonly online: { readonly ledgerPath: string; readonly timeoutMs?: number; readonly allowPrivateNetwork?: boolean } | null;
};

/** Each PDF in a worker, as many at once as there are cores; results in input order, errors kept per file. */
export async function verifyMany(files: readonly string[], o: PdfVerifyInput, limits: VerifyLimits = { isolation: {}, pdf: {} }): Promise<Settled<PdfReport>[]> {
  const threads = Math.max(1, Math.min(availableParallelism(), files.length));
  const verifier = new IsolatedVerifier({ threads, limits: limits.isolation });
  try {
    return await mapPool(files, threads, (file) =>
      verifier.run({ kind: 'pdf', file, anchors: o.anchors, devAnchors: o.devAnchors, at: o.at?.toISOString() ?? null, now: o.now.toISOString(), pdfLimits: limits.pdf, online: o.online }),
    );
  } finally {
    await verifier.close();
  }
}

/** One .p7s / .p7m / .tsr / revision job in a worker of its own. */
export function verifyIsolated<K extends JobKind>(job: JobOf<K>, limits: VerifyLimits = { isolation: {}, pdf: {} }): Promise<JobResults[K]> {
  return runIsolated(job, { limits: limits.isolation });
}

export const isResourceLimit = (err: unknown): err is CoreError => err instanceof CoreError && err.code === 'RESOURCE_LIMIT';

/** A file that could not be evaluated within a limit: INDETERMINATE, the limit and how to raise it in the message. */
export function resourceLimitJson(err: CoreError, file: string): ErrorJson {
  return errorJson(err, { file, indication: 'INDETERMINATE', ...(err instanceof IsolationError ? { limit: err.limit } : {}) });
}

export const LIMIT_DEFAULTS = DEFAULT_ISOLATION_LIMITS;
