// The sealed files of a bulk restamp run: each selected seal gets exactly one new archive time-stamp, even if the
// process is killed at any moment and run again — a restamp whose file was replaced before the kill is adopted
// (its write-ahead intent matches the file), never made twice, never reported as a changed file.
import { errorMessage } from '../errors.js';
import { removeStaleTemps } from '../fs/atomic.js';
import { getOperation, operationFiles } from '../ledger/operations.js';
import { jobSeals, markJobSeal } from '../ledger/seal-archive.js';
import type { RestampJob } from '../ledger/restamp-jobs.js';
import { adoptInterruptedExtension } from '../ledger/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import type { MissingValidationDataOptions } from '../revocation/gather.js';
import { mapPool } from '../util/pool.js';
import { restampSeal } from './restamp-seal.js';
import { NO_TSA_EXTENDS } from './extends-protection.js';
import { expiringSeals } from '../ledger/seal-archive.js';

/** A seal of the run: its error (kept in the journal), or what validation data it was restamped without in this run. */
export type SealBulkItem = {
  readonly operationId: string;
  readonly error: string | null;
  readonly missingValidationData?: readonly string[];
  /** No enabled TSA's certificate outlasts the window (not restamped, still due). */
  readonly reason?: typeof NO_TSA_EXTENDS;
};
export type SealBulkResult = {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
  readonly results: readonly SealBulkItem[];
};

export type SealBulkOptions = MissingValidationDataOptions & {
  readonly concurrency: number;
  /** Checked before each seal starts: a cancelled run stays open in the journal. */
  readonly signal?: AbortSignal;
  /** Awaited before each seal starts (the desktop's pause). */
  readonly whilePaused?: () => Promise<void>;
  readonly onProgress?: (p: { done: number; failed: number; total: number }) => void;
};

export async function runSealRestamps(ctx: StampContext, job: RestampJob, o: SealBulkOptions): Promise<SealBulkResult> {
  const items = jobSeals(ctx.db, job.id);
  const todo = items.filter((i) => i.state !== 'done');
  // A run killed mid-seal left that seal's half-built version beside it: never published, so removed.
  await removeStaleTemps(todo.flatMap((i) => getOperation(ctx.db, i.operationId)?.outputPath ?? []));
  let done = items.length - todo.length;
  let failed = 0;
  const missing = new Map<string, readonly string[]>();
  // Each new time-stamp must outlast the run's window and the seal's protection (extends-protection.ts).
  const windowEnd = new Date(job.before);
  const protectedUntil = new Map(expiringSeals(ctx.db, windowEnd).map((s) => [s.id, s.protectedUntil]));
  await mapPool(todo, o.concurrency, async (item) => {
    await o.whilePaused?.();
    if (o.signal?.aborted) return;
    try {
      const op = getOperation(ctx.db, item.operationId);
      if (!op) throw new Error(`operation ${item.operationId} is no longer in the ledger`);
      await adoptInterruptedExtension(ctx.db, op);
      // Extended since this run began (before a kill, adopted now or by the selection): that was this run's restamp.
      if (!operationFiles(ctx.db, op.id).some((f) => f.step > 1 && f.at >= job.createdAt)) {
        const r = await restampSeal(ctx, op, job.tsa, {
          ...o,
          windowEnd,
          protectedUntil: protectedUntil.get(op.id) ?? null,
        });
        if (r.missing.length) missing.set(op.id, r.missing);
      }
      markJobSeal(ctx.db, job.id, item.operationId, 'done');
      done++;
    } catch (err) {
      // Refused (missing validation data unless allowed, a changed file, no TSA): failed in the run, and still due.
      markJobSeal(ctx.db, job.id, item.operationId, 'failed', errorMessage(err));
      failed++;
    }
    o.onProgress?.({ done, failed, total: items.length });
  });
  const final = jobSeals(ctx.db, job.id);
  const reason = (error: string | null) => (error?.startsWith(`${NO_TSA_EXTENDS}:`) ? { reason: NO_TSA_EXTENDS } : {});
  return {
    done,
    failed,
    total: items.length,
    results: final.map((i) => ({
      operationId: i.operationId,
      error: i.error,
      ...reason(i.error),
      ...(missing.has(i.operationId) ? { missingValidationData: missing.get(i.operationId) } : {}),
    })),
  };
}
