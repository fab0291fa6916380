// The offline queue from the desktop: run on demand, and by a timer while anything waits, so queued stamps and
// seal levels complete when a TSA becomes reachable; the status bar shows whether the last attempt got through.
import { countStamps, pendingOperations } from '../../core/ledger/index.js';
import { completePendingSeals } from '../../core/seal/index.js';
import { runQueue } from '../../core/stamp/index.js';
import type { QueueState } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

export function queueServices(c: ServiceContext) {
  let state: QueueState = { pending: 0, lastRun: null, online: null, running: false };
  const pending = () => c.withDb((db) => countStamps(db).pending + pendingOperations(db).length);
  const run = async (): Promise<QueueState> => {
    if (state.running) return state;
    state = { ...state, running: true };
    try {
      const outcomes = await c.withDb(async (db) => {
        const ctx = c.stampContext(db);
        return [...(await runQueue(ctx)), ...(await completePendingSeals(ctx))];
      });
      const reached = outcomes.some((o) => o.kind !== 'still-queued');
      state = { pending: await pending(), lastRun: new Date().toISOString(), online: outcomes.length === 0 ? state.online : reached, running: false };
    } catch {
      state = { ...state, running: false, lastRun: new Date().toISOString() };
    }
    return state;
  };
  return {
    run,
    state: async (): Promise<QueueState> => ({ ...state, pending: await pending() }),
    /** Runs the queue every `everyMs` while something waits; returns the stop function. */
    startTimer(everyMs = 60_000): () => void {
      const timer = setInterval(() => {
        void pending().then((n) => (n > 0 ? run() : undefined));
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
