// Revocation data (OCSP responses, CRLs) fetched for seals, kept until its nextUpdate so a batch fetches it once.
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type CachedRevocation = { readonly kind: 'ocsp' | 'crl'; readonly url: string; readonly certSha256: string; readonly der: Uint8Array; readonly fetchedAt: string; readonly nextUpdate: string | null };

/** A cached answer still fresh at `now` (before its nextUpdate; without one, fetched within `maxAgeMs`). */
export function cachedRevocation(db: Ledger, kind: 'ocsp' | 'crl', url: string, certSha256: string, now: Date, maxAgeMs = 3_600_000): Uint8Array | null {
  const row = sql(db, 'SELECT der, fetched_at, next_update FROM revocation_cache WHERE kind = ? AND url = ? AND cert_sha256 = ?').get(kind, url, certSha256) as { der: Buffer; fetched_at: string; next_update: string | null } | undefined;
  if (!row) return null;
  const fresh = row.next_update ? now < new Date(row.next_update) : now.getTime() - Date.parse(row.fetched_at) < maxAgeMs;
  return fresh ? new Uint8Array(row.der) : null;
}

export function cacheRevocation(db: Ledger, r: CachedRevocation): void {
  sql(db, `INSERT INTO revocation_cache (kind, url, cert_sha256, der, fetched_at, next_update) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (kind, url, cert_sha256) DO UPDATE SET der = excluded.der, fetched_at = excluded.fetched_at, next_update = excluded.next_update`).run(r.kind, r.url, r.certSha256, r.der, r.fetchedAt, r.nextUpdate);
}

/** Every answer the ledger holds about a certificate, fresh or not: OCSP for it, and the CRLs at the URLs it names. */
export function knownRevocationData(db: Ledger, certSha256: string, crlUrls: readonly string[]): CachedRevocation[] {
  const rows = sql(db, "SELECT * FROM revocation_cache WHERE (kind = 'ocsp' AND cert_sha256 = ?) OR (kind = 'crl' AND url IN (SELECT value FROM json_each(?)))").all(certSha256, JSON.stringify(crlUrls)) as { kind: 'ocsp' | 'crl'; url: string; cert_sha256: string; der: Buffer; fetched_at: string; next_update: string | null }[];
  return rows.map((r) => ({ kind: r.kind, url: r.url, certSha256: r.cert_sha256, der: new Uint8Array(r.der), fetchedAt: r.fetched_at, nextUpdate: r.next_update }));
}
