// What every service shares: the data folder, one long-lived ledger connection (opened at first use, closed by
// close() at host shutdown), the TSA transport.
import { join } from 'node:path';
import { openLedger, type Ledger } from '../../core/ledger/index.js';
import type { StampContext } from '../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../core/tsp/index.js';
import type { IsolationLimits } from '../../core/verify-isolated/index.js';
import { toApiError } from '../errors.js';
import type { ItemError } from '../../preload/api.js';

export type ServiceOptions = {
  readonly dataDir: string;
  readonly version: string;
  readonly name?: string;
  readonly tsaTimeoutMs?: number;
  /** Heap and wall clock of the worker that verifies each untrusted file (core/verify-isolated defaults when absent). */
  readonly verifyLimits?: Partial<IsolationLimits>;
};

export type ServiceContext = {
  readonly opts: ServiceOptions;
  withDb<T>(fn: (db: Ledger) => Promise<T> | T): Promise<T>;
  stampContext(db: Ledger): StampContext;
  /** Closes the ledger connection (the host's shutdown); a later withDb opens it again. */
  close(): void;
};

export function serviceContext(opts: ServiceOptions): ServiceContext {
  const transport = new HttpTimeStampTransport();
  // better-sqlite3 is synchronous and every transaction in core is a synchronous closure, so requests interleaving
  // at their awaits can share the one connection.
  let db: Ledger | null = null;
  return {
    opts,
    async withDb(fn) {
      db ??= openLedger(join(opts.dataDir, 'ledger.sqlite'));
      return await fn(db);
    },
    stampContext: (ledger) => ({ db: ledger, transport, now: () => new Date(), timeoutMs: opts.tsaTimeoutMs }),
    close() {
      db?.close();
      db = null;
    },
  };
}

/** A per-file failure as the renderer shows it (the batch goes on). */
export const itemError = (err: unknown): ItemError => toApiError(err);
