// Use case "restamp" (RFC 3161 §4): one record — a stamp chain gets a new link, a sealed PDF a document time-stamp, a
// .p7s an archive time-stamp — and bulk: the chains and sealed files due in a window (or chosen ones) as a journaled,
// resumable run with per-TSA bounds, rate limits, pause and cancel. The CLI `restamp` and the desktop Restamp view call
// these functions with the same options; the dry run is due-overview.ts.
import { DEFAULT_PER_TSA, runRestampJob, type BulkProgress, type BulkResult } from '../archive/bulk.js';
import { runSealRestamps, type SealBulkResult } from '../archive/bulk-seals.js';
import { dueBefore } from '../archive/due-counts.js';
import { RateLimiter, parseRate } from '../archive/rate.js';
import { restamp } from '../archive/restamp.js';
import { restampSeal } from '../archive/restamp-seal.js';
import { dueSeals } from '../archive/seal-protection.js';
import { CoreError, UsageError } from '../errors.js';
import type { Ledger } from '../ledger/open.js';
import { getOperation } from '../ledger/operations.js';
import {
  countRestampJob,
  createRestampJob,
  createRestampJobFor,
  openRestampJob,
  type RestampJob,
} from '../ledger/restamp-jobs.js';
import { addJobSeals, jobSeals } from '../ledger/seal-archive.js';
import { childStamps, getStamp } from '../ledger/stamps.js';
import { inScope, keepJobScope, type RestampScope } from '../ledger/sync.js';
import { listTsas } from '../ledger/tsa.js';
import type { StampRecord } from '../model/stamp.js';
import type { StampContext } from '../stamp/context.js';
import type { DueWindow } from './due-overview.js';

/** What a sealed file's restamp may do: go on without all validation data, ask private-network addresses for it. */
export type SealRestampPolicy = {
  readonly allowMissingValidationData?: boolean;
  readonly allowPrivateNetwork?: boolean;
};

export type RestampOneResult =
  | {
      readonly kind: 'stamp';
      readonly record: StampRecord;
      readonly parent: StampRecord;
      /** null: a chain pulled from the server; the link is kept in the ledger only. */
      readonly tsrPath: string | null;
    }
  | {
      readonly kind: 'seal';
      readonly id: string;
      readonly format: 'pades' | 'cades';
      readonly tsaName: string;
      readonly outputPath: string;
      readonly missingValidationData: readonly string[];
    };

/** One record by id: a seal operation is restamped in place (PAdES-LTA, CAdES B-LTA), a stamp gets a new link. */
export async function restampOne(
  ctx: StampContext,
  id: string,
  tsa: string,
  o: SealRestampPolicy = {},
): Promise<RestampOneResult> {
  const op = getOperation(ctx.db, id);
  if (op) {
    const p = await restampSeal(ctx, op, tsa, policy(o));
    return {
      kind: 'seal',
      id: op.id,
      format: p.format,
      tsaName: p.tsaName,
      outputPath: p.path,
      missingValidationData: p.missing,
    };
  }
  const r = await restamp(ctx, id, tsa);
  return { kind: 'stamp', record: r.record, parent: r.parent, tsrPath: r.tsrPath };
}

export type BulkRestampOptions = DueWindow &
  SealRestampPolicy & {
    /** Chains restamped at once, 1–16 (default: twice the TSAs' slots, so local work overlaps the TSAs'). */
    readonly concurrency?: number;
    /** Requests in flight to any one TSA, 1–16 (default 2). */
    readonly perTsa?: number;
    /** Per-TSA limits, `<slug>=<N>/<minutes>m` each (some public TSAs block a client after N requests in M minutes). */
    readonly rate?: readonly string[];
    /** Whose chains a window selects: made here (default; the server restamps the chains it holds), pulled, or all. */
    readonly scope?: RestampScope;
  };

/** The window's due chains and sealed files (an unfinished run is resumed instead), chosen ones, or one run resumed. */
export type BulkSelection =
  | { readonly by: 'window' }
  | { readonly by: 'ids'; readonly ids: readonly string[] }
  | { readonly by: 'resume'; readonly id: string };

/** A journaled run ready to go: `done` counts what an earlier attempt of it already finished. */
export type BulkRun = {
  readonly job: RestampJob;
  readonly resumed: boolean;
  readonly total: number;
  readonly done: number;
};

/** Journals the selection as a run (or finds the run to resume); nothing is requested yet. */
export async function startBulkRestamp(
  db: Ledger,
  sel: BulkSelection,
  o: BulkRestampOptions,
  now = new Date(),
): Promise<BulkRun> {
  checkOptions(o);
  const open = openRestampJob(db);
  if (sel.by === 'resume' && (!open || open.id !== sel.id)) {
    throw new CoreError('NOT_FOUND', `no unfinished restamp run ${sel.id}: it finished, or another run is older`);
  }
  if (sel.by === 'resume' || (sel.by === 'window' && open)) return counted(db, open!, true);
  const before = dueBefore(now, o.expiringWithinDays);
  const meta = {
    createdAt: now.toISOString(),
    before: before.toISOString(),
    includeWeak: o.includeWeakHashes ?? false,
    tsa: o.tsa ?? 'auto',
  };
  if (sel.by === 'window') {
    const { seals } = await dueSeals(db, before);
    const job = db.transaction(() => {
      const made = createRestampJobFor(db, meta, { before, includeWeak: meta.includeWeak });
      keepJobScope(db, made.id, o.scope ?? 'local');
      return made;
    })();
    addJobSeals(
      db,
      job.id,
      seals.filter((s) => inScope(getOperation(db, s.id)?.origin ?? 'local', o.scope ?? 'local')).map((s) => s.id),
    );
    return counted(db, job, false);
  }
  const unique = [...new Set(sel.ids)];
  const sealIds = unique.filter((id) => getOperation(db, id));
  const ids = unique.filter((id) => !sealIds.includes(id));
  for (const id of ids) {
    if (!getStamp(db, id)) throw new CoreError('NOT_FOUND', `no stamp ${id}`);
    // A link that already has a child is not its chain's newest: the journal would count that child as the new link.
    const child = childStamps(db, id).at(-1);
    if (child)
      throw new UsageError(
        `stamp ${id} is already restamped (its chain continues with ${child.id}): choose the chain's newest link`,
      );
  }
  const job = createRestampJob(db, meta, ids);
  addJobSeals(db, job.id, sealIds);
  return counted(db, job, false);
}

function counted(db: Ledger, job: RestampJob, resumed: boolean): BulkRun {
  const chains = countRestampJob(db, job.id);
  const seals = jobSeals(db, job.id);
  return {
    job,
    resumed,
    total: chains.total + seals.length,
    done: chains.done + seals.filter((s) => s.state === 'done').length,
  };
}

/** `all`: both phases together; `active`: items started and not finished (a pause is complete at 0). */
export type BulkRestampProgress = BulkProgress & {
  readonly phase: 'seals' | 'chains';
  readonly active: number;
  readonly all: BulkProgress;
};

export type BulkRestampControl = {
  readonly signal?: AbortSignal;
  /** Awaited before each item starts (the desktop's pause). */
  readonly whilePaused?: () => Promise<void>;
  readonly onProgress?: (p: BulkRestampProgress) => void;
  /** Called once the sealed files are done, before the stamp chains start. */
  readonly onSealsDone?: (r: SealBulkResult) => void;
  /** false: the chains' per-item results are left out (a big run's caller reads the journal). Default true. */
  readonly results?: boolean;
};

export type BulkRestampResult = { readonly run: BulkRun; readonly seals: SealBulkResult; readonly chains: BulkResult };

/** Sealed files first (in place), then the stamp chains: the run stays open until both are done, so a kill anywhere
 * resumes both; an item that failed stays due and is selected again by the next run. */
export async function runBulkRestamp(
  ctx: StampContext,
  run: BulkRun,
  o: BulkRestampOptions,
  c: BulkRestampControl = {},
): Promise<BulkRestampResult> {
  checkOptions(o);
  const perTsa = o.perTsa ?? DEFAULT_PER_TSA;
  const tsas = (o.tsa ?? 'auto') === 'auto' ? listTsas(ctx.db).filter((t) => t.enabled && t.url).length : 1;
  const concurrency = o.concurrency ?? Math.min(16, 2 * perTsa * Math.max(1, tsas));
  const rate = new Map((o.rate ?? []).map(parseRate));
  const before = countRestampJob(ctx.db, run.job.id);
  const sealTotal = jobSeals(ctx.db, run.job.id).length;
  let seals: BulkProgress = { done: 0, failed: 0, total: sealTotal };
  let chains: BulkProgress = { done: before.done, failed: 0, total: before.total };
  let started = 0;
  let finished = 0;
  const report = (phase: 'seals' | 'chains') => {
    finished++;
    const all = {
      done: seals.done + chains.done,
      failed: seals.failed + chains.failed,
      total: seals.total + chains.total,
    };
    c.onProgress?.({ ...(phase === 'seals' ? seals : chains), phase, active: started - finished, all });
  };
  const whilePaused = async () => {
    await c.whilePaused?.();
    if (!c.signal?.aborted) started++;
  };
  const control = { signal: c.signal, whilePaused };
  const sealed = await runSealRestamps(ctx, run.job, {
    ...control,
    ...policy(o),
    concurrency: Math.min(concurrency, 4),
    onProgress: (p) => ((seals = p), report('seals')),
  });
  seals = { done: sealed.done, failed: sealed.failed, total: sealed.total };
  c.onSealsDone?.(sealed);
  const result = await runRestampJob(ctx, run.job, {
    ...control,
    concurrency,
    perTsa,
    results: c.results !== false,
    limiter: rate.size ? new RateLimiter(rate) : undefined,
    onProgress: (p) => ((chains = p), report('chains')),
  });
  return { run, seals: sealed, chains: result };
}

const policy = (o: SealRestampPolicy) => ({
  allowMissingValidationData: o.allowMissingValidationData ?? false,
  allowPrivateNetwork: o.allowPrivateNetwork ?? false,
});

/** The bounds the CLI's flags and the desktop's fields share (rate specs are checked when parsed). */
function checkOptions(o: BulkRestampOptions): void {
  const whole = (name: string, v: number | undefined, min: number, max: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max))
      throw new UsageError(`${name} is a whole number from ${min} to ${max}`);
  };
  whole('--concurrency', o.concurrency, 1, 16);
  whole('--per-tsa', o.perTsa, 1, 16);
  whole('--expiring-within', o.expiringWithinDays, 0, 99_999);
  for (const spec of o.rate ?? []) parseRate(spec);
}
