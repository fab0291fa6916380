// Long work as jobs: started with an id, every start, progress and end pushed to subscribers (the `job` event),
// cancellable; the results are read with `jobs:status` at the end; finished jobs are kept briefly for that.
import { randomUUID } from 'node:crypto';
import { CoreError, UsageError, type ErrorCode } from '../../core/errors.js';
import { stampBytes, stampInputs } from '../../core/app/stamp-files.js';
import type { JobStatus, RequestOf } from '../../preload/api.js';
import { itemError, type ServiceContext } from './context.js';
import { stampItem, stampOptionsFor } from './stamp.js';
import { sealBatch, sealTotal } from './seal.js';
import { verifyBatch, verifyTotal } from './verify.js';
import { planRestampRun, runRestampPlan } from './restamp.js';
import type { RemoteWork } from './remote.js';

type Job = { status: JobStatus; controller: AbortController; gate: Gate };
/** A change of a job's status (never of its kind; results of its kind). */
type Patch = { readonly [K in Exclude<keyof JobStatus, 'kind' | 'results'>]?: JobStatus[K] } & {
  readonly results?: JobStatus['results'];
};
type Work = (
  signal: AbortSignal,
  progress: (done: number, more?: Patch) => void,
  whilePaused: () => Promise<void>,
) => Promise<JobStatus['results']>;

/** Pause for jobs that can: the work awaits `passed()` before each item; resume (or cancel) opens the gate. */
class Gate {
  private closed: Promise<void> | null = null;
  private release = () => {};
  close(): void {
    this.closed ??= new Promise((resolve) => (this.release = resolve));
  }
  open(): void {
    this.release();
    this.closed = null;
  }
  passed = (): Promise<void> => this.closed ?? Promise.resolve();
}

const KEEP_FINISHED = 50;

export function jobServices(c: ServiceContext, defaultPassphrase: () => string | undefined, remote: RemoteWork) {
  const jobs = new Map<string, Job>();
  const listeners = new Set<(s: JobStatus) => void>();
  let restampStarting = false;
  /** Every change of a job's progress or state goes to the subscribers (`job:progress`), without the results. */
  const update = (job: Job, patch: Patch) => {
    job.status = { ...job.status, ...patch } as JobStatus; // a patch never changes the kind, so results stay of its kind
    for (const l of listeners) l({ ...job.status, results: [] });
  };
  const finish = (job: Job, patch: Patch) => {
    update(job, patch);
    const finished = [...jobs.values()].filter((j) => j.status.state !== 'running');
    for (const old of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) jobs.delete(old.status.id);
  };
  const get = (id: string): Job => {
    const job = jobs.get(id);
    if (!job) throw new CoreError('NOT_FOUND', `no job ${id}`);
    return job;
  };
  /** Runs `work` in the background as a job of `total` items; its results are kept with the job when it ends. */
  const start = (kind: JobStatus['kind'], total: number, work: Work, ended?: (job: Job) => void): { id: string } => {
    const id = randomUUID();
    const job: Job = {
      status: { id, kind, state: 'running', done: 0, total, results: [] },
      controller: new AbortController(),
      gate: new Gate(),
    };
    jobs.set(id, job);
    // Its start goes out before any progress, with what the caller sets on the status right after start().
    queueMicrotask(() => {
      for (const l of listeners) l({ ...job.status, results: [] });
    });
    void work(job.controller.signal, (done, more) => update(job, { ...more, done }), job.gate.passed)
      .then((results) =>
        finish(job, {
          state: job.controller.signal.aborted ? 'cancelled' : 'done',
          results,
          ...(job.status.paused ? { paused: false } : {}),
        }),
      )
      .catch((err: unknown) =>
        finish(job, { state: job.controller.signal.aborted ? 'cancelled' : 'failed', error: itemError(err) }),
      )
      .finally(() => ended?.(job));
    return { id };
  };
  return {
    /** A long call run as a job (progress pushed, cancellable with jobs:cancel) whose caller awaits its one result. */
    async runAsJob<R>(
      kind: JobStatus['kind'],
      total: number,
      work: (signal: AbortSignal, progress: (done: number) => void) => Promise<R>,
    ): Promise<R> {
      let value: R | undefined;
      const end = new Promise<Job>((resolve) =>
        start(
          kind,
          total,
          async (signal, progress) => {
            value = await work(signal, (done) => progress(done));
            return [value] as unknown as JobStatus['results'];
          },
          resolve,
        ),
      );
      const job = await end;
      if (job.status.error) throw new CoreError(job.status.error.code as ErrorCode, job.status.error.message);
      if (job.status.state === 'cancelled') throw new CoreError('CANCELLED', `the ${kind} was cancelled`);
      return value as R;
    },
    startStamp(request: RequestOf<'jobs:stamp'>): { id: string } {
      const { files, bytes: total } = stampBytes(request.paths);
      const self: { job?: Job } = {}; // the job, once started (progress arrives after that)
      const started = start('stamp', files, (signal, progress) =>
        request.remote
          ? remote.stamp(request) // via the server: only the hashes leave
          : c.withDb(async (db) =>
              (
                await stampInputs(c.stampContext(db), request.paths, await stampOptionsFor(c, request), {
                  signal,
                  onItem: (_, done) => progress(done),
                  // Hashing is what takes long for big files: bytes, every 8 MiB (core/app/stamp-files.ts).
                  onBytes: (done) => self.job && update(self.job, { bytes: { done, total } }),
                })
              ).map(stampItem),
            ),
      );
      self.job = jobs.get(started.id);
      if (self.job) self.job.status = { ...self.job.status, bytes: { done: 0, total } };
      return started;
    },
    startVerify(request: RequestOf<'jobs:verify'>): { id: string } {
      return start('verify', verifyTotal(request.paths), (signal, progress) =>
        verifyBatch(c, request.paths, { signal, onItem: (done, total) => progress(done, { total }) }, request),
      );
    },
    startSeal(request: RequestOf<'jobs:seal'>): { id: string } {
      const remoteCert = request.remoteCert; // via the server: main asked before the files leave
      return start('seal', sealTotal(request.paths), (signal, progress) =>
        remoteCert
          ? remote.seal({ ...request, remoteCert })
          : sealBatch(c, request, defaultPassphrase(), { signal, onItem: progress }),
      );
    },
    /** One restamp run at a time: two runs over the same chains would each add a link. */
    async startRestamp(request: RequestOf<'jobs:restamp'>): Promise<{ id: string }> {
      if (
        restampStarting ||
        [...jobs.values()].some((j) => j.status.kind === 'restamp' && j.status.state === 'running')
      )
        throw new UsageError('a restamp run is under way: let it finish, or cancel it first');
      restampStarting = true;
      try {
        if ('ids' in request && request.remote) {
          const { ids, tsa } = request; // via the server: POST /tsa/restamp per chain, extended here
          return start('restamp', ids.length, (signal, progress) =>
            remote.restampMany(ids, { tsa, signal, onItem: progress }),
          );
        }
        const plan = await planRestampRun(c, request);
        const started = start('restamp', plan.total, (signal, progress, whilePaused) =>
          runRestampPlan(c, plan, {
            signal,
            whilePaused,
            onProgress: (p) => progress(p.done, { failed: p.failed, active: p.active }),
          }),
        );
        const job = get(started.id);
        job.status = { ...job.status, done: plan.done, failed: 0, active: 0 };
        return started;
      } finally {
        restampStarting = false;
      }
    },
    pause(r: { id: string }): JobStatus {
      const job = get(r.id);
      if (job.status.kind !== 'restamp')
        throw new CoreError('NOT_SUPPORTED', `a ${job.status.kind} job cannot pause: cancel it instead`);
      if (job.status.state === 'running' && !job.status.paused) {
        job.gate.close();
        update(job, { paused: true });
      }
      return job.status;
    },
    resume(r: { id: string }): JobStatus {
      const job = get(r.id);
      if (job.status.paused) {
        job.gate.open();
        update(job, { paused: false });
      }
      return job.status;
    },
    status: (r: { id: string }): JobStatus => get(r.id).status,
    cancel(r: { id: string }): JobStatus {
      const job = get(r.id);
      job.controller.abort();
      job.gate.open(); // a paused job wakes to see the cancel
      return job.status;
    },
    subscribe(listener: (s: JobStatus) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    list: (): JobStatus[] =>
      [...jobs.values()].filter((j) => j.status.state === 'running').map((j) => ({ ...j.status, results: [] })),
  };
}
