// Revocation data (OCSP responses, CRLs) fetched for seals, restamps and `--online` checks, kept until its nextUpdate so
// a run fetches it once, and kept after for what the ledger knows of revocations (chain checks). Capped in bytes
// (issue 14: the URLs come from documents, so what they return must not grow the ledger without bound): default
// 64 MiB of answers; past it the oldest answers are evicted first (down to 90 %), except OCSP answers saying "revoked",
// which offline chain checks rely on (a CRL evicted is fetched again by the next online check).
import { childrenOf, readTlv, rootOf } from '../asn1/tlv.js';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type CachedRevocation = {
  readonly kind: 'ocsp' | 'crl';
  readonly url: string;
  readonly certSha256: string;
  readonly der: Uint8Array;
  readonly fetchedAt: string;
  readonly nextUpdate: string | null;
};

export const DEFAULT_REVOCATION_CACHE_BYTES = 64 * 1024 * 1024;

/** A cached answer still fresh at `now` (before its nextUpdate; without one, fetched within `maxAgeMs`), and fetched at
 * or after `fetchedAfter` when given. */
export function cachedRevocation(
  db: Ledger,
  kind: 'ocsp' | 'crl',
  url: string,
  certSha256: string,
  now: Date,
  maxAgeMs = 3_600_000,
  fetchedAfter?: Date,
): Uint8Array | null {
  const row = sql(
    db,
    'SELECT der, fetched_at, next_update FROM revocation_cache WHERE kind = ? AND url = ? AND cert_sha256 = ?',
  ).get(kind, url, certSha256) as { der: Buffer; fetched_at: string; next_update: string | null } | undefined;
  if (!row) return null;
  if (fetchedAfter && Date.parse(row.fetched_at) < fetchedAfter.getTime()) return null;
  const fresh = row.next_update
    ? now < new Date(row.next_update)
    : now.getTime() - Date.parse(row.fetched_at) < maxAgeMs;
  return fresh ? new Uint8Array(row.der) : null;
}

/** Stores an answer (replacing the one for the same kind, URL and certificate), then evicts down to `capBytes`. */
export function cacheRevocation(db: Ledger, r: CachedRevocation, capBytes = DEFAULT_REVOCATION_CACHE_BYTES): void {
  db.transaction(() => {
    sql(
      db,
      `INSERT INTO revocation_cache (kind, url, cert_sha256, der, fetched_at, next_update) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (kind, url, cert_sha256) DO UPDATE SET der = excluded.der, fetched_at = excluded.fetched_at, next_update = excluded.next_update`,
    ).run(r.kind, r.url, r.certSha256, r.der, r.fetchedAt, r.nextUpdate);
    evictRevocations(db, capBytes);
  })();
}

type Row = { id: number; kind: string; size: number };

/** Once past `capBytes`, evicts the oldest answers down to 90 % of it (OCSP "revoked" answers kept), so a full cache
 * is not sorted again on every insert; returns how many. */
export function evictRevocations(db: Ledger, capBytes = DEFAULT_REVOCATION_CACHE_BYTES): number {
  const total = revocationCacheBytes(db);
  if (total <= capBytes) return 0;
  const target = Math.floor(capBytes * 0.9);
  // Oldest first; length() reads a BLOB's size from its record header, not its bytes.
  const oldestFirst =
    'SELECT rowid AS id, kind, length(der) AS size FROM revocation_cache ORDER BY fetched_at ASC, rowid ASC';
  const rows = sql(db, oldestFirst).all() as Row[];
  let excess = total - target;
  let evicted = 0;
  const del = sql(db, 'DELETE FROM revocation_cache WHERE rowid = ?');
  const derOf = sql(db, 'SELECT der FROM revocation_cache WHERE rowid = ?');
  for (const row of rows) {
    if (excess <= 0) break;
    if (row.kind === 'ocsp' && ocspSaysRevoked(new Uint8Array((derOf.get(row.id) as { der: Buffer }).der))) continue;
    del.run(row.id);
    excess -= row.size;
    evicted++;
  }
  return evicted;
}

/** Bytes the cache holds. */
export function revocationCacheBytes(db: Ledger): number {
  return (sql(db, 'SELECT COALESCE(SUM(length(der)), 0) AS n FROM revocation_cache').get() as { n: number }).n;
}

/** Every answer the ledger holds about a certificate, fresh or not: OCSP for it, and the CRLs at the URLs it names. */
export function knownRevocationData(db: Ledger, certSha256: string, crlUrls: readonly string[]): CachedRevocation[] {
  const rows = sql(
    db,
    "SELECT * FROM revocation_cache WHERE (kind = 'ocsp' AND cert_sha256 = ?) OR (kind = 'crl' AND url IN (SELECT value FROM json_each(?)))",
  ).all(certSha256, JSON.stringify(crlUrls)) as {
    kind: 'ocsp' | 'crl';
    url: string;
    cert_sha256: string;
    der: Buffer;
    fetched_at: string;
    next_update: string | null;
  }[];
  return rows.map((r) => ({
    kind: r.kind,
    url: r.url,
    certSha256: r.cert_sha256,
    der: new Uint8Array(r.der),
    fetchedAt: r.fetched_at,
    nextUpdate: r.next_update,
  }));
}

/**
 * Whether an OCSP response's answers include a revoked certStatus ([1]), read by a TLV walk without checking its
 * signature (only to decide what to keep: an answer is checked where it is used). RFC 6960 §4.2.1: OCSPResponse ->
 * responseBytes [0] -> response OCTET STRING -> BasicOCSPResponse -> tbsResponseData -> responses -> SingleResponse.
 */
function ocspSaysRevoked(der: Uint8Array): boolean {
  try {
    const [, bytes] = childrenOf(der, rootOf(der));
    if (bytes?.tag !== 0xa0) return false;
    const rb = readTlv(der, bytes.contentStart, bytes.contentEnd);
    const [, octets] = childrenOf(der, rb);
    if (octets?.tag !== 0x04) return false;
    const basic = readTlv(der, octets.contentStart, octets.contentEnd);
    const [tbs] = childrenOf(der, basic);
    const fields = childrenOf(der, tbs!);
    const responses = fields[fields[0]?.tag === 0xa0 ? 3 : 2];
    if (responses?.tag !== 0x30) return false;
    return childrenOf(der, responses).some((single) => childrenOf(der, single)[1]?.tag === 0xa1);
  } catch {
    return false; // not readable: nothing to keep it for
  }
}
