// Where the CLI keeps its data (SEALDESK_HOME or the OS's per-user app-data folder) and its ledger.
import { join } from 'node:path';
import { defaultHome } from '../core/home.js';
import { openLedger, type Ledger } from '../core/ledger/index.js';
import { HttpTimeStampTransport } from '../core/tsp/index.js';
import type { StampContext } from '../core/stamp/index.js';
import type { CliIo } from './io.js';

export function homeDir(io: CliIo): string {
  return io.env.SEALDESK_HOME || defaultHome(io.env);
}

export function openCliLedger(io: CliIo): Ledger {
  return openLedger(join(homeDir(io), 'ledger.sqlite'));
}

export function stampContext(db: Ledger, io: CliIo): StampContext {
  const timeout = Number(io.env.SEALDESK_TSA_TIMEOUT_MS);
  return {
    db,
    transport: new HttpTimeStampTransport(),
    now: () => new Date(),
    timeoutMs: timeout > 0 ? timeout : undefined,
  };
}

/** Opens the ledger for the length of `fn` and always closes it. */
export async function withLedger<T>(io: CliIo, fn: (db: Ledger) => Promise<T> | T): Promise<T> {
  const db = openCliLedger(io);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}
