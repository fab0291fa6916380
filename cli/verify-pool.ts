// `sealdesk verify`'s resource limits from its flags (the worker's heap and clock, the PDF reader's decode budget) and
// how a file over a limit is reported; the verification itself is core/app/verify-any, in isolated workers.
import type { VerifyLimits } from '../core/app/verify-any.js';
import { CoreError } from '../core/errors.js';
import { IsolationError } from '../core/verify-isolated/index.js';
import { positiveInt } from './args.js';
import { errorJson, type ErrorJson } from './output.js';

export type { VerifyLimits } from '../core/app/verify-any.js';

export const LIMIT_OPTIONS = {
  'max-heap-mb': { type: 'string' },
  'timeout-s': { type: 'string' },
  'max-decoded-mb': { type: 'string' },
  'max-objects': { type: 'string' },
} as const;

type LimitFlags = { 'max-heap-mb'?: string; 'timeout-s'?: string; 'max-decoded-mb'?: string; 'max-objects'?: string };

export function limitsFrom(f: LimitFlags): VerifyLimits {
  const mb = (name: keyof LimitFlags, max: number) =>
    f[name] === undefined ? undefined : positiveInt(`--${name}`, f[name], 1, max);
  const heap = mb('max-heap-mb', 64 * 1024);
  const timeout = mb('timeout-s', 7 * 24 * 3600);
  const decoded = mb('max-decoded-mb', 1024 * 1024);
  const objects = mb('max-objects', 1_000_000_000);
  return {
    isolation: {
      ...(heap !== undefined ? { maxHeapMb: heap } : {}),
      ...(timeout !== undefined ? { timeoutS: timeout } : {}),
    },
    pdf: {
      ...(decoded !== undefined ? { maxDecodedBytes: decoded * 1024 * 1024 } : {}),
      ...(objects !== undefined ? { maxObjects: objects } : {}),
    },
  };
}

export const isResourceLimit = (err: unknown): err is CoreError =>
  err instanceof CoreError && err.code === 'RESOURCE_LIMIT';

/** A file that could not be evaluated within a limit: INDETERMINATE, the limit and how to raise it in the message. */
export function resourceLimitJson(err: CoreError, file: string): ErrorJson {
  return errorJson(err, {
    file,
    indication: 'INDETERMINATE',
    ...(err instanceof IsolationError ? { limit: err.limit } : {}),
  });
}
