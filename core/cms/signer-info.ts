// RFC 5652 §5.3 SignerIdentifier: the certificate a SignerInfo names (never "the first one"), matched on exact bytes —
// issuerAndSerialNumber, or subjectKeyIdentifier against the SKI extension or the SHA-1 of the public key.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual } from '../asn1/bytes.js';
import { certificateParts } from '../asn1/cert-der.js';
import { sameName } from '../asn1/names.js';
import { TlvError, childrenOf, content, rootOf, slice } from '../asn1/tlv.js';
import { hashBytes } from '../hash/hash-file.js';

/** issuerAndSerialNumber (the issuer Name's DER, the serial's INTEGER octets) or subjectKeyIdentifier [0]. */
export type SignerId = { readonly issuer: Uint8Array; readonly serial: Uint8Array } | { readonly keyId: Uint8Array };

export type Located = { readonly der: Uint8Array; readonly source: 'token' | 'external' };

/** The SignerIdentifier TLV as it is encoded in a SignerInfo. Throws TlvError when it is neither choice. */
export function signerIdOf(sid: Uint8Array): SignerId {
  const root = rootOf(sid);
  if (root.tag === 0x80) return { keyId: content(sid, root) };
  const [issuer, serial] = root.tag === 0x30 ? childrenOf(sid, root) : [];
  if (issuer?.tag !== 0x30 || serial?.tag !== 0x02)
    throw new TlvError('the signer identifier is neither issuerAndSerialNumber nor subjectKeyIdentifier');
  return { issuer: slice(sid, issuer), serial: content(sid, serial) };
}

/** pkijs' sid as the bytes it was decoded from. */
export function pkijsSignerId(si: pkijs.SignerInfo): SignerId {
  const sid = si.sid as pkijs.IssuerAndSerialNumber | asn1js.Primitive;
  if (sid instanceof pkijs.IssuerAndSerialNumber)
    return {
      issuer: new Uint8Array(sid.issuer.toSchema().toBER(false)),
      serial: new Uint8Array(sid.serialNumber.valueBlock.valueHexView),
    };
  return { keyId: new Uint8Array(sid.valueBlock.valueHexView) };
}

/** Finds the certificate `sid` names: among the CMS's own, else among `external`. */
export function locateSigner(
  sid: SignerId,
  ders: readonly Uint8Array[],
  external: readonly Uint8Array[],
): Located | null {
  const own = ders.find((der) => matchesSid(sid, der));
  if (own) return { der: own, source: 'token' };
  const other = external.find((der) => matchesSid(sid, der));
  return other ? { der: other, source: 'external' } : null;
}

function matchesSid(sid: SignerId, der: Uint8Array): boolean {
  let cert: ReturnType<typeof certificateParts>;
  try {
    cert = certificateParts(der);
  } catch {
    return false; // not a certificate: it names no one
  }
  if ('keyId' in sid)
    return (
      (cert.subjectKeyId !== null && bytesEqual(cert.subjectKeyId, sid.keyId)) ||
      bytesEqual(hashBytes('sha1', cert.publicKeyBits), sid.keyId)
    );
  if (!bytesEqual(cert.serial, sid.serial)) return false;
  return sameName(cert.issuer, sid.issuer);
}
