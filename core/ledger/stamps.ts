// Stamp records: insert, complete a pending one, look up by file hash, page through history.
import type { HashAlgorithm } from '../asn1/oids.js';
import { toHex } from '../asn1/bytes.js';
import type { StampRecord } from '../model/stamp.js';
import type { Ledger } from './open.js';
import { sql } from './statements.js';

type Row = {
  id: string;
  file_sha512: string;
  imprint_alg: string;
  imprint: Buffer;
  label: string | null;
  file_path: string | null;
  tsr_path: string | null;
  requested_tsa: string;
  status: string;
  tsa_slug: string | null;
  tsa_name: string | null;
  gen_time: string | null;
  serial: string | null;
  policy_oid: string | null;
  tsa_cert_not_after: string | null;
  tsr: Buffer | null;
  qualified: number;
  parent_id: string | null;
  created_at: string;
  sync_state: string;
  origin?: string;
};

function fromRow(r: Row): StampRecord {
  return {
    id: r.id,
    fileSha512: r.file_sha512,
    imprintAlgorithm: r.imprint_alg as HashAlgorithm,
    imprintHex: toHex(r.imprint),
    label: r.label,
    filePath: r.file_path,
    tsrPath: r.tsr_path,
    requestedTsa: r.requested_tsa,
    status: r.status as StampRecord['status'],
    tsaSlug: r.tsa_slug,
    tsaName: r.tsa_name,
    genTime: r.gen_time,
    serialHex: r.serial,
    policyOid: r.policy_oid,
    tsaCertNotAfter: r.tsa_cert_not_after,
    tsr: r.tsr ? new Uint8Array(r.tsr) : null,
    qualified: r.qualified === 1,
    parentId: r.parent_id,
    createdAt: r.created_at,
    syncState: r.sync_state as StampRecord['syncState'],
    origin: r.origin === 'remote' ? 'remote' : 'local',
  };
}

export type TokenFacts = {
  readonly tsaSlug: string;
  readonly tsaName: string;
  readonly genTime: string;
  readonly serialHex: string;
  readonly policyOid: string;
  readonly tsaCertNotAfter: string | null;
  readonly tsr: Uint8Array;
  readonly tsrSha256: string;
  readonly qualified: boolean;
};

export type NewStamp = {
  readonly id: string;
  readonly fileSha512: string;
  readonly imprintAlgorithm: HashAlgorithm;
  readonly imprint: Uint8Array;
  readonly label: string | null;
  readonly filePath: string | null;
  readonly tsrPath: string | null;
  readonly requestedTsa: string;
  readonly createdAt: string;
  readonly parentId?: string | null;
  /** Absent: the stamp is pending (queued offline). */
  readonly token?: TokenFacts;
};

export function insertStamp(db: Ledger, s: NewStamp): StampRecord {
  const t = s.token;
  sql(
    db,
    `INSERT INTO stamps (id, file_sha512, imprint_alg, imprint, label, file_path, tsr_path, requested_tsa, status, tsa_slug, tsa_name,
      gen_time, serial, policy_oid, tsa_cert_not_after, tsr, tsr_sha256, qualified, parent_id, created_at, sync_state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local')`,
  ).run(
    s.id,
    s.fileSha512,
    s.imprintAlgorithm,
    s.imprint,
    s.label,
    s.filePath,
    s.tsrPath,
    s.requestedTsa,
    t ? 'stamped' : 'pending',
    t?.tsaSlug ?? null,
    t?.tsaName ?? null,
    t?.genTime ?? null,
    t?.serialHex ?? null,
    t?.policyOid ?? null,
    t?.tsaCertNotAfter ?? null,
    t?.tsr ?? null,
    t?.tsrSha256 ?? null,
    t?.qualified ? 1 : 0,
    s.parentId ?? null,
    s.createdAt,
  );
  return getStamp(db, s.id)!;
}

/** Turns a pending record into a stamped one; false when it was no longer pending (another run did it). */
export function completeStamp(db: Ledger, id: string, t: TokenFacts, tsrPath: string | null): boolean {
  const res = sql(
    db,
    `UPDATE stamps SET status = 'stamped', tsa_slug = ?, tsa_name = ?, gen_time = ?, serial = ?, policy_oid = ?,
      tsa_cert_not_after = ?, tsr = ?, tsr_sha256 = ?, qualified = ?, tsr_path = ? WHERE id = ? AND status = 'pending'`,
  ).run(
    t.tsaSlug,
    t.tsaName,
    t.genTime,
    t.serialHex,
    t.policyOid,
    t.tsaCertNotAfter,
    t.tsr,
    t.tsrSha256,
    t.qualified ? 1 : 0,
    tsrPath,
    id,
  );
  return res.changes === 1;
}

export function setTsrPath(db: Ledger, id: string, tsrPath: string): void {
  sql(db, 'UPDATE stamps SET tsr_path = ? WHERE id = ?').run(tsrPath, id);
}

export function getStamp(db: Ledger, id: string): StampRecord | undefined {
  const row = sql(db, 'SELECT * FROM stamps WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Every record for a file's SHA-512, newest first. */
export function stampsForFile(db: Ledger, fileSha512: string): StampRecord[] {
  return (
    sql(db, 'SELECT * FROM stamps WHERE file_sha512 = ? ORDER BY created_at DESC, rowid DESC').all(
      fileSha512.toLowerCase(),
    ) as Row[]
  ).map(fromRow);
}

export function pendingStamps(db: Ledger): StampRecord[] {
  return (sql(db, "SELECT * FROM stamps WHERE status = 'pending' ORDER BY created_at, rowid").all() as Row[]).map(
    fromRow,
  );
}

export type HistoryQuery = { readonly search?: string; readonly page: number; readonly pageSize: number };
export type HistoryPage = {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly items: readonly StampRecord[];
};

/** Seed's /api/transactions/details: newest first, `search` on label (substring) or hash prefix. */
export function history(db: Ledger, q: HistoryQuery): HistoryPage {
  const search = q.search?.trim();
  const where = search
    ? "WHERE label LIKE ? ESCAPE '\\' OR file_sha512 LIKE ? ESCAPE '\\' OR imprint_hex_prefix(imprint) LIKE ? ESCAPE '\\'"
    : '';
  const like = search ? `%${escapeLike(search)}%` : '';
  const prefix = search ? `${escapeLike(search.toLowerCase())}%` : '';
  const args = search ? [like, prefix, prefix] : [];
  registerFunctions(db);
  const total = (sql(db, `SELECT count(*) AS n FROM stamps ${where}`).get(...args) as { n: number }).n;
  const rows = sql(db, `SELECT * FROM stamps ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(
    ...args,
    q.pageSize,
    (q.page - 1) * q.pageSize,
  ) as Row[];
  return { total, page: q.page, pageSize: q.pageSize, items: rows.map(fromRow) };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const registered = new WeakSet<Ledger>();
function registerFunctions(db: Ledger): void {
  if (registered.has(db)) return;
  db.function('imprint_hex_prefix', { deterministic: true }, (b: unknown) =>
    b instanceof Uint8Array ? Buffer.from(b).toString('hex') : null,
  );
  registered.add(db);
}

export function countStamps(db: Ledger): { stamped: number; pending: number } {
  const rows = sql(db, 'SELECT status, count(*) AS n FROM stamps GROUP BY status').all() as {
    status: string;
    n: number;
  }[];
  return {
    stamped: rows.find((r) => r.status === 'stamped')?.n ?? 0,
    pending: rows.find((r) => r.status === 'pending')?.n ?? 0,
  };
}

/** The records restamping `id` (RFC 3161 §4 chain children), oldest first. */
export function childStamps(db: Ledger, id: string): StampRecord[] {
  return (sql(db, 'SELECT * FROM stamps WHERE parent_id = ? ORDER BY created_at, rowid').all(id) as Row[]).map(fromRow);
}

/** The newest link of every chain that needs a restamp: its TSA certificate expires before `before` (and, with
 * `includeWeak`, its imprint uses SHA-1). Index range scans only (EXPLAIN QUERY PLAN is checked in a test). */
const EXPIRING_WHERE = `FROM stamps s INDEXED BY stamps_by_cert_expiry
   WHERE s.status = 'stamped' AND s.tsa_cert_not_after <= ?
     AND NOT EXISTS (SELECT 1 FROM stamps c WHERE c.parent_id = s.id)`;
const WEAK_WHERE = `FROM stamps s INDEXED BY stamps_weak_imprint
   WHERE s.status = 'stamped' AND s.imprint_alg = 'sha1'
     AND NOT EXISTS (SELECT 1 FROM stamps c WHERE c.parent_id = s.id)`;
export const EXPIRING_SQL = `SELECT * ${EXPIRING_WHERE}`;
export const WEAK_SQL = `SELECT * ${WEAK_WHERE}`;
/** The same selection without the .tsr blobs: what a bulk run's journal and its counts need. */
const LIGHT = 's.id, s.tsa_name, s.tsa_cert_not_after, s.imprint_alg';
export const EXPIRING_LIGHT_SQL = `SELECT ${LIGHT} ${EXPIRING_WHERE}`;
export const WEAK_LIGHT_SQL = `SELECT ${LIGHT} ${WEAK_WHERE}`;

export type ExpiringQuery = { readonly before: Date; readonly includeWeak?: boolean; readonly limit?: number };
export type ExpiringLink = {
  readonly id: string;
  readonly tsaName: string | null;
  readonly tsaCertNotAfter: string | null;
  readonly imprintAlgorithm: string;
};

/** The selection's SQL and parameters (ids and facts, no blobs), soonest expiry first; for INSERT … SELECT. */
export function expiringSelection(o: ExpiringQuery): { readonly query: string; readonly params: readonly unknown[] } {
  const union = o.includeWeak ? `${EXPIRING_LIGHT_SQL} UNION ${WEAK_LIGHT_SQL}` : EXPIRING_LIGHT_SQL;
  return { query: `${union} ORDER BY tsa_cert_not_after LIMIT ?`, params: [o.before.toISOString(), o.limit ?? -1] };
}

export function expiringLinks(db: Ledger, o: ExpiringQuery): StampRecord[] {
  const query = o.includeWeak
    ? `${EXPIRING_SQL} UNION ${WEAK_SQL} ORDER BY tsa_cert_not_after LIMIT ?`
    : `${EXPIRING_SQL} ORDER BY tsa_cert_not_after LIMIT ?`;
  return (sql(db, query).all(o.before.toISOString(), o.limit ?? -1) as Row[]).map(fromRow);
}

/** The selection one row at a time, without the .tsr blobs: memory stays flat however many chains expire. */
export function* expiringLinkFacts(db: Ledger, o: ExpiringQuery): Generator<ExpiringLink> {
  const { query, params } = expiringSelection(o);
  type Light = { id: string; tsa_name: string | null; tsa_cert_not_after: string | null; imprint_alg: string };
  for (const r of sql(db, query).iterate(...params) as IterableIterator<Light>) {
    yield { id: r.id, tsaName: r.tsa_name, tsaCertNotAfter: r.tsa_cert_not_after, imprintAlgorithm: r.imprint_alg };
  }
}
