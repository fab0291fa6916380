// Use case "queue": what waits for a TSA (stamps recorded offline, seals whose time-stamp or level is queued), and
// completing them once one answers. The CLI `queue list|run` and the desktop's status bar and timer share these.
import type { Ledger } from '../ledger/open.js';
import { pendingOperations } from '../ledger/operations.js';
import { countStamps, pendingStamps } from '../ledger/stamps.js';
import { completePendingSeals, type PendingSealOutcome } from '../seal/complete-pending.js';
import type { StampContext } from '../stamp/context.js';
import { runQueue, type QueueItemOutcome } from '../stamp/queue.js';

export type QueuedItem = {
  readonly kind: 'stamp' | 'seal-timestamp';
  readonly id: string;
  readonly file: string | null;
  readonly label: string | null;
  readonly requestedTsa: string;
  readonly createdAt: string;
};

export function queueList(db: Ledger): QueuedItem[] {
  return [
    ...pendingStamps(db).map((r) => ({
      kind: 'stamp' as const,
      id: r.id,
      file: r.filePath,
      label: r.label,
      requestedTsa: r.requestedTsa,
      createdAt: r.createdAt,
    })),
    ...pendingOperations(db).map((o) => ({
      kind: 'seal-timestamp' as const,
      id: o.id,
      file: o.outputPath,
      label: o.label,
      requestedTsa: o.requestedTsa,
      createdAt: o.createdAt,
    })),
  ];
}

/** How many items wait (counted, not loaded). */
export function queuePending(db: Ledger): number {
  return countStamps(db).pending + pendingOperations(db).length;
}

export type QueueRun = { readonly stamps: readonly QueueItemOutcome[]; readonly seals: readonly PendingSealOutcome[] };

/** Tries every queued stamp, then every queued seal time-stamp; each reports stamped/timestamped, still queued, or failed. */
export async function queueRun(ctx: StampContext): Promise<QueueRun> {
  return { stamps: await runQueue(ctx), seals: await completePendingSeals(ctx) };
}

/** Whether the run reached a TSA: any item that did not stay queued; null when nothing was queued. */
export function queueReachedTsa(r: QueueRun): boolean | null {
  const all = [...r.stamps, ...r.seals];
  return all.length === 0 ? null : all.some((o) => o.kind !== 'still-queued');
}

/** What waits, when the queue last ran, whether that run reached a TSA (null: not known yet), whether one runs now. */
export type QueueState = {
  readonly pending: number;
  readonly lastRun: string | null;
  readonly online: boolean | null;
  readonly running: boolean;
};

/** A long-lived process's queue (the desktop): one run at a time, and the state of the last one. */
export function queueRunner(withCtx: <T>(fn: (ctx: StampContext) => Promise<T> | T) => Promise<T>) {
  let state: QueueState = { pending: 0, lastRun: null, online: null, running: false };
  const pending = () => withCtx((ctx) => queuePending(ctx.db));
  const run = async (): Promise<QueueState> => {
    if (state.running) return state;
    state = { ...state, running: true };
    try {
      const r = await withCtx(queueRun);
      state = {
        pending: await pending(),
        lastRun: new Date().toISOString(),
        online: queueReachedTsa(r) ?? state.online,
        running: false,
      };
    } catch {
      state = { ...state, running: false, lastRun: new Date().toISOString() };
    }
    return state;
  };
  return { run, pending, state: async (): Promise<QueueState> => ({ ...state, pending: await pending() }) };
}
