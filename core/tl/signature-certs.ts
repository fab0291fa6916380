// Which certificate signed a trusted list, and whether it is one the list must be checked against: the candidates
// are the KeyInfo's X509Certificate elements and the allowed certificates named by the XAdES SigningCertificate(V2)
// digests (EN 319 132-1 §5.2.2); a signer is accepted when byte-equal to an allowed certificate or carrying the same
// SubjectPublicKeyInfo (a re-issued certificate for the same key, as the OJ announcements allow).
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { bytesEqual } from '../asn1/bytes.js';
import { certificateParts } from '../asn1/cert-der.js';
import { nameToString } from '../asn1/names.js';
import { NS, child, childrenNamed, descendants, textOf } from './xml.js';

/** Certificates read from one KeyInfo (a real list carries one). */
const MAX_KEYINFO_CERTS = 16;

const DIGESTS: Record<string, string> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'sha1',
  'http://www.w3.org/2001/04/xmldsig-more#sha224': 'sha224',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'sha512',
};

export type CertDigest = { readonly algorithm: string; readonly value: Buffer };

/** DER of the KeyInfo's certificates, in document order. */
export function keyInfoCertificates(signature: Element): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const data of childrenNamed(child(signature, NS.ds, 'KeyInfo') ?? signature, NS.ds, 'X509Data')) {
    for (const cert of childrenNamed(data, NS.ds, 'X509Certificate')) {
      if (out.length >= MAX_KEYINFO_CERTS) return out;
      out.push(new Uint8Array(Buffer.from(textOf(cert), 'base64')));
    }
  }
  return out;
}

/** The CertDigest entries of the signature's XAdES SigningCertificate or SigningCertificateV2 (empty when absent). */
export function signingCertificateDigests(signature: Element): CertDigest[] {
  const out: CertDigest[] = [];
  for (const el of descendants(signature)) {
    if (el.namespaceURI !== NS.xades || el.localName !== 'CertDigest') continue;
    const holder = el.parentNode?.parentNode as Element | null | undefined;
    if (!holder || !/^SigningCertificate(V2)?$/.test(holder.localName ?? '')) continue;
    const algorithm = child(el, NS.ds, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
    out.push({ algorithm, value: Buffer.from(textOf(child(el, NS.ds, 'DigestValue')), 'base64') });
    if (out.length >= MAX_KEYINFO_CERTS) break;
  }
  return out;
}

/** Whether one of the digests names this certificate (unknown digest algorithms name nothing). */
export function digestNames(digests: readonly CertDigest[], der: Uint8Array): boolean {
  return digests.some((d) => {
    const alg = DIGESTS[d.algorithm];
    return alg !== undefined && createHash(alg).update(der).digest().equals(d.value);
  });
}

/** The certificates to try, without duplicates: KeyInfo first, then allowed ones named by a digest, then the rest
 * of the allowed ones (a list may omit KeyInfo; trying a trusted key cannot make a forged list valid). */
export function candidateCertificates(
  keyInfo: readonly Uint8Array[],
  digests: readonly CertDigest[],
  allowed: readonly Uint8Array[],
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const add = (der: Uint8Array): void => {
    if (!out.some((c) => bytesEqual(c, der))) out.push(der);
  };
  keyInfo.forEach(add);
  allowed.filter((a) => digestNames(digests, a)).forEach(add);
  allowed.forEach(add);
  return out;
}

/** Whether `signer` is one of `allowed`: the same bytes or the same SubjectPublicKeyInfo. */
export function isAllowed(signer: Uint8Array, allowed: readonly Uint8Array[]): boolean {
  const spki = spkiOf(signer);
  return allowed.some((a) => bytesEqual(a, signer) || (spki !== null && bytesEqualOrNull(spkiOf(a), spki)));
}

function bytesEqualOrNull(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && bytesEqual(a, b);
}

function spkiOf(der: Uint8Array): Uint8Array | null {
  try {
    return certificateParts(der).spki;
  } catch {
    return null;
  }
}

/** The subject as people read it, or a placeholder for bytes that are not a certificate. */
export function subjectOf(der: Uint8Array): string {
  try {
    return nameToString(certificateParts(der).subject);
  } catch {
    return '(an unreadable certificate)';
  }
}
