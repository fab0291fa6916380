// Where an X.509 certificate's (RFC 5280 §4.1) fields sit in its exact DER, for matching a CMS signer id and taking
// its public key without building a parsed certificate. Throws TlvError on bytes that are not a certificate.
import { TlvError, TlvLimitError, childrenOf, content, octets, oidOf, rootOf, slice, type Tlv } from './tlv.js';

/** A certificate larger than this is not read (real ones are a few KiB, logotype-laden ones tens): asn1js-based
 * readers (@peculiar/x509, pkijs) build an object per node, and a CMS may carry any bytes as a "certificate". */
export const MAX_CERTIFICATE_BYTES = 256 * 1024;

export function assertCertificateSize(der: Uint8Array): void {
  if (der.length > MAX_CERTIFICATE_BYTES) {
    throw new TlvLimitError(`a certificate of ${der.length} bytes (at most ${MAX_CERTIFICATE_BYTES} are read)`);
  }
}

export type CertificateParts = {
  /** INTEGER content octets. */
  readonly serial: Uint8Array;
  /** Exact DER of the issuer and subject Names and of SubjectPublicKeyInfo. */
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly spki: Uint8Array;
  /** The subjectPublicKey BIT STRING's bits (without the unused-bits octet). */
  readonly publicKeyBits: Uint8Array;
  /** The subjectKeyIdentifier extension's key identifier, when present. */
  readonly subjectKeyId: Uint8Array | null;
};

const SKI = '2.5.29.14';

export function certificateParts(der: Uint8Array): CertificateParts {
  assertCertificateSize(der);
  const [tbs] = childrenOf(der, rootOf(der));
  if (!tbs || tbs.tag !== 0x30) throw new TlvError('not a certificate');
  const fields = childrenOf(der, tbs);
  const f = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields; // [0] EXPLICIT version, absent for v1
  const [serial, , issuer, , subject, spki] = f;
  if (serial?.tag !== 0x02 || issuer?.tag !== 0x30 || subject?.tag !== 0x30 || spki?.tag !== 0x30)
    throw new TlvError('not a certificate');
  const bits = childrenOf(der, spki)[1];
  if (bits?.tag !== 0x03) throw new TlvError('not a certificate: no subjectPublicKey');
  return {
    serial: content(der, serial),
    issuer: slice(der, issuer),
    subject: slice(der, subject),
    spki: slice(der, spki),
    publicKeyBits: content(der, bits).subarray(1),
    subjectKeyId: subjectKeyId(
      der,
      f.find((t) => t.tag === 0xa3),
    ),
  };
}

function subjectKeyId(der: Uint8Array, extensions: Tlv | undefined): Uint8Array | null {
  if (!extensions) return null;
  const list = childrenOf(der, extensions)[0];
  for (const ext of list ? childrenOf(der, list) : []) {
    const parts = childrenOf(der, ext);
    if (parts[0] && oidOf(der, parts[0]) === SKI) {
      const value = octets(der, parts.at(-1)!);
      return octets(value, rootOf(value));
    }
  }
  return null;
}
