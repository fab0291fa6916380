// The user's TSA list (add, enable, disable, reorder, remove) and the round-robin cursor.
import { createHash, randomUUID } from 'node:crypto';
import type { RequestHash } from '../asn1/oids.js';
import { CoreError, UsageError } from '../errors.js';
import type { StampResult } from '../tsp/dispatcher.js';
import { SLUG_PATTERN, type TsaProvider } from '../tsp/registry.js';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

type Row = {
  slug: string;
  id: string;
  name: string;
  url: string | null;
  preferred_hash: string;
  qualified: number;
  enabled: number;
  position: number;
  builtin: number;
  last_cert_not_after: string | null;
};

const fromRow = (r: Row): TsaProvider => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  url: r.url,
  preferredHash: r.preferred_hash as RequestHash,
  qualified: r.qualified === 1,
  enabled: r.enabled === 1,
  position: r.position,
  builtin: r.builtin === 1,
  lastCertNotAfter: r.last_cert_not_after,
});

/** Every column but the certificate's DER, which only tsaLastCertificate() reads. */
const COLUMNS = 'slug, id, name, url, preferred_hash, qualified, enabled, position, builtin, last_cert_not_after';

export function listTsas(db: Ledger): TsaProvider[] {
  return (sql(db, `SELECT ${COLUMNS} FROM tsa_providers ORDER BY position`).all() as Row[]).map(fromRow);
}

export function getTsa(db: Ledger, slug: string): TsaProvider {
  const row = sql(db, `SELECT ${COLUMNS} FROM tsa_providers WHERE slug = ?`).get(slug) as Row | undefined;
  if (!row) throw new CoreError('TSA_UNKNOWN', `unknown TSA "${slug}": see \`sealdesk tsa list\``);
  return fromRow(row);
}

export type NewTsa = {
  readonly slug: string;
  readonly url: string;
  readonly name?: string;
  readonly preferredHash?: RequestHash;
  readonly qualified?: boolean;
};

export function addTsa(db: Ledger, t: NewTsa): TsaProvider {
  if (!SLUG_PATTERN.test(t.slug))
    throw new UsageError(`"${t.slug}" is not a valid slug: use lowercase letters, digits, ".", "_" or "-"`);
  if (t.slug === 'auto') throw new UsageError('"auto" is reserved for automatic selection');
  checkUrl(t.url);
  return db
    .transaction(() => {
      if (sql(db, 'SELECT 1 FROM tsa_providers WHERE slug = ?').get(t.slug))
        throw new CoreError('TSA_EXISTS', `a TSA named "${t.slug}" already exists`);
      const position = (sql(db, 'SELECT coalesce(max(position), 0) + 1 AS p FROM tsa_providers').get() as { p: number })
        .p;
      sql(
        db,
        'INSERT INTO tsa_providers (slug, id, name, url, preferred_hash, qualified, enabled, position, builtin) VALUES (?, ?, ?, ?, ?, ?, 1, ?, 0)',
      ).run(t.slug, randomUUID(), t.name ?? t.slug, t.url, t.preferredHash ?? 'sha512', t.qualified ? 1 : 0, position);
      return getTsa(db, t.slug);
    })
    .immediate();
}

/** Enables a TSA; a TSA without a URL (SK ID's qualified services) needs one now. */
export function setTsaEnabled(db: Ledger, slug: string, enabled: boolean, url?: string): TsaProvider {
  const current = getTsa(db, slug);
  if (url !== undefined) checkUrl(url);
  const newUrl = url ?? current.url;
  if (enabled && !newUrl)
    throw new CoreError(
      'TSA_NO_URL',
      `${current.name} needs the URL of your contract: \`sealdesk tsa enable ${slug} --url <url>\``,
    );
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
  return db
    .transaction(() => {
      const all = listTsas(db);
      if (!Number.isInteger(position) || position < 1 || position > all.length)
        throw new UsageError(`position must be between 1 and ${all.length}`);
      const moving = getTsa(db, slug);
      const rest = all.filter((t) => t.slug !== slug);
      rest.splice(position - 1, 0, moving);
      const update = sql(db, 'UPDATE tsa_providers SET position = ? WHERE slug = ?');
      rest.forEach((t, i) => update.run(i + 1, t.slug));
      return listTsas(db);
    })
    .immediate();
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`a TSA URL must be http or https, got ${parsed.protocol}`);
}

/** Reads and advances the round-robin cursor atomically (several CLI processes may stamp at once). */
export function takeCursor(db: Ledger): number {
  return db
    .transaction(() => {
      const row = sql(db, "SELECT value FROM settings WHERE key = 'tsa_cursor'").get() as { value: string } | undefined;
      const cursor = row ? Number(row.value) : 0;
      sql(
        db,
        "INSERT INTO settings (key, value) VALUES ('tsa_cursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(String(cursor + 1));
      return cursor;
    })
    .immediate();
}

/** A TSA certificate seen in an accepted token: exact DER, its notAfter, and the token's genTime (what makes it newest). */
export type SeenTsaCertificate = { readonly der: Uint8Array; readonly notAfter: Date; readonly genTime: Date };

/**
 * Records the signer certificate of a token accepted from `slug`, unless a newer token (later genTime) already gave
 * one. Called wherever a token is accepted (stamp, queue, seal, restamp), so restamp selection knows each TSA's.
 */
export function noteTsaCertificate(db: Ledger, slug: string, c: SeenTsaCertificate): void {
  sql(
    db,
    `UPDATE tsa_providers SET last_cert = ?, last_cert_sha256 = ?, last_cert_not_after = ?, last_cert_gen_time = ?
           WHERE slug = ? AND (last_cert_gen_time IS NULL OR last_cert_gen_time <= ?)`,
  ).run(
    c.der,
    createHash('sha256').update(c.der).digest('hex'),
    c.notAfter.toISOString(),
    c.genTime.toISOString(),
    slug,
    c.genTime.toISOString(),
  );
}

/** The certificate noteTsaCertificate() kept for `slug` (null: never seen, or known only from a pre-v10 stamp's date). */
export type TsaLastCertificate = {
  readonly der: Uint8Array | null;
  readonly notAfter: string | null;
  readonly genTime: string | null;
};

export function tsaLastCertificate(db: Ledger, slug: string): TsaLastCertificate | null {
  const r = sql(db, 'SELECT last_cert, last_cert_not_after, last_cert_gen_time FROM tsa_providers WHERE slug = ?').get(
    slug,
  ) as { last_cert: Buffer | null; last_cert_not_after: string | null; last_cert_gen_time: string | null } | undefined;
  if (!r) return null;
  return {
    der: r.last_cert ? new Uint8Array(r.last_cert) : null,
    notAfter: r.last_cert_not_after,
    genTime: r.last_cert_gen_time,
  };
}

/** noteTsaCertificate() for a dispatcher result: its provider, its signer certificate, its genTime. */
export function noteAcceptedToken(db: Ledger, r: Pick<StampResult, 'provider' | 'signature' | 'decoded'>): void {
  const signer = r.signature.signer;
  const genTime = r.decoded.token?.tstInfo.genTime;
  if (signer && genTime)
    noteTsaCertificate(db, r.provider.slug, { der: signer.der, notAfter: signer.notAfter, genTime });
}
