// Opens the server's database: PostgreSQL when a URL is given (or DATABASE_URL), else PGlite in `<data>/pglite`;
// then brings its schema up to date.
import { join } from 'node:path';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './sql.js';

export type DatabaseOptions = { readonly url?: string | null; readonly dataDir?: string | null };

export async function openDatabase(o: DatabaseOptions): Promise<Database> {
  const db = o.url ? await openPostgres(o.url) : await openPglite(o.dataDir ? join(o.dataDir, 'pglite') : null);
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close();
    throw err;
  }
}
