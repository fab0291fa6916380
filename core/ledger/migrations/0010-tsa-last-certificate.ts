// Ledger v10: what Sealdesk last saw of each TSA — the signer certificate of its newest accepted token (exact DER, its
// SHA-256, its notAfter, the token's genTime) — so a restamp's auto selection can skip a TSA whose certificate would not
// outlast the chain it extends (RFC 3161 §4 restamping) without spending a request to find out.
import type { Database } from 'better-sqlite3';

export const version = 10;

export function up(db: Database): void {
  db.exec(`
    ALTER TABLE tsa_providers ADD COLUMN last_cert BLOB;
    ALTER TABLE tsa_providers ADD COLUMN last_cert_sha256 TEXT;
    ALTER TABLE tsa_providers ADD COLUMN last_cert_not_after TEXT;
    ALTER TABLE tsa_providers ADD COLUMN last_cert_gen_time TEXT;
  `);
  // Stamps made before v10 give each TSA's last notAfter (their certificate's DER is inside the .tsr, not read here:
  // the next accepted token stores it).
  db.exec(`
    UPDATE tsa_providers SET
      last_cert_not_after = (SELECT s.tsa_cert_not_after FROM stamps s WHERE s.tsa_slug = tsa_providers.slug AND s.status = 'stamped'
                               AND s.tsa_cert_not_after IS NOT NULL ORDER BY s.gen_time DESC LIMIT 1),
      last_cert_gen_time = (SELECT s.gen_time FROM stamps s WHERE s.tsa_slug = tsa_providers.slug AND s.status = 'stamped'
                              AND s.tsa_cert_not_after IS NOT NULL ORDER BY s.gen_time DESC LIMIT 1);
  `);
}
