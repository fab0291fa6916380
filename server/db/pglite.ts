// Embedded PostgreSQL (PGlite: Postgres compiled to WASM, in-process, data folder on disk): `npm run server` works on
// a fresh machine with nothing installed, on the same SQL as a real PostgreSQL. One connection: transactions queue.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Row, Sql } from './sql.js';

export async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir ?? undefined);
  const wrap = (q: Pick<PGlite, 'query'>): Sql => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await q.query<R>(text, params as unknown[])).rows;
    },
  });
  const sql = wrap(pg);
  return {
    kind: 'pglite',
    query: sql.query,
    tx: (fn) => pg.transaction((t) => fn(wrap(t))),
    close: () => pg.close(),
  };
}
