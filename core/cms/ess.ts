// RFC 2634 §5.4 / RFC 5035 §3: the signing-certificate (v1) and signing-certificate-v2 attributes.
import { OID, hashFromOid } from '../asn1/oids.js';
import { bytesEqual, integerHex } from '../asn1/bytes.js';
import { TlvError, childrenOf, content, oidOf, rootOf, type Tlv } from '../asn1/tlv.js';
import { hashBytes } from '../hash/hash-file.js';
import type { CertificateFacts } from '../asn1/certificate.js';
import type { RawAttribute } from './attributes.js';

type EssCertId = { readonly hashOid: string; readonly certHash: Uint8Array; readonly serialHex: string | null };

/** Problems with the ESS attributes for `signer`; empty when every present attribute names it first. */
export function essProblems(attrs: readonly RawAttribute[], signer: CertificateFacts): string[] {
  const present = attrs.filter((a) => a.type === OID.signingCertificate || a.type === OID.signingCertificateV2);
  if (present.length === 0)
    return ['the token has no ESS signing-certificate attribute (RFC 3161 §2.4.2 requires one)'];
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
    else if (!bytesEqual(hashBytes(alg, signer.der), first.certHash))
      problems.push(`the ${label} does not identify the certificate that signed the token`);
    else if (first.serialHex !== null && first.serialHex !== signer.serialHex)
      problems.push(`the ${label} names serial ${first.serialHex}, the signer's is ${signer.serialHex}`);
  }
  return problems;
}

/** SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), … }: the first ESSCertID, or null. */
function firstCertId(value: Uint8Array, v2: boolean): EssCertId | null {
  try {
    const seq = (t: Tlv | undefined) => (t?.tag === 0x30 ? childrenOf(value, t) : null);
    const id = seq(seq(seq(rootOf(value))?.[0])?.[0]);
    if (!id || id.length === 0) return null;
    let i = 0;
    let hashOid: string = OID.sha1;
    if (v2) {
      hashOid = OID.sha256; // RFC 5035: DEFAULT id-sha256
      const algId = seq(id[0]);
      if (algId) {
        if (algId[0]?.tag !== 0x06) return null;
        hashOid = oidOf(value, algId[0]);
        i = 1;
      }
    }
    const hash = id[i];
    if (hash?.tag !== 0x04) return null;
    const serial = seq(id[i + 1])?.[1];
    return {
      hashOid,
      certHash: content(value, hash),
      serialHex: serial?.tag === 0x02 ? integerHex(content(value, serial)) : null,
    };
  } catch (err) {
    if (err instanceof TlvError) return null;
    throw err;
  }
}
