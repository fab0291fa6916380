// The user's TSA list (add, enable, disable, reorder, remove) and the round-robin cursor.
import { randomUUID } from 'node:crypto';
import type { RequestHash } from '../asn1/oids.js';
import { CoreError, UsageError } from '../errors.js';
import { SLUG_PATTERN, type TsaProvider } from '../tsp/registry.js';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

type Row = { slug: string; id: string; name: string; url: string | null; preferred_hash: string; qualified: number; enabled: number; position: number; builtin: number };

const fromRow = (r: Row): TsaProvider => ({
  id: r.id, slug: r.slug, name: r.name, url: r.url, preferredHash: r.preferred_hash as RequestHash,
  qualified: r.qualified === 1, enabled: r.enabled === 1, position: r.position, builtin: r.builtin === 1,
});

export function listTsas(db: Ledger): TsaProvider[] {
  return (sql(db, 'SELECT * FROM tsa_providers ORDER BY position').all() as Row[]).map(fromRow);
}

export function getTsa(db: Ledger, slug: string): TsaProvider {
  const row = sql(db, 'SELECT * FROM tsa_providers WHERE slug = ?').get(slug) as Row | undefined;
  if (!row) throw new CoreError('TSA_UNKNOWN', `unknown TSA "${slug}": see \`sealdesk tsa list\``);
  return fromRow(row);
}

export type NewTsa = { readonly slug: string; readonly url: string; readonly name?: string; readonly preferredHash?: RequestHash; readonly qualified?: boolean };

export function addTsa(db: Ledger, t: NewTsa): TsaProvider {
  if (!SLUG_PATTERN.test(t.slug)) throw new UsageError(`"${t.slug}" is not a valid slug: use lowercase letters, digits, ".", "_" or "-"`);
  if (t.slug === 'auto') throw new UsageError('"auto" is reserved for automatic selection');
  checkUrl(t.url);
  return db.transaction(() => {
    if (sql(db, 'SELECT 1 FROM tsa_providers WHERE slug = ?').get(t.slug)) throw new CoreError('TSA_EXISTS', `a TSA named "${t.slug}" already exists`);
    const position = (sql(db, 'SELECT coalesce(max(position), 0) + 1 AS p FROM tsa_providers').get() as { p: number }).p;
    sql(db, 'INSERT INTO tsa_providers (slug, id, name, url, preferred_hash, qualified, enabled, position, builtin) VALUES (?, ?, ?, ?, ?, ?, 1, ?, 0)').run(
      t.slug, randomUUID(), t.name ?? t.slug, t.url, t.preferredHash ?? 'sha512', t.qualified ? 1 : 0, position,
    );
    return getTsa(db, t.slug);
  }).immediate();
}

/** Enables a TSA; a TSA without a URL (SK ID's qualified services) needs one now. */
export function setTsaEnabled(db: Ledger, slug: string, enabled: boolean, url?: string): TsaProvider {
  const current = getTsa(db, slug);
  if (url !== undefined) checkUrl(url);
  const newUrl = url ?? current.url;
  if (enabled && !newUrl) throw new CoreError('TSA_NO_URL', `${current.name} needs the URL of your contract: \`sealdesk tsa enable ${slug} --url <url>\``);
  sql(db, 'UPDATE tsa_providers SET enabled = ?, url = ? WHERE slug = ?').run(enabled ? 1 : 0, newUrl, slug);
  return getTsa(db, slug);
}

export function removeTsa(db: Ledger, slug: string): void {
  db.transaction(() => {
    const t = getTsa(db, slug);
    sql(db, 'DELETE FROM tsa_providers WHERE slug = ?').run(slug);
    sql(db, 'UPDATE tsa_providers SET position = position - 1 WHERE position > ?').run(t.position);
  }).immediate();
}

/** Moves a TSA to a 1-based position, shifting the others. */
export function moveTsa(db: Ledger, slug: string, position: number): TsaProvider[] {
  return db.transaction(() => {
    const all = listTsas(db);
    if (!Number.isInteger(position) || position < 1 || position > all.length) throw new UsageError(`position must be between 1 and ${all.length}`);
    const moving = getTsa(db, slug);
    const rest = all.filter((t) => t.slug !== slug);
    rest.splice(position - 1, 0, moving);
    const update = sql(db, 'UPDATE tsa_providers SET position = ? WHERE slug = ?');
    rest.forEach((t, i) => update.run(i + 1, t.slug));
    return listTsas(db);
  }).immediate();
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`a TSA URL must be http or https, got ${parsed.protocol}`);
}

/** Reads and advances the round-robin cursor atomically (several CLI processes may stamp at once). */
export function takeCursor(db: Ledger): number {
  return db.transaction(() => {
    const row = sql(db, "SELECT value FROM settings WHERE key = 'tsa_cursor'").get() as { value: string } | undefined;
    const cursor = row ? Number(row.value) : 0;
    sql(db, "INSERT INTO settings (key, value) VALUES ('tsa_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(cursor + 1));
    return cursor;
  }).immediate();
}
