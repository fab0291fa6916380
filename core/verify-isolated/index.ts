// Verification of untrusted files in resource-limited worker threads (issue 14, "Isolation"): the public surface.
export {
  DEFAULT_ISOLATION_LIMITS,
  IsolatedVerifier,
  IsolationError,
  runIsolated,
  workerScript,
  type IsolationLimits,
  type IsolationOptions,
} from './runner.js';
export type { IsolatedJob, JobKind, JobOf, JobResults } from './jobs.js';
