// Prepared statements cached per connection: preparing costs more than running most of our queries.
import type { Statement } from 'better-sqlite3';
import type { Ledger } from './open.js';

const cache = new WeakMap<Ledger, Map<string, Statement>>();

export function sql(db: Ledger, text: string): Statement {
  let forDb = cache.get(db);
  if (!forDb) cache.set(db, (forDb = new Map()));
  let stmt = forDb.get(text);
  if (!stmt) forDb.set(text, (stmt = db.prepare(text)));
  return stmt;
}
