// An X.509 certificate's TBSCertificate fields (RFC 5280 §4.1) and its extensions, located in the exact DER by the TLV
// walk: certificate facts, key usage, QC statements and revocation URLs are read from here without loading
// @peculiar/x509 (25–40 ms of start-up per process, issue 15). The walk checks the whole outer shape
// (tbsCertificate, signatureAlgorithm, signatureValue; every TBS field's tag; each extension's OID, critical flag and
// OCTET STRING) so bytes that are not a certificate are refused, as the library refused them.
import { assertCertificateSize } from './cert-der.js';
import { TlvError, childrenOf, content, octets, oidOf, rootOf, type Tlv } from './tlv.js';

export type CertificateExtension = {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content: the extension's own DER. */
  readonly value: Uint8Array;
};

export type TbsFields = {
  readonly serial: Tlv;
  readonly issuer: Tlv;
  readonly notBefore: Tlv;
  readonly notAfter: Tlv;
  readonly subject: Tlv;
  readonly extensions: readonly CertificateExtension[];
};

const bad = (why: string) => new TlvError(`not a certificate: ${why}`);

/** The fields of `der`'s TBSCertificate; throws TlvError (TlvLimitError past MAX_CERTIFICATE_BYTES). */
export function tbsFields(der: Uint8Array): TbsFields {
  assertCertificateSize(der);
  const root = rootOf(der);
  if (root.tag !== 0x30) throw bad('no outer SEQUENCE');
  const [tbs, sigAlg, sig] = childrenOf(der, root);
  if (tbs?.tag !== 0x30 || sigAlg?.tag !== 0x30 || sig?.tag !== 0x03) throw bad('no TBSCertificate and signature');
  const all = childrenOf(der, tbs);
  if (all[0]?.tag === 0xa0) version(der, all[0]);
  const f = all[0]?.tag === 0xa0 ? all.slice(1) : all;
  const [serial, alg, issuer, validity, subject, spki, ...rest] = f;
  if (serial?.tag !== 0x02 || serial.contentEnd === serial.contentStart) throw bad('no serial number');
  if (alg?.tag !== 0x30 || issuer?.tag !== 0x30 || validity?.tag !== 0x30 || subject?.tag !== 0x30)
    throw bad('its TBSCertificate fields are not in order');
  if (spki?.tag !== 0x30) throw bad('no SubjectPublicKeyInfo');
  const [notBefore, notAfter] = childrenOf(der, validity);
  if (!isTime(notBefore) || !isTime(notAfter)) throw bad('no validity period');
  const ext = rest.find((t) => t.tag === 0xa3);
  return { serial, issuer, notBefore, notAfter, subject, extensions: ext ? extensions(der, ext) : [] };
}

const isTime = (t: Tlv | undefined): t is Tlv => t?.tag === 0x17 || t?.tag === 0x18;

function version(der: Uint8Array, explicit: Tlv): void {
  const [v] = childrenOf(der, explicit);
  if (v?.tag !== 0x02) throw bad('a version that is not an INTEGER');
}

function extensions(der: Uint8Array, explicit: Tlv): CertificateExtension[] {
  const [list] = childrenOf(der, explicit);
  if (list?.tag !== 0x30) throw bad('its extensions are not a SEQUENCE');
  return childrenOf(der, list).map((e) => {
    if (e.tag !== 0x30) throw bad('an extension is not a SEQUENCE');
    const [id, second, third] = childrenOf(der, e);
    const flag = second?.tag === 0x01 ? second : null;
    const value = flag ? third : second;
    if (id?.tag !== 0x06 || value?.tag !== 0x04) throw bad('an extension lacks its OID or value');
    const critical = flag !== null && content(der, flag).some((b) => b !== 0); // asn1js: any non-zero octet
    return { oid: oidOf(der, id), critical, value: octets(der, value) };
  });
}

/** The first extension with this OID (as @peculiar/x509's getExtension), or undefined. */
export function extensionOf(der: Uint8Array, oid: string): CertificateExtension | undefined {
  return tbsFields(der).extensions.find((e) => e.oid === oid);
}
