// The worker thread entry of the isolated verifier: runs one job at a time and answers with plain data. Errors become
// {code, message}; the RangeErrors V8 throws when an input exhausts a structure (stack, Map, array, buffer) are
// RESOURCE_LIMIT: what the file asked for, not a bug of ours.
import { parentPort } from 'node:worker_threads';
import { CoreError, errorMessage } from '../errors.js';
import { runJob, type IsolatedJob } from './jobs.js';

export type JobRequest = { readonly id: number; readonly job: IsolatedJob };
/** `started` first (the caller's clock starts then), then the value or the error. */
export type JobReply = {
  readonly id: number;
  readonly started?: true;
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
};

const EXHAUSTED =
  /Maximum call stack size exceeded|Map maximum size exceeded|Set maximum size exceeded|Invalid array length|Invalid typed array length|Invalid string length|Array buffer allocation failed/;

export function replyError(err: unknown, file: string): NonNullable<JobReply['error']> {
  if (err instanceof CoreError) return { code: err.code, message: err.message };
  if (err instanceof RangeError && EXHAUSTED.test(err.message)) {
    return {
      code: 'RESOURCE_LIMIT',
      message: `${file} exhausts the verifier (${err.message}): its structure is nested or repeated beyond what can be evaluated`,
    };
  }
  return { code: 'INTERNAL', message: errorMessage(err) };
}

parentPort?.on('message', ({ id, job }: JobRequest) => {
  parentPort!.postMessage({ id, started: true } satisfies JobReply);
  runJob(job).then(
    (value) => {
      try {
        parentPort!.postMessage({ id, value } satisfies JobReply);
      } catch (err) {
        parentPort!.postMessage({ id, error: replyError(err, job.file) } satisfies JobReply);
      }
    },
    (err: unknown) => parentPort!.postMessage({ id, error: replyError(err, job.file) } satisfies JobReply),
  );
});
