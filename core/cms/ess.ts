// RFC 2634 §5.4 / RFC 5035 §3: the signing-certificate (v1) and signing-certificate-v2 attributes.
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { OID, hashFromOid } from '../asn1/oids.js';
import { bytesEqual, integerHex } from '../asn1/bytes.js';
import { hashBytes } from '../hash/hash-file.js';
import type { CertificateFacts } from '../asn1/certificate.js';

type EssCertId = { readonly hashOid: string; readonly certHash: Uint8Array; readonly serialHex: string | null };

/** Problems with the ESS attributes for `signer`; empty when every present attribute names it first. */
export function essProblems(attrs: readonly pkijs.Attribute[], signer: CertificateFacts): string[] {
  const present = attrs.filter((a) => a.type === OID.signingCertificate || a.type === OID.signingCertificateV2);
  if (present.length === 0) return ['the token has no ESS signing-certificate attribute (RFC 3161 §2.4.2 requires one)'];
  const problems: string[] = [];
  for (const attr of present) {
    const v2 = attr.type === OID.signingCertificateV2;
    const label = v2 ? 'ESSCertIDv2' : 'ESSCertID';
    const first = attr.values[0] ? firstCertId(attr.values[0], v2) : null;
    if (!first) {
      problems.push(`the ${label} attribute is malformed`);
      continue;
    }
    const alg = hashFromOid(first.hashOid);
    if (!alg) problems.push(`the ${label} uses an unknown hash algorithm ${first.hashOid}`);
    else if (!bytesEqual(hashBytes(alg, signer.der), first.certHash)) problems.push(`the ${label} does not identify the certificate that signed the token`);
    else if (first.serialHex !== null && first.serialHex !== signer.serialHex) problems.push(`the ${label} names serial ${first.serialHex}, the signer's is ${signer.serialHex}`);
  }
  return problems;
}

function firstCertId(value: unknown, v2: boolean): EssCertId | null {
  const certs = seqItems(seqItems(value)?.[0]);
  const id = seqItems(certs?.[0]);
  if (!id || id.length === 0) return null;
  let i = 0;
  let hashOid: string = OID.sha1;
  if (v2) {
    hashOid = OID.sha256; // RFC 5035: DEFAULT id-sha256
    const algId = seqItems(id[0]);
    if (algId) {
      const oid = algId[0];
      if (!(oid instanceof asn1js.ObjectIdentifier)) return null;
      hashOid = oid.valueBlock.toString();
      i = 1;
    }
  }
  const hash = id[i];
  if (!(hash instanceof asn1js.OctetString)) return null;
  const issuerSerial = seqItems(id[i + 1]);
  const serial = issuerSerial?.[1];
  return {
    hashOid,
    certHash: new Uint8Array(hash.valueBlock.valueHexView),
    serialHex: serial instanceof asn1js.Integer ? integerHex(new Uint8Array(serial.valueBlock.valueHexView)) : null,
  };
}

function seqItems(value: unknown): asn1js.AsnType[] | null {
  return value instanceof asn1js.Sequence ? (value.valueBlock.value as asn1js.AsnType[]) : null;
}
