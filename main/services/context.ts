// What every main-process service shares: the data folder, the ledger opened per request, the TSA transport.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger, type Ledger } from '../../core/ledger/index.js';
import type { StampContext } from '../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../core/tsp/index.js';
import type { IsolationLimits } from '../../core/verify-isolated/index.js';
import { toApiError } from '../errors.js';
import type { ItemError } from '../../preload/api.js';

export type ServiceOptions = {
  readonly dataDir: string; readonly version: string; readonly name?: string; readonly tsaTimeoutMs?: number;
  /** Heap and wall clock of the worker that verifies each untrusted file (core/verify-isolated defaults when absent). */
  readonly verifyLimits?: Partial<IsolationLimits>;
};

export type ServiceContext = {
  readonly opts: ServiceOptions;
  withDb<T>(fn: (db: Ledger) => Promise<T> | T): Promise<T>;
  stampContext(db: Ledger): StampContext;
};

export function serviceContext(opts: ServiceOptions): ServiceContext {
  const transport = new HttpTimeStampTransport();
  return {
    opts,
    async withDb(fn) {
      const db = openLedger(join(opts.dataDir, 'ledger.sqlite'));
      try {
        return await fn(db);
      } finally {
        db.close();
      }
    },
    stampContext: (db) => ({ db, transport, now: () => new Date(), timeoutMs: opts.tsaTimeoutMs }),
  };
}

/** A per-file failure as the renderer shows it (the batch goes on). */
export const itemError = (err: unknown): ItemError => toApiError(err);

/** Dropped folders become the files inside them, sorted (recursively; hidden files and, unless kept, .tsr skipped). */
export function expandPaths(paths: readonly string[], o: { keepTokens?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      out.push(p); // reported per file by the service that reads it
      continue;
    }
    if (!st.isDirectory()) {
      out.push(p);
      continue;
    }
    const inside = readdirSync(p, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.') && (o.keepTokens || !e.name.toLowerCase().endsWith('.tsr')))
      .map((e) => join(e.parentPath, e.name))
      .sort();
    out.push(...inside);
  }
  return [...new Set(out)];
}
