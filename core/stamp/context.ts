// What a stamping operation needs from the outside world, injected so tests run at loopback and a fixed clock.
import type { Ledger } from '../ledger/open.js';
import type { TimeStampTransport } from '../tsp/transport.js';

export type StampContext = {
  readonly db: Ledger;
  readonly transport: TimeStampTransport;
  readonly now: () => Date;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Stamps under way in this process by file SHA-512, so identical content in one batch is stamped once. */
  readonly inflight?: Map<string, Promise<unknown>>;
};
