// Untrusted files are verified in worker threads with a heap cap and a wall clock (issue 14, "Isolation"): a file
// that exhausts either ends as RESOURCE_LIMIT for that file alone; the batch, the CLI and the app go on.
// Hand-written on node:worker_threads (no pool library): one job per worker at a time, a worker that hits a limit is
// discarded and replaced, idle workers are kept for the next file (each costs a module load to start).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CoreError, type ErrorCode } from '../errors.js';
import type { JobKind, JobOf, JobResults } from './jobs.js';
import type { JobReply, JobRequest } from './worker.js';

export type IsolationLimits = {
  /** Old-generation heap of one verification's worker, in MB (`--max-heap-mb`). */
  readonly maxHeapMb: number;
  /** Wall-clock seconds one file may take before its worker is stopped (`--timeout-s`). */
  readonly timeoutS: number;
};

/**
 * 256 MB of heap is several times what a 100 MB PDF with a large DSS needs (streams live outside the heap) and keeps a
 * verification with its worker under 512 MB of RSS; 60 s covers hashing a few GB on a slow disk.
 */
export const DEFAULT_ISOLATION_LIMITS: IsolationLimits = Object.freeze({ maxHeapMb: 256, timeoutS: 60 });

export type IsolationOptions = {
  /** Files verified at once, one worker each (default 1). */
  readonly threads?: number;
  readonly limits?: Partial<IsolationLimits>;
  /** How the user raises each limit, for the message (the CLI's flags by default). */
  readonly raiseWith?: { readonly heap: string; readonly timeout: string };
  /** A worker has started on the job for `file` (its modules loaded, the file about to be read). */
  readonly onStarted?: (file: string) => void;
};

/** What stopped a worker: its heap cap, the wall clock, or it ended without answering (exit, e.g. a native abort). */
export class IsolationError extends CoreError {
  override readonly name = 'IsolationError';
  constructor(
    readonly limit: 'heap' | 'time' | 'exit',
    message: string,
  ) {
    super('RESOURCE_LIMIT', message);
  }
}

type Pending = {
  id: number;
  file: string;
  settle: (r: { value?: unknown; error?: unknown }) => void;
  started?: () => void;
};
const STARTUP_GRACE_MS = 30_000;
type Slot = { worker: Worker | null; current: Pending | null; timer?: NodeJS.Timeout };
type Queued = { job: JobOf<JobKind>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class IsolatedVerifier {
  readonly limits: IsolationLimits;
  private readonly slots: Slot[];
  private readonly queue: Queued[] = [];
  private readonly raiseWith: { heap: string; timeout: string };
  private readonly onStarted?: (file: string) => void;
  private nextId = 0;
  private closed = false;

  constructor(o: IsolationOptions = {}) {
    this.limits = { ...DEFAULT_ISOLATION_LIMITS, ...o.limits };
    this.raiseWith = o.raiseWith ?? { heap: 'raise it with --max-heap-mb', timeout: 'raise it with --timeout-s' };
    this.onStarted = o.onStarted;
    this.slots = Array.from({ length: Math.max(1, Math.min(o.threads ?? 1, availableParallelism())) }, () => ({
      worker: null,
      current: null,
    }));
  }

  /** Runs `job` in a worker; resolves with its result, rejects with its CoreError (RESOURCE_LIMIT when a limit hit). */
  run<K extends JobKind>(job: JobOf<K>): Promise<JobResults[K]> {
    if (this.closed) return Promise.reject(new CoreError('CANCELLED', 'the verifier is closed'));
    return new Promise<unknown>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    }) as Promise<JobResults[K]>;
  }

  /** Stops every worker (jobs under way and queued end as CANCELLED, `why` in their message). */
  async close(why = 'the verifier was closed'): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new CoreError('CANCELLED', `${q.job.file}: not verified, ${why}`));
    await Promise.all(
      this.slots.map(async (s) => {
        const w = s.worker;
        s.worker = null;
        s.current?.settle({
          error: new CoreError('CANCELLED', `${s.current.file}: not verified, ${why}`),
        });
        if (w) await w.terminate();
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.current || this.queue.length === 0) continue;
      const q = this.queue.shift()!;
      void this.start(slot, q);
    }
  }

  private async start(slot: Slot, q: Queued): Promise<void> {
    const id = this.nextId++;
    let done = false;
    const pending: Pending = {
      id,
      file: q.job.file,
      settle: (r) => {
        if (done) return;
        done = true;
        clearTimeout(slot.timer);
        slot.current = null;
        slot.worker?.unref();
        if (r.error !== undefined) q.reject(r.error);
        else q.resolve(r.value);
        this.pump();
      },
    };
    slot.current = pending;
    try {
      const url = await workerScript();
      if (done) return; // closed while the script was found
      const worker = slot.worker ?? (slot.worker = this.spawn(slot, url));
      worker.ref();
      // The clock runs from when the worker starts the job (a fresh worker loads its modules first; that is not the
      // file's time), with a grace for that start.
      pending.started = () => {
        this.clock(slot, pending, this.limits.timeoutS * 1000);
        this.onStarted?.(pending.file);
      };
      this.clock(slot, pending, this.limits.timeoutS * 1000 + STARTUP_GRACE_MS);
      worker.postMessage({ id, job: q.job } satisfies JobRequest);
    } catch (err) {
      this.discard(slot);
      pending.settle({ error: err });
    }
  }

  private clock(slot: Slot, pending: Pending, ms: number): void {
    clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      this.discard(slot);
      pending.settle({
        error: new IsolationError(
          'time',
          `verifying ${pending.file} took longer than ${this.limits.timeoutS} s and was stopped (${this.raiseWith.timeout})`,
        ),
      });
    }, ms);
  }

  private spawn(slot: Slot, script: URL): Worker {
    const heap = this.limits.maxHeapMb;
    const worker = takeSpare(script, heap) ?? newWorker(script, heap);
    const fail = (error: unknown) => {
      const p = slot.worker === worker ? slot.current : null;
      if (slot.worker === worker) this.discard(slot);
      p?.settle({ error });
    };
    worker.on('message', (reply: JobReply) => {
      const p = slot.worker === worker ? slot.current : null;
      if (!p || reply.id !== p.id) return;
      if (reply.started) return p.started?.();
      p.settle(reply.error ? { error: fromReply(reply.error) } : { value: reply.value });
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const file = slot.current?.file ?? 'a file';
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY')
        fail(
          new IsolationError(
            'heap',
            `verifying ${file} needed more than ${heap} MB of memory and was stopped (${this.raiseWith.heap})`,
          ),
        );
      // An exception no job caught is a bug of ours (INTERNAL), not the file's doing.
      else fail(new Error(`the verifier failed while reading ${file}: ${err.message}`));
    });
    worker.on('exit', (code) =>
      fail(
        new IsolationError(
          'exit',
          `the verifier stopped while reading ${slot.current?.file ?? 'a file'} (exit code ${code})`,
        ),
      ),
    );
    return worker;
  }

  private discard(slot: Slot): void {
    const w = slot.worker;
    slot.worker = null;
    if (w) void w.terminate();
  }
}

function newWorker(script: URL, heap: number): Worker {
  return new Worker(script, {
    resourceLimits: {
      maxOldGenerationSizeMb: heap,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.round(heap / 8))),
      stackSizeMb: 4,
    },
    stdout: false,
    stderr: false,
  });
}

type Spare = { readonly worker: Worker; readonly script: string; readonly heap: number; alive: boolean };
/** Shared through the global object: the built CLI's entry starts the worker before the bundle with this module loads. */
const SPARE = Symbol.for('sealdesk.verify-isolated.spare');
const spares = globalThis as { [SPARE]?: Spare | null };

/**
 * Starts one worker ahead of the first job, so its module load overlaps the caller's own start-up (the CLI loading a
 * command); the first verifier whose heap limit matches takes it, else it is never used. Unreferenced: it never keeps
 * the process alive, and it holds no job until taken.
 */
export function prestartWorker(limits: Partial<IsolationLimits> = {}): void {
  if (spares[SPARE]?.alive) return;
  const heap = limits.maxHeapMb ?? DEFAULT_ISOLATION_LIMITS.maxHeapMb;
  const start = (url: URL) => {
    if (spares[SPARE]?.alive) return;
    const s: Spare = { worker: newWorker(url, heap), script: url.href, heap, alive: true };
    const end = () => (s.alive = false);
    s.worker.on('error', end).on('exit', end).unref();
    spares[SPARE] = s;
  };
  const built = builtScript();
  if (built)
    start(built); // at once: the caller goes on with synchronous work
  else workerScript().then(start, () => undefined); // the verifier reports a missing worker script when it runs
}

function takeSpare(script: URL, heap: number): Worker | null {
  const s = spares[SPARE];
  if (!s?.alive || s.script !== script.href || s.heap !== heap) return null;
  spares[SPARE] = null;
  s.worker.removeAllListeners();
  return s.worker;
}

/** One job in a worker of its own, closed afterwards. */
export async function runIsolated<K extends JobKind>(job: JobOf<K>, o: IsolationOptions = {}): Promise<JobResults[K]> {
  const v = new IsolatedVerifier({ ...o, threads: 1 });
  try {
    return await v.run(job);
  } finally {
    await v.close();
  }
}

function fromReply(e: { code: string; message: string }): Error {
  if (e.code === 'INTERNAL') return new Error(e.message);
  return new CoreError(e.code as ErrorCode, e.message);
}

let script: Promise<URL> | null = null;

/**
 * The worker's script. Built (dist/cli, dist/main): `verify-worker.js` beside the bundle (the bundle's code may sit in
 * a chunks/ folder below it). From sources (vitest runs the .ts files): worker.ts bundled once by esbuild into
 * node_modules/.cache, named by its content's hash so parallel test processes share it safely.
 */
export function workerScript(): Promise<URL> {
  script ??= (async () => {
    const built = builtScript();
    if (built) return built;
    if (!import.meta.url.endsWith('.ts'))
      throw new CoreError(
        'NOT_SUPPORTED',
        'verify-worker.js is missing beside the Sealdesk bundle: rebuild it (node scripts/build.mjs)',
      );
    return sourceWorker();
  })();
  script.catch(() => (script = null));
  return script;
}

function builtScript(): URL | null {
  for (const rel of ['./verify-worker.js', '../verify-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

async function sourceWorker(): Promise<URL> {
  const esbuild = 'esbuild'; // a dev dependency: reached only when running from sources
  const { build } = (await import(esbuild)) as typeof import('esbuild');
  const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    write: false,
    logLevel: 'warning',
    sourcemap: 'inline',
  });
  const code = out.outputFiles[0]!.contents;
  const dir = fileURLToPath(new URL('../../node_modules/.cache/sealdesk-verify-worker/', import.meta.url));
  const file = join(dir, `worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
