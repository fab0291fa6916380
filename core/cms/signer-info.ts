// RFC 5652 §5.3–5.6 SignerInfo checks shared by every CMS Sealdesk reads: the signer by sid, the signature value.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer, toHex } from '../asn1/bytes.js';
import type { CryptoEngine } from '../asn1/engine.js';
import { hashBytes } from '../hash/hash-file.js';

export type Located = { readonly der: Uint8Array; readonly cert: pkijs.Certificate; readonly source: 'token' | 'external' };

/** Finds the certificate named by the SignerInfo's sid (never "the first one"): in the CMS, else among `external`. */
export function locateSigner(signerInfo: pkijs.SignerInfo, ders: readonly Uint8Array[], parsed: readonly pkijs.Certificate[], external: readonly Uint8Array[]): Located | null {
  const inToken = ders.map((der, i) => ({ der, cert: parsed[i]!, source: 'token' as const }));
  const found = inToken.find((c) => c.cert && matchesSid(signerInfo.sid, c.cert));
  if (found) return found;
  for (const der of external) {
    const cert = parseCertificate(der);
    if (cert && matchesSid(signerInfo.sid, cert)) return { der, cert, source: 'external' };
  }
  return null;
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate | null {
  try {
    return pkijs.Certificate.fromBER(exactBuffer(der));
  } catch {
    return null;
  }
}

function matchesSid(sid: unknown, cert: pkijs.Certificate): boolean {
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber);
  }
  if (sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive) {
    // subjectKeyIdentifier [0]: compare with the SHA-1 of the public key (RFC 5280 §4.2.1.2 method 1) or the SKI extension.
    const wanted = toHex(new Uint8Array((sid as asn1js.Primitive).valueBlock.valueHexView));
    const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14')?.parsedValue as asn1js.OctetString | undefined;
    if (ski && toHex(new Uint8Array(ski.valueBlock.valueHexView)) === wanted) return true;
    return toHex(hashBytes('sha1', new Uint8Array(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))) === wanted;
  }
  return false;
}

/** Verifies the SignerInfo's signature over the exact signed-attribute bytes (RFC 5652 §5.4). */
export async function cmsSignatureValid(signerInfo: pkijs.SignerInfo, content: Uint8Array, cert: pkijs.Certificate, engine: CryptoEngine): Promise<boolean> {
  // RFC 5652 §5.4: the DER of the attributes with an explicit SET OF tag, taken from the bytes as received.
  let data: Uint8Array = content;
  if (signerInfo.signedAttrs) {
    const encoded = signerInfo.signedAttrs.encodedValue;
    data = new Uint8Array(encoded.byteLength ? encoded : signerInfo.signedAttrs.toSchema().toBER(false)).slice();
    data[0] = 0x31;
  }
  try {
    const sha = engine.getAlgorithmByOID<{ name: string }>(signerInfo.digestAlgorithm.algorithmId, true, 'digestAlgorithm').name;
    return await engine.verifyWithPublicKey(exactBuffer(data), signerInfo.signature, cert.subjectPublicKeyInfo, signerInfo.signatureAlgorithm, sha);
  } catch {
    return false;
  }
}

