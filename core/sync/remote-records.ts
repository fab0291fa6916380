// Records pulled from the server into the ledger (origin 'remote'): a stamp the server already knows by the id our push
// recorded, or by its token's SHA-256, stays ONE record (it only gains the remote id); otherwise a new remote record
// with the token's facts. Labels: the server's newer value wins unless a local edit waits in the outbox (it is pushed
// next and becomes the newer one there); the replaced value stays in label_history (migration 11's trigger).
import { createHash, randomUUID } from 'node:crypto';
import { fromHex } from '../asn1/bytes.js';
import { OID, type HashAlgorithm } from '../asn1/oids.js';
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';
import { UNKNOWN_SHA512 } from '../ledger/sync.js';

export type RemoteStamp = {
  readonly id: string;
  readonly hashHex: string;
  readonly hashAlgorithmOid: string;
  readonly label: string | null;
  readonly labelUpdatedAt?: string | null;
  readonly tsaSlug: string | null;
  readonly tsaName: string;
  readonly serial: string;
  readonly genTime: string;
  readonly certNotAfter: string | null;
  readonly qualified: boolean;
  readonly policyOid: string | null;
  readonly parentTransactionId: string | null;
  readonly createdAt: string;
};

export type RemoteSeal = {
  readonly id: string;
  readonly documentHash: string;
  readonly label: string;
  readonly status: string;
  readonly createdAt: string;
  readonly certLabel: string;
  readonly signatureType: 'cades' | 'pades';
  readonly tsaName: string | null;
};

/** What a pulled item did to the ledger. */
export type Applied = 'new' | 'matched' | 'relabelled' | 'same';

const ALG: Record<string, HashAlgorithm> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};
const NOW = () => new Date().toISOString();

type Local = { id: string; label: string | null; remote_label_at: string | null };

function reconcileLabel(db: Ledger, table: 'stamps' | 'operations', l: Local, label: string | null, at: string) {
  if (l.remote_label_at !== null && at <= l.remote_label_at) return 'same';
  const waiting = sql(db, "SELECT 1 FROM sync_outbox WHERE kind = 'label' AND record_id = ? AND state = 'pending'");
  if (waiting.get(l.id)) return 'same';
  if (l.label === label) {
    sql(db, `UPDATE ${table} SET remote_label_at = ? WHERE id = ?`).run(at, l.id);
    return 'same';
  }
  sql(db, `UPDATE ${table} SET label = ?, remote_label_at = ? WHERE id = ?`).run(label, at, l.id);
  return 'relabelled';
}

const blank = (s: string | null) => (s === '' ? null : s);

export function applyRemoteStamp(db: Ledger, r: RemoteStamp, tsr: Uint8Array): Applied {
  const label = blank(r.label);
  const labelAt = r.labelUpdatedAt ?? r.createdAt;
  const cols = 'id, label, remote_label_at';
  const known = sql(db, `SELECT ${cols} FROM stamps WHERE remote_id = ?`).get(r.id) as Local | undefined;
  if (known) return reconcileLabel(db, 'stamps', known, label, labelAt);
  const tsrSha256 = createHash('sha256').update(tsr).digest('hex');
  const same = sql(db, `SELECT ${cols} FROM stamps WHERE tsr_sha256 = ? AND remote_id IS NULL LIMIT 1`).get(
    tsrSha256,
  ) as Local | undefined;
  if (same) {
    sql(db, 'UPDATE stamps SET remote_id = ? WHERE id = ?').run(r.id, same.id);
    reconcileLabel(db, 'stamps', same, label, labelAt);
    return 'matched';
  }
  const alg = ALG[r.hashAlgorithmOid] ?? 'sha512';
  const hash = r.hashHex.toLowerCase();
  // A restamp link covers the previous token, not the file: it keeps its chain's file hash (lookup finds the chain).
  const parent = r.parentTransactionId
    ? (sql(db, 'SELECT id, file_sha512 FROM stamps WHERE remote_id = ?').get(r.parentTransactionId) as
        { id: string; file_sha512: string } | undefined)
    : undefined;
  const fileSha512 = parent?.file_sha512 ?? (alg === 'sha512' && !r.parentTransactionId ? hash : UNKNOWN_SHA512);
  sql(
    db,
    `INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, label, requested_tsa, status, tsa_slug, tsa_name,
       gen_time, serial, policy_oid, tsa_cert_not_after, tsr, tsr_sha256, qualified, parent_id, created_at, sync_state,
       origin, remote_id, remote_parent_id, remote_label_at)
     VALUES (?, ?, ?, ?, ?, 'remote', 'stamped', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced', 'remote', ?, ?, ?)`,
  ).run(
    randomUUID(),
    fileSha512,
    alg,
    fromHex(hash),
    label,
    r.tsaSlug,
    r.tsaName,
    r.genTime,
    r.serial,
    r.policyOid,
    r.certNotAfter,
    tsr,
    tsrSha256,
    r.qualified ? 1 : 0,
    parent?.id ?? null,
    r.createdAt ?? NOW(),
    r.id,
    r.parentTransactionId,
    labelAt,
  );
  return 'new';
}

/** Remote links pulled before the link they restamp get their parent, and their chain's file hash, once it is here. */
export function linkRemoteParents(db: Ledger): void {
  sql(
    db,
    `UPDATE stamps SET parent_id = (SELECT p.id FROM stamps p WHERE p.remote_id = stamps.remote_parent_id)
     WHERE remote_parent_id IS NOT NULL AND parent_id IS NULL
       AND EXISTS (SELECT 1 FROM stamps p WHERE p.remote_id = stamps.remote_parent_id)`,
  ).run();
  const inherit = sql(
    db,
    `UPDATE stamps SET file_sha512 = (SELECT p.file_sha512 FROM stamps p WHERE p.id = stamps.parent_id)
     WHERE origin = 'remote' AND parent_id IS NOT NULL
       AND file_sha512 != (SELECT p.file_sha512 FROM stamps p WHERE p.id = stamps.parent_id)`,
  );
  // One chain step per pass (links may have arrived newest first); a chain is far shorter than this bound.
  for (let i = 0; i < 1000 && inherit.run().changes > 0; i++);
}

export function applyRemoteSeal(db: Ledger, s: RemoteSeal): Applied {
  const label = blank(s.label);
  const cols = 'id, label, remote_label_at';
  const known = sql(db, `SELECT ${cols} FROM operations WHERE remote_id = ?`).get(s.id) as Local | undefined;
  if (known) return reconcileLabel(db, 'operations', known, label, s.createdAt);
  sql(
    db,
    `INSERT INTO operations (id, document_sha512, label, status, signature_type, cert_label, tsa_name, requested_tsa,
       created_at, origin, remote_id, remote_label_at, remote_document_sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'remote', ?, 'remote', ?, ?, ?)`,
  ).run(
    randomUUID(),
    UNKNOWN_SHA512,
    label,
    s.status === 'timestamp_pending' ? 'timestamp_pending' : 'success',
    s.signatureType,
    s.certLabel || null,
    s.tsaName,
    s.createdAt,
    s.id,
    s.createdAt,
    s.documentHash.toLowerCase(),
  );
  return 'new';
}
