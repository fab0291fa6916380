// Verifies many PDFs across cores with worker threads when the built worker is at hand (the shipped CLI); from
// sources (tests) or with --online (which needs the ledger) it verifies in this thread, a few files at a time.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CoreError } from '../core/errors.js';
import { verifyPdf, type PdfReport, type VerifyOptions } from '../core/pades/verify/index.js';
import { mapPool, type Settled } from '../core/util/pool.js';
import type { VerifyDone, VerifyJob } from './verify-worker.js';

export async function verifyMany(files: readonly string[], o: VerifyOptions): Promise<Settled<PdfReport>[]> {
  const script = fileURLToPath(new URL('./verify-worker.js', import.meta.url));
  const threads = Math.min(availableParallelism(), files.length);
  if (files.length < 2 || threads < 2 || o.online || !existsSync(script)) return mapPool(files, 4, (file) => verifyPdf(file, o));
  const results: Settled<PdfReport>[] = new Array(files.length);
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(script);
      const send = () => {
        if (next >= files.length) return void worker.terminate().then(() => resolve());
        const id = next++;
        worker.postMessage({ id, path: files[id]!, anchors: [...o.anchors], devAnchors: [...(o.devAnchors ?? [])], at: o.at?.toISOString() ?? null, now: o.now.toISOString() } satisfies VerifyJob);
      };
      worker.on('message', (m: VerifyDone) => {
        results[m.id] = m.report ? { value: m.report as PdfReport } : { error: new CoreError(m.error!.code as CoreError['code'], m.error!.message) };
        send();
      });
      worker.on('error', reject);
      send();
    });
  await Promise.all(Array.from({ length: threads }, runWorker));
  return results;
}
