// Seal operations (seed /seal/operations): what was sealed, with which certificate, and the exact signature bytes.
import type { Ledger } from './open.js';
import { sql } from './statements.js';

export type OperationRecord = {
  readonly id: string;
  readonly documentSha512: string;
  readonly label: string | null;
  readonly status: 'success' | 'timestamp_pending';
  readonly signatureType: 'cades' | 'pades';
  readonly certificateId: string | null;
  readonly certLabel: string | null;
  readonly filePath: string | null;
  readonly outputPath: string | null;
  /** SHA-256 of the output file as Sealdesk wrote it: later extensions only touch a byte-identical file. */
  readonly outputSha256: string | null;
  readonly signature: Uint8Array | null;
  readonly tsaName: string | null;
  readonly requestedTsa: string;
  readonly createdAt: string;
  /** PAdES: the level asked for (B-B … B-LTA) and the level the file has reached; null for CAdES. */
  readonly level?: string | null;
  readonly reachedLevel?: string | null;
  /** Made on this machine, or pulled from the sync server (ledger v11). */
  readonly origin?: 'local' | 'remote';
};

type Row = {
  id: string;
  document_sha512: string;
  label: string | null;
  status: string;
  signature_type: string;
  certificate_id: string | null;
  cert_label: string | null;
  file_path: string | null;
  output_path: string | null;
  output_sha256: string | null;
  signature: Buffer | null;
  tsa_name: string | null;
  requested_tsa: string;
  created_at: string;
  level: string | null;
  reached_level: string | null;
  origin?: string;
};

const fromRow = (r: Row): OperationRecord => ({
  id: r.id,
  documentSha512: r.document_sha512,
  label: r.label,
  status: r.status as OperationRecord['status'],
  signatureType: r.signature_type as OperationRecord['signatureType'],
  certificateId: r.certificate_id,
  certLabel: r.cert_label,
  filePath: r.file_path,
  outputPath: r.output_path,
  outputSha256: r.output_sha256,
  signature: r.signature ? new Uint8Array(r.signature) : null,
  tsaName: r.tsa_name,
  requestedTsa: r.requested_tsa,
  createdAt: r.created_at,
  level: r.level,
  reachedLevel: r.reached_level,
  origin: r.origin === 'remote' ? 'remote' : 'local',
});

export function insertOperation(db: Ledger, o: OperationRecord): OperationRecord {
  sql(
    db,
    `INSERT INTO operations (id, document_sha512, label, status, signature_type, certificate_id, cert_label, file_path,
      output_path, output_sha256, signature, tsa_name, requested_tsa, created_at, level, reached_level)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    o.id,
    o.documentSha512,
    o.label,
    o.status,
    o.signatureType,
    o.certificateId,
    o.certLabel,
    o.filePath,
    o.outputPath,
    o.outputSha256,
    o.signature,
    o.tsaName,
    o.requestedTsa,
    o.createdAt,
    o.level ?? null,
    o.reachedLevel ?? null,
  );
  return o;
}

export function setOperationOutput(db: Ledger, id: string, outputPath: string): void {
  sql(db, 'UPDATE operations SET output_path = ? WHERE id = ?').run(outputPath, id);
}

export type OperationsPage = {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly items: readonly OperationRecord[];
};

/** Newest first; `search` on label prefix or document hash prefix (seed /seal/operations). */
export function listOperations(db: Ledger, q: { search?: string; page: number; pageSize: number }): OperationsPage {
  const s = q.search?.trim();
  const where = s ? "WHERE label LIKE ? ESCAPE '\\' OR document_sha512 LIKE ?" : '';
  const args = s ? [`${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, `${s.toLowerCase().replace(/[^0-9a-f]/g, '')}%`] : [];
  const total = (sql(db, `SELECT count(*) AS n FROM operations ${where}`).get(...args) as { n: number }).n;
  const rows = sql(db, `SELECT * FROM operations ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`).all(
    ...args,
    q.pageSize,
    (q.page - 1) * q.pageSize,
  ) as Row[];
  return { total, page: q.page, pageSize: q.pageSize, items: rows.map(fromRow) };
}

export function pendingOperations(db: Ledger): OperationRecord[] {
  return (
    sql(db, "SELECT * FROM operations WHERE status = 'timestamp_pending' ORDER BY created_at, rowid").all() as Row[]
  ).map(fromRow);
}

/** Records the time-stamped signature; false when the operation was no longer pending. */
export function completeOperation(
  db: Ledger,
  id: string,
  signature: Uint8Array,
  outputSha256: string,
  tsaName: string,
): boolean {
  return (
    sql(
      db,
      "UPDATE operations SET status = 'success', signature = ?, output_sha256 = ?, tsa_name = ? WHERE id = ? AND status = 'timestamp_pending'",
    ).run(signature, outputSha256, tsaName, id).changes === 1
  );
}

/** A PAdES seal brought to a further level: the file's new hash, and success once the requested level is reached. */
export function advanceOperation(
  db: Ledger,
  id: string,
  p: { reachedLevel: string; outputSha256: string; tsaName: string | null; done: boolean; restamp?: boolean },
): boolean {
  // A queued level completes a pending operation; a restamp extends one that already succeeded.
  const from = p.restamp ? 'success' : 'timestamp_pending';
  return (
    sql(
      db,
      'UPDATE operations SET reached_level = ?, output_sha256 = ?, tsa_name = coalesce(?, tsa_name), status = ? WHERE id = ? AND status = ?',
    ).run(p.reachedLevel, p.outputSha256, p.tsaName, p.done ? 'success' : 'timestamp_pending', id, from).changes === 1
  );
}

export type OperationFile = {
  readonly operationId: string;
  readonly step: number;
  readonly level: string | null;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly at: string;
};

/** Every version of the file a seal wrote, in order: where it was and what it hashed to. */
export function recordOperationFile(db: Ledger, f: Omit<OperationFile, 'step'>): void {
  sql(
    db,
    `INSERT INTO operation_files (operation_id, step, level, path, sha256, size, at)
    VALUES (?, (SELECT coalesce(max(step), 0) + 1 FROM operation_files WHERE operation_id = ?), ?, ?, ?, ?, ?)`,
  ).run(f.operationId, f.operationId, f.level, f.path, f.sha256, f.size, f.at);
}

export function operationFiles(db: Ledger, operationId: string): OperationFile[] {
  const rows = sql(db, 'SELECT * FROM operation_files WHERE operation_id = ? ORDER BY step').all(operationId) as {
    operation_id: string;
    step: number;
    level: string | null;
    path: string;
    sha256: string;
    size: number;
    at: string;
  }[];
  return rows.map((r) => ({
    operationId: r.operation_id,
    step: r.step,
    level: r.level,
    path: r.path,
    sha256: r.sha256,
    size: r.size,
    at: r.at,
  }));
}

export function getOperation(db: Ledger, id: string): OperationRecord | undefined {
  const row = sql(db, 'SELECT * FROM operations WHERE id = ?').get(id) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** The operation whose output file, as last recorded, has this SHA-256 (imports are recorded once). */
export function operationByOutput(db: Ledger, outputSha256: string): OperationRecord | undefined {
  const row = sql(db, 'SELECT * FROM operations WHERE output_sha256 = ? ORDER BY rowid LIMIT 1').get(outputSha256) as
    Row | undefined;
  return row ? fromRow(row) : undefined;
}
