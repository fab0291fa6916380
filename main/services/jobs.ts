// Long work as jobs: started with an id, polled for progress (`jobs:status`, the same over IPC and the loopback
// host), cancellable; finished jobs are kept briefly for the view that started them.
import { randomUUID } from 'node:crypto';
import { CoreError } from '../../core/errors.js';
import { stampFiles } from '../../core/stamp/index.js';
import type { JobStatus, StampItem } from '../../preload/api.js';
import { expandPaths, itemError, type ServiceContext } from './context.js';
import { stampItem } from './stamp.js';

type Job = { status: JobStatus; controller: AbortController };

const KEEP_FINISHED = 50;

export function jobServices(c: ServiceContext) {
  const jobs = new Map<string, Job>();
  const finish = (job: Job, patch: Partial<JobStatus>) => {
    job.status = { ...job.status, ...patch };
    const finished = [...jobs.values()].filter((j) => j.status.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(old.status.id);
  };
  const get = (id: string): Job => {
    const job = jobs.get(id);
    if (!job) throw new CoreError('NOT_FOUND', `no job ${id}`);
    return job;
  };
  return {
    startStamp(request: { paths: string[]; tsa?: string; label?: string }): { id: string } {
      const r = { ...request, paths: expandPaths(request.paths) };
      const id = randomUUID();
      const job: Job = { status: { id, kind: 'stamp', state: 'running', done: 0, total: r.paths.length, results: [] }, controller: new AbortController() };
      jobs.set(id, job);
      void c
        .withDb((db) =>
          stampFiles(c.stampContext(db), r.paths, {
            tsa: r.tsa ?? 'auto', label: r.label, signal: job.controller.signal,
            onItem: (_, done) => (job.status = { ...job.status, done }),
          }),
        )
        .then((batch) => finish(job, { state: job.controller.signal.aborted ? 'cancelled' : 'done', results: batch.map(stampItem) as StampItem[] }))
        .catch((err: unknown) => finish(job, { state: 'failed', error: itemError(err) }));
      return { id };
    },
    status: (r: { id: string }): JobStatus => get(r.id).status,
    cancel(r: { id: string }): JobStatus {
      const job = get(r.id);
      job.controller.abort();
      return job.status;
    },
    list: (): JobStatus[] => [...jobs.values()].filter((j) => j.status.state === 'running').map((j) => ({ ...j.status, results: [] })),
  };
}
