// Exit codes (the CLI contract) and how per-input codes combine into one.
import { AllTsasFailedError, CoreError } from '../core/errors.js';

export const EXIT = { ok: 0, verifyFailed: 1, usage: 2, allTsasFailed: 3, queued: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Most severe first: 2, then 3, then 1, then 4, then 0. */
const SEVERITY: readonly ExitCode[] = [2, 3, 1, 4, 0];

export function combineExit(codes: readonly ExitCode[]): ExitCode {
  return SEVERITY.find((c) => codes.includes(c)) ?? EXIT.ok;
}

export function exitFor(err: unknown): ExitCode {
  if (err instanceof AllTsasFailedError) return EXIT.allTsasFailed;
  if (err instanceof CoreError && err.code === 'TSA_FAILED') return EXIT.allTsasFailed;
  if (err instanceof CoreError && err.code === 'NO_QUALIFIED_TSA') return EXIT.allTsasFailed;
  if (err instanceof CoreError && err.code === 'OFFLINE') return EXIT.queued;
  return EXIT.usage;
}
