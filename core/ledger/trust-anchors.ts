// The trust store: certificates the user chose to trust for verification (`sealdesk trust add`).
import { createHash, randomUUID } from 'node:crypto';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type TrustAnchor = {
  readonly id: string;
  readonly subject: string;
  readonly sha256: string;
  readonly der: Uint8Array;
  readonly notAfter: string;
  readonly addedAt: string;
};

type Row = { id: string; subject: string; sha256: string; der: Buffer; not_after: string; added_at: string };
const fromRow = (r: Row): TrustAnchor => ({
  id: r.id,
  subject: r.subject,
  sha256: r.sha256,
  der: new Uint8Array(r.der),
  notAfter: r.not_after,
  addedAt: r.added_at,
});

/** Adds the anchor unless the same certificate is already there; returns the stored record either way. */
export function addTrustAnchor(
  db: Ledger,
  a: { subject: string; der: Uint8Array; notAfter: string; at: string },
): { anchor: TrustAnchor; added: boolean } {
  const sha256 = createHash('sha256').update(a.der).digest('hex');
  const existing = sql(db, 'SELECT * FROM trust_anchors WHERE sha256 = ?').get(sha256) as Row | undefined;
  if (existing) return { anchor: fromRow(existing), added: false };
  const id = randomUUID();
  sql(db, 'INSERT INTO trust_anchors (id, subject, sha256, der, not_after, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    a.subject,
    sha256,
    a.der,
    a.notAfter,
    a.at,
  );
  return { anchor: { id, subject: a.subject, sha256, der: a.der, notAfter: a.notAfter, addedAt: a.at }, added: true };
}

export function listTrustAnchors(db: Ledger): TrustAnchor[] {
  return (sql(db, 'SELECT * FROM trust_anchors ORDER BY added_at, rowid').all() as Row[]).map(fromRow);
}

/** Removes by id or by SHA-256 prefix (at least 8 hex digits); false when nothing matched. */
export function removeTrustAnchor(db: Ledger, idOrHash: string): boolean {
  const h = idOrHash.toLowerCase();
  if (sql(db, 'DELETE FROM trust_anchors WHERE id = ?').run(idOrHash).changes > 0) return true;
  return (
    /^[0-9a-f]{8,64}$/.test(h) && sql(db, "DELETE FROM trust_anchors WHERE sha256 LIKE ? || '%'").run(h).changes === 1
  );
}
