// ETSI EN 319 412-5 QC statements of a certificate: qcCompliance, QSCD, and the qcType (e-signature, e-seal, web). Read
// with the TLV walk (core/asn1/cert-fields.ts), without loading @peculiar/x509 (issue 15).
import { extensionOf } from './cert-fields.js';
import { TlvError, childrenOf, oidOf, readTlv } from './tlv.js';

export type QcStatements = {
  readonly qcCompliance: boolean;
  readonly qscd: boolean;
  readonly qcTypes: readonly ('esign' | 'eseal' | 'web')[];
};

const QC_STATEMENTS = '1.3.6.1.5.5.7.1.3';
const TYPES: Record<string, 'esign' | 'eseal' | 'web'> = {
  '0.4.0.1862.1.6.1': 'esign',
  '0.4.0.1862.1.6.2': 'eseal',
  '0.4.0.1862.1.6.3': 'web',
};

/** The certificate's QC statements; null when it has none or when they (or the certificate) cannot be read. */
export function qcStatements(der: Uint8Array): QcStatements | null {
  try {
    const ext = extensionOf(der, QC_STATEMENTS);
    return ext ? readStatements(ext.value) : null;
  } catch {
    return null; // as always: statements that cannot be read claim nothing
  }
}

/** QCStatements ::= SEQUENCE OF QCStatement { statementId OID, statementInfo ANY OPTIONAL }. */
function readStatements(v: Uint8Array): QcStatements {
  const list = readTlv(v, 0); // as asn1js read it before: bytes after the list are ignored
  if (list.tag !== 0x30) throw new TlvError('QCStatements is not a SEQUENCE');
  const out = { qcCompliance: false, qscd: false, qcTypes: [] as ('esign' | 'eseal' | 'web')[] };
  for (const st of childrenOf(v, list)) {
    if (st.tag !== 0x30) throw new TlvError('a QCStatement is not a SEQUENCE');
    const [id, info] = childrenOf(v, st);
    if (id?.tag !== 0x06) continue;
    const oid = oidOf(v, id);
    if (oid === '0.4.0.1862.1.1') out.qcCompliance = true;
    if (oid === '0.4.0.1862.1.4') out.qscd = true;
    if (oid === '0.4.0.1862.1.6' && info) {
      if (info.tag !== 0x30) throw new TlvError('QcType is not a SEQUENCE');
      for (const t of childrenOf(v, info)) {
        const type = t.tag === 0x06 ? TYPES[oidOf(v, t)] : undefined;
        if (type) out.qcTypes.push(type);
      }
    }
  }
  return out;
}
