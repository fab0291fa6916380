// The reference the TLV certificate readers are held to: the same facts read with @peculiar/x509 (and, for QC
// statements, asn1js), as core/asn1 computed them before issue 15 moved them off the library.
import * as asn1js from 'asn1js';
import { x509 } from '../../../core/asn1/x509.js';
import { exactBuffer, integerHex } from '../../../core/asn1/bytes.js';

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];
const QC_TYPES: Record<string, string> = {
  '0.4.0.1862.1.6.1': 'esign',
  '0.4.0.1862.1.6.2': 'eseal',
  '0.4.0.1862.1.6.3': 'web',
};

export function referenceFacts(der: Uint8Array) {
  const cert = new x509.X509Certificate(exactBuffer(der));
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const http = (urls: string[]) => urls.filter((u) => /^https?:\/\//i.test(u));
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialHex: integerHex(new Uint8Array(Buffer.from(cert.serialNumber, 'hex'))),
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    selfSigned: cert.subject === cert.issuer,
    extKeyUsage: eku ? { purposes: eku.usages.map(String), critical: eku.critical } : null,
    keyUsage: ku ? KEY_USAGE_BITS.filter((_, i) => (ku.usages & (1 << i)) !== 0) : null,
    qc: referenceQc(cert),
    policies: cert.getExtension(x509.CertificatePolicyExtension)?.policies ?? [],
    spki: Buffer.from(cert.publicKey.rawData).toString('hex'),
    revocation: {
      ocsp: http((aia?.ocsp ?? []).filter((g) => g.type === 'url').map((g) => g.value)),
      crl: http(
        (cdp?.distributionPoints ?? []).flatMap((dp) =>
          (dp.distributionPoint?.fullName ?? []).flatMap((n) =>
            n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [],
          ),
        ),
      ),
    },
  };
}

function referenceQc(cert: x509.X509Certificate) {
  try {
    const ext = cert.extensions.find((e) => e.type === '1.3.6.1.5.5.7.1.3');
    if (!ext) return null;
    const seq = asn1js.fromBER(exactBuffer(new Uint8Array(ext.value))).result as asn1js.Sequence;
    const out = { qcCompliance: false, qscd: false, qcTypes: [] as string[] };
    for (const st of seq.valueBlock.value as asn1js.Sequence[]) {
      const id = (st.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
      if (id === '0.4.0.1862.1.1') out.qcCompliance = true;
      if (id === '0.4.0.1862.1.4') out.qscd = true;
      if (id === '0.4.0.1862.1.6') {
        for (const t of ((st.valueBlock.value[1] as asn1js.Sequence)?.valueBlock.value ??
          []) as asn1js.ObjectIdentifier[]) {
          const type = QC_TYPES[t.valueBlock.toString()];
          if (type) out.qcTypes.push(type);
        }
      }
    }
    return out;
  } catch {
    return null;
  }
}

/** @peculiar/x509's text for an encoded Name. */
export const referenceName = (der: Uint8Array): string => new x509.Name(exactBuffer(der)).toString();
