// What each local record becomes on the server (issue 17 push): a stamp or restamp link as POST
// /api/transactions/import, a seal as POST /seal/operations/import, a label as PUT /api/transactions/{id}/label.
// Each handler says what the server answered (its id), or why this record cannot go there (refused, in words).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as asn1js from 'asn1js';
import { toHex } from '../asn1/bytes.js';
import { OID } from '../asn1/oids.js';
import { parseSignedData } from '../cms/parse.js';
import { getOperation, type OperationRecord } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import { sql } from '../ledger/statements.js';
import { getStamp } from '../ledger/stamps.js';
import type { OutboxRow } from './outbox.js';
import type { RemoteClient } from './types.js';

export type PushOutcome =
  { readonly remoteId: string | null; readonly also?: () => void } | { readonly refused: string };

export type PushHandler = (
  db: Ledger,
  client: RemoteClient,
  row: OutboxRow,
  signal?: AbortSignal,
) => Promise<PushOutcome>;

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** The server's id for a local record, unless another record here already holds it (the same token twice). */
function keepRemoteId(db: Ledger, table: 'stamps' | 'operations', id: string, remoteId: string): () => void {
  return () =>
    sql(
      db,
      `UPDATE ${table} SET remote_id = ? WHERE id = ? AND remote_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM ${table} WHERE remote_id = ?)`,
    ).run(remoteId, id, remoteId);
}

export const pushStamp: PushHandler = async (db, client, row, signal) => {
  const s = getStamp(db, row.recordId);
  if (!s?.tsr) return { refused: 'the record is no longer in the ledger, or has no token' };
  if (!client.has('transactions-import'))
    return { refused: 'the server does not take stamps made offline (no transactions-import extension)' };
  let parentTransactionId: string | undefined;
  if (s.parentId) {
    const p = sql(db, 'SELECT remote_id FROM stamps WHERE id = ?').get(s.parentId) as { remote_id: string | null };
    if (!p?.remote_id)
      return { refused: 'the link it restamps is not on the server (offer it with sync --include-existing)' };
    parentTransactionId = p.remote_id;
  }
  const json = {
    hashHex: s.imprintHex,
    tsrBase64: b64(s.tsr),
    ...(s.label !== null ? { label: s.label } : {}),
    ...(parentTransactionId ? { parentTransactionId } : {}),
  };
  const path = '/api/transactions/import';
  const r = await client.json<{ id: string }>(
    { method: 'POST', path, json, idempotencyKey: row.idempotencyKey },
    signal,
  );
  return { remoteId: r.id, also: keepRemoteId(db, 'stamps', s.id, r.id) };
};

/** The SHA-256 of the sealed original, as the .p7s signs it (its message-digest attribute). */
function cadesDocumentSha256(p7s: Uint8Array): string | null {
  const si = parseSignedData(p7s, 'seal').signedData.signerInfos[0];
  if (!si || si.digestAlgorithm.algorithmId !== OID.sha256) return null;
  const md = si.signedAttrs?.attributes.find((a) => a.type === OID.messageDigest)?.values[0];
  return md instanceof asn1js.OctetString ? toHex(new Uint8Array(md.valueBlock.valueHexView)) : null;
}

async function sealBody(o: OperationRecord): Promise<Record<string, unknown> | string> {
  const label = o.label !== null ? { label: o.label } : {};
  if (o.signatureType === 'cades') {
    if (!o.signature) return 'the .p7s is not kept in the ledger';
    const documentHashHex = cadesDocumentSha256(o.signature);
    if (!documentHashHex) return 'the seal does not digest with SHA-256, which the server’s import needs';
    return { signatureType: 'cades', documentHashHex, p7sBase64: b64(o.signature), ...label };
  }
  if (!o.outputPath) return 'the sealed PDF was never written';
  const pdf = await readFile(o.outputPath).catch(() => null);
  if (!pdf) return `the sealed PDF is gone from ${o.outputPath}`;
  if (o.outputSha256 && createHash('sha256').update(pdf).digest('hex') !== o.outputSha256)
    return `${o.outputPath} changed since Sealdesk wrote it`;
  return { signatureType: 'pades', pdfBase64: b64(pdf), ...label };
}

export const pushSeal: PushHandler = async (db, client, row, signal) => {
  const o = getOperation(db, row.recordId);
  if (!o) return { refused: 'the seal is no longer in the ledger' };
  if (!client.has('seal-operations-import'))
    return { refused: 'the server does not take seals made offline (no seal-operations-import extension)' };
  const json = await sealBody(o);
  if (typeof json === 'string') return { refused: json };
  const path = '/seal/operations/import';
  const r = await client.json<{ id: string }>(
    { method: 'POST', path, json, idempotencyKey: row.idempotencyKey },
    signal,
  );
  return { remoteId: r.id, also: keepRemoteId(db, 'operations', o.id, r.id) };
};

export const pushLabel: PushHandler = async (db, client, row, signal) => {
  const p = row.payload as { recordKind?: string; label?: string | null };
  if (p.recordKind === 'seal') return { refused: 'the remote API has no route to change a seal’s label' };
  const s = sql(db, 'SELECT remote_id FROM stamps WHERE id = ?').get(row.recordId) as { remote_id: string | null };
  if (!s) return { refused: 'the record is no longer in the ledger' };
  if (!s.remote_id) return { refused: 'the record is not on the server (offer it with sync --include-existing)' };
  const req = {
    method: 'PUT' as const,
    path: `/api/transactions/${encodeURIComponent(s.remote_id)}/label`,
    json: { label: p.label ?? '' },
    idempotencyKey: row.idempotencyKey,
  };
  await client.send(req, signal);
  return { remoteId: null };
};
