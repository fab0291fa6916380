// ETSI EN 319 412-5 QC statements of a certificate: qcCompliance, QSCD, and the qcType (e-signature, e-seal, web).
import * as asn1js from 'asn1js';
import { parsedCertificate } from './certificate.js';
import { exactBuffer } from './bytes.js';

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

export function qcStatements(der: Uint8Array): QcStatements | null {
  try {
    const ext = parsedCertificate(der).extensions.find((e) => e.type === QC_STATEMENTS);
    if (!ext) return null;
    const seq = asn1js.fromBER(exactBuffer(new Uint8Array(ext.value))).result as asn1js.Sequence;
    const out = { qcCompliance: false, qscd: false, qcTypes: [] as ('esign' | 'eseal' | 'web')[] };
    for (const st of seq.valueBlock.value as asn1js.Sequence[]) {
      const id = (st.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      if (id === '0.4.0.1862.1.1') out.qcCompliance = true;
      if (id === '0.4.0.1862.1.4') out.qscd = true;
      if (id === '0.4.0.1862.1.6') {
        for (const t of ((st.valueBlock.value[1] as asn1js.Sequence)?.valueBlock.value ??
          []) as asn1js.ObjectIdentifier[]) {
          const type = TYPES[t.valueBlock.toString()];
          if (type) out.qcTypes.push(type);
        }
      }
    }
    return out;
  } catch {
    return null;
  }
}
