// JSON shapes of ledger records, as the seed's API prints them.
import { OID } from '../core/asn1/oids.js';
import type { StampRecord } from '../core/model/stamp.js';

const b64 = (bytes: Uint8Array | null) => (bytes ? Buffer.from(bytes).toString('base64') : null);

/** Seed /tsa/stamp-hash response (+ id, file, tsrPath). */
export function stampJson(r: StampRecord, tsrPath: string | null) {
  return {
    id: r.id,
    serial: r.serialHex,
    genTime: r.genTime,
    hashAlgorithmOid: OID[r.imprintAlgorithm],
    hashHex: r.imprintHex,
    tsrBase64: b64(r.tsr),
    tsaName: r.tsaName,
    qualified: r.qualified,
    policyOid: r.policyOid,
    file: r.filePath,
    tsrPath,
  };
}

/** Seed /api/lookup/{hash} `latest` item (+ status). */
export function lookupItemJson(r: StampRecord) {
  return {
    id: r.id,
    tsaName: r.tsaName,
    genTime: r.genTime,
    label: r.label,
    certNotAfter: r.tsaCertNotAfter,
    tsrBase64: b64(r.tsr),
    status: r.status,
    origin: r.origin ?? 'local',
  };
}

/** One /api/transactions/details item. */
export function historyItemJson(r: StampRecord) {
  return {
    id: r.id,
    hashHex: r.fileSha512,
    imprintAlgorithmOid: OID[r.imprintAlgorithm],
    imprintHex: r.imprintHex,
    label: r.label,
    status: r.status,
    tsaName: r.tsaName,
    tsaSlug: r.tsaSlug,
    genTime: r.genTime,
    serial: r.serialHex,
    policyOid: r.policyOid,
    certNotAfter: r.tsaCertNotAfter,
    qualified: r.qualified,
    parentTransactionId: r.parentId,
    createdAt: r.createdAt,
    filePath: r.filePath,
    tsrPath: r.tsrPath,
    syncState: r.syncState,
    origin: r.origin ?? 'local',
  };
}
