// The bulk restamp drainer every server node runs: it claims items (lease.ts), obtains each new link with no database
// transaction open and keeps it only under its lease (restamp-item.ts). `concurrency` items at a time; when nothing
// is free it polls again after `idleMs`. stop() lets the items in hand end (their leases cover a kill).
import type { ServerContext } from '../context.js';
import { claimItem, finishItem, postpone, retryOrFail, stillHeld, type ClaimedItem } from './lease.js';
import { DEFAULT_RATE, type RateLimit } from './rate.js';
import { keepLink, obtainLink } from './restamp-item.js';

export type DrainerOptions = {
  readonly leaseMs?: number;
  readonly idleMs?: number;
  readonly concurrency?: number;
  readonly rate?: RateLimit;
  /** Told of each item's end and of unexpected errors (the server's log). */
  readonly log?: (event: string, detail: Record<string, unknown>) => void;
};

export type Drainer = { stop(): Promise<void> };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** One claimed item to its end (or back to the queue when every TSA's rate window is full). */
export async function drainItem(ctx: ServerContext, item: ClaimedItem, rate: RateLimit): Promise<string> {
  const got = await obtainLink(ctx, item, rate);
  if (got.kind === 'link') return (await keepLink(ctx, item, got)) ? 'done' : 'lease_lost';
  if (got.kind === 'rate_limited') {
    await postpone(ctx.db, item, ctx.nodeId, got.retryAt);
    return 'rate_limited';
  }
  const outcome = got.outcome;
  return ctx.db.tx(async (sql) => {
    if (!(await stillHeld(sql, item, ctx.nodeId))) return 'lease_lost';
    await finishItem(sql, item, outcome);
    return outcome.state;
  });
}

export function startDrainer(ctx: ServerContext, o: DrainerOptions = {}): Drainer {
  const leaseMs = o.leaseMs ?? 60_000;
  const idleMs = o.idleMs ?? 1_000;
  const rate = o.rate ?? DEFAULT_RATE;
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      let item: ClaimedItem | null = null;
      try {
        item = await claimItem(ctx.db, ctx.nodeId, ctx.now(), leaseMs);
        if (!item) {
          await sleep(idleMs);
          continue;
        }
        const result = await drainItem(ctx, item, rate);
        o.log?.('restamp item', { jobId: item.jobId, transactionId: item.transactionId, result });
        if (result === 'rate_limited') await sleep(Math.min(idleMs, rate.windowMs));
      } catch (err) {
        const message = (err as Error).message;
        o.log?.('restamp drainer error', { message, jobId: item?.jobId, transactionId: item?.transactionId });
        const retryAt = new Date(ctx.now().getTime() + idleMs);
        if (item) await retryOrFail(ctx.db, item, ctx.nodeId, retryAt, message).catch(() => undefined);
        await sleep(idleMs);
      }
    }
  };
  const workers = Array.from({ length: o.concurrency ?? 4 }, worker);
  return {
    async stop() {
      stopped = true;
      await Promise.all(workers);
    },
  };
}
