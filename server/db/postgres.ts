// PostgreSQL through node-postgres (`DATABASE_URL=postgres://…`): a pool per server process; any number of processes
// share one database (the round-robin cursor, quotas, idempotency and job rows are kept right by the database).
import pg from 'pg';
import type { Database, Row, Sql } from './sql.js';

// int8 (counts, bigserial ids) as numbers: every such value here stays far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(url: string, max = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // an idle client's connection dropped: the pool replaces it
  await pool.query('SELECT 1'); // fail at start, not at the first request
  const wrap = (c: Pick<pg.Pool, 'query'>): Sql => ({
    async query<R extends Row>(text: string, params: readonly unknown[] = []) {
      return (await c.query<R>(text, params as unknown[])).rows;
    },
  });
  const sql = wrap(pool);
  return {
    kind: 'postgres',
    query: sql.query,
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
