// A worker thread that verifies PDFs for `sealdesk verify` on many files: one per core, same code as in-process.
import { parentPort } from 'node:worker_threads';
import { CoreError, errorMessage } from '../core/errors.js';
import { verifyPdf } from '../core/pades/verify/index.js';

export type VerifyJob = { id: number; path: string; anchors: Uint8Array[]; devAnchors: Uint8Array[]; at: string | null; now: string };
export type VerifyDone = { id: number; report?: unknown; error?: { code: string; message: string } };

parentPort?.on('message', (job: VerifyJob) => {
  verifyPdf(job.path, { anchors: job.anchors, devAnchors: job.devAnchors, at: job.at ? new Date(job.at) : undefined, now: new Date(job.now), online: null })
    .then((report) => parentPort!.postMessage({ id: job.id, report } satisfies VerifyDone))
    .catch((err: unknown) => parentPort!.postMessage({ id: job.id, error: { code: err instanceof CoreError ? err.code : 'INPUT_UNREADABLE', message: errorMessage(err) } } satisfies VerifyDone));
});
