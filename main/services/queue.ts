// The offline queue from the desktop: run on demand, and by a timer while anything waits, so queued stamps and
// seal levels complete when a TSA becomes reachable; the status bar shows whether the last attempt got through.
// A thin adapter over core/app/queue.ts.
import { queueList, queueRunner } from '../../core/app/queue.js';
import type { QueueState } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

export function queueServices(c: ServiceContext) {
  const runner = queueRunner((fn) => c.withDb((db) => fn(c.stampContext(db))));
  return {
    run: (): Promise<QueueState> => runner.run(),
    state: (): Promise<QueueState> => runner.state(),
    /** `sealdesk queue list`: what waits, stamps first. */
    list: () => c.withDb(queueList),
    /** Runs the queue every `everyMs` while something waits; returns the stop function. */
    startTimer(everyMs = 60_000): () => void {
      const timer = setInterval(() => {
        void runner.pending().then((n) => (n > 0 ? runner.run() : undefined));
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
