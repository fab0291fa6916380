// A bulk restamp as a journaled run: each selected chain gets exactly one new link, even if the process is killed at
// any moment and run again (a chain whose selected link already has a child counts as done; its .tsr is restored).
import { CoreError, errorMessage } from '../errors.js';
import { removeStaleTemps } from '../fs/atomic.js';
import { childStamps, getStamp } from '../ledger/stamps.js';
import {
  countRestampJob,
  finishRestampJob,
  markRestampItem,
  restampJobItems,
  restampJobPage,
  type RestampJob,
} from '../ledger/restamp-jobs.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { mapPool } from '../util/pool.js';
import { newLinkBeside, restamp, runSnapshot } from './restamp.js';
import type { RateLimiter } from './rate.js';
import { TsaSlots } from './tsa-slots.js';
import { NO_TSA_EXTENDS } from './extends-protection.js';

export type BulkProgress = { readonly done: number; readonly failed: number; readonly total: number };
/** `reason` names a failure scripts may act on: no enabled TSA's certificate would outlast the window (not restamped). */
export type BulkItem = { stampId: string; newId: string | null; error: string | null; reason?: typeof NO_TSA_EXTENDS };
/** `noTsaExtends`: chains of this run not restamped because no enabled TSA could extend them (among `failed`). */
export type BulkResult = BulkProgress & { readonly noTsaExtends: number; readonly results: readonly BulkItem[] };

/** `perTsa`: requests in flight to any one TSA at most (default 2); `concurrency` bounds all of them together.
 * `results: false` leaves `results` empty: a big run's caller reads the journal instead of holding every item. */
export type BulkOptions = {
  concurrency: number;
  perTsa?: number;
  limiter?: RateLimiter;
  results?: boolean;
  onProgress?: (p: BulkProgress) => void;
};
export const DEFAULT_PER_TSA = 2;
/** Journal items loaded at once: memory stays flat however many chains a run holds. */
const PAGE = 256;

/** Pause and cancel, checked before each chain starts: a chain under way finishes (the journal keeps one new link each). */
export type RestampControl = { readonly signal?: AbortSignal; readonly whilePaused?: () => Promise<void> };

export async function runRestampJob(
  ctx: StampContext,
  job: RestampJob,
  o: BulkOptions & RestampControl,
): Promise<BulkResult> {
  const { total, done: doneBefore } = countRestampJob(ctx.db, job.id);
  const slots = new TsaSlots(o.perTsa ?? DEFAULT_PER_TSA);
  const snapshot = runSnapshot(ctx.db);
  let done = doneBefore;
  let failed = 0;
  let noTsaExtends = 0;
  // Each new link must outlast the run's window, or it would be due again at the next run (extends-protection.ts).
  const windowEnd = new Date(job.before);
  const report = () => o.onProgress?.({ done, failed, total });
  const page = (after: number) => restampJobPage(ctx.db, job.id, { after, limit: PAGE, todo: true });
  // A run killed while writing a .tsr left its temp beside the file: those chains are among the first still to do
  // (at most `concurrency` were under way, the lowest in the journal's order), so the first page is enough.
  await removeStaleTemps(
    page(0).flatMap((item) => {
      const newest = getStamp(ctx.db, item.stampId);
      const beside = newest ? newLinkBeside(newest) : null;
      return beside ? [`${beside}.tsr`] : [];
    }),
  );
  for (let todo = page(0); todo.length > 0 && !o.signal?.aborted; todo = page(todo.at(-1)!.seq))
    await mapPool(todo, o.concurrency, async (item) => {
      await o.whilePaused?.();
      if (o.signal?.aborted) return; // cancelled: this chain stays pending in the journal, for a resume
      try {
        const child = childStamps(ctx.db, item.stampId).at(-1);
        const newId = child
          ? await restoreToken(ctx, child.id)
          : (await restamp(ctx, item.stampId, job.tsa, { limiter: o.limiter, slots, snapshot, windowEnd })).record.id;
        markRestampItem(ctx.db, job.id, item.stampId, 'done', { newId });
        done++;
      } catch (err) {
        // Failed in the journal (the run stays open, the chain due): a later run retries it once a TSA can extend it.
        markRestampItem(ctx.db, job.id, item.stampId, 'failed', { error: errorMessage(err) });
        if (err instanceof CoreError && err.code === 'NO_TSA_EXTENDS_PROTECTION') noTsaExtends++;
        failed++;
      }
      report();
    });
  if (failed === 0 && !o.signal?.aborted) finishRestampJob(ctx.db, job.id, ctx.now().toISOString());
  const final = o.results === false ? [] : restampJobItems(ctx.db, job.id);
  const reason = (error: string | null) => (error?.startsWith(`${NO_TSA_EXTENDS}:`) ? { reason: NO_TSA_EXTENDS } : {});
  const results = final.map((i) => ({ stampId: i.stampId, newId: i.newId, error: i.error, ...reason(i.error) }));
  return { done, failed, total, noTsaExtends, results };
}

/** A link recorded before a kill may lack its .tsr file: write it now (never over an existing file). */
async function restoreToken(ctx: StampContext, id: string): Promise<string> {
  const rec = getStamp(ctx.db, id)!;
  if (!rec.tsrPath && rec.tsr && rec.filePath) await writeToken(ctx, id, rec.filePath, null, rec.tsr);
  return id;
}
