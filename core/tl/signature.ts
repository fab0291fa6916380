// Verifies a trusted list's enveloped XAdES signature (TS 119 612 §5.7) against the certificates it must be checked
// against (the OJ anchors for the LOTL, a pointer's certificates for a national list). The XML-DSig work (exclusive
// and inclusive C14N, reference digests, SignatureValue) is done by xmldsigjs (PeculiarVentures, the base of
// xadesjs), chosen over xml-crypto because it verifies every algorithm lists are signed with through WebCrypto:
// RSA PKCS#1 v1.5 (the EU LOTL: rsa-sha256, exclusive C14N), RSA-PSS and ECDSA, where xml-crypto 6 has RSA only;
// it also resolves the XAdES SignedProperties reference inside ds:Object and refuses ambiguous Ids. What the library
// does not decide is decided here (signature-refs.ts, signature-certs.ts): which signature, which nodes its
// references cover, and which certificate signed.
import { webcrypto } from 'node:crypto';
import { DOMImplementation, DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { setNodeDependencies } from 'xml-core';
import * as xmldsig from 'xmldsigjs';
import xpath from 'xpath';
import { checkReferences, findListSignature } from './signature-refs.js';
import {
  candidateCertificates,
  digestNames,
  isAllowed,
  keyInfoCertificates,
  signingCertificateDigests,
  subjectOf,
} from './signature-certs.js';

export type ListSignatureResult = {
  readonly status: 'valid' | 'invalid';
  /** Subject of the certificate whose key verified the signature (also when it is not an allowed one). */
  readonly signedBy: string | null;
  readonly signer: Uint8Array | null;
  readonly reason: string | null;
};

/** Candidate keys tried at most (KeyInfo certificates plus the allowed ones). */
const MAX_CANDIDATES = 64;

let configured = false;

/** xmldsigjs needs a DOM implementation and WebCrypto registered once (no browser globals in Node). */
function configure(): void {
  if (configured) return;
  setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath });
  const engine = { subtle: webcrypto.subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) };
  xmldsig.Application.setEngine('NodeJS', engine as unknown as Parameters<typeof xmldsig.Application.setEngine>[1]);
  configured = true;
}

/** SignedXml with the two verification steps exposed separately: references once, then each candidate key. */
class ListSignedXml extends xmldsig.SignedXml {
  referencesMatch(root: Element): Promise<boolean> {
    return this.ValidateReferences(root.cloneNode(true) as never);
  }
  valueVerifies(key: webcrypto.CryptoKey): Promise<boolean> {
    return this.ValidateSignatureValue([key as never]);
  }
}

const invalid = (reason: string, signer: Uint8Array | null = null): ListSignatureResult => ({
  status: 'invalid',
  signedBy: signer ? subjectOf(signer) : null,
  signer,
  reason,
});

/** The verdict on `doc`'s signature; never throws for a bad signature (the reason says what is wrong). */
export async function verifyListSignature(doc: Document, allowed: readonly Uint8Array[]): Promise<ListSignatureResult> {
  configure();
  const root = doc.documentElement;
  if (!root) return invalid('the document has no root element');
  const found = findListSignature(root);
  if ('reason' in found) return invalid(found.reason);
  const refProblem = checkReferences(root, found.signature);
  if (refProblem) return invalid(refProblem);
  const signed = new ListSignedXml(doc as never);
  try {
    signed.LoadXml(found.signature as never);
    await signed.referencesMatch(root);
  } catch (err) {
    return invalid(libraryReason(err));
  }
  const keyInfo = keyInfoCertificates(found.signature);
  const digests = signingCertificateDigests(found.signature);
  const candidates = candidateCertificates(keyInfo, digests, allowed).slice(0, MAX_CANDIDATES);
  const signer = await firstVerifying(signed, candidates);
  if (!signer) {
    const named = keyInfo[0] ? ` with the certificate it names (${subjectOf(keyInfo[0])})` : '';
    return invalid(`the signature value does not verify${named} nor with any allowed certificate`);
  }
  if (digests.length > 0 && !digestNames(digests, signer)) {
    return invalid('the XAdES SigningCertificate does not name the certificate whose key signed', signer);
  }
  if (!isAllowed(signer, allowed)) {
    const n = allowed.length;
    const which = `not by any of the ${n} certificate${n === 1 ? '' : 's'} this list must be checked against`;
    return invalid(`signed by ${subjectOf(signer)}, ${which}`, signer);
  }
  return { status: 'valid', signedBy: subjectOf(signer), signer, reason: null };
}

/** The first candidate whose public key verifies the SignatureValue over the canonical SignedInfo. */
async function firstVerifying(signed: ListSignedXml, candidates: readonly Uint8Array[]): Promise<Uint8Array | null> {
  for (const der of candidates) {
    try {
      const method = signed.XmlSignature.SignedInfo.SignatureMethod;
      const algorithm = xmldsig.CryptoConfig.CreateSignatureAlgorithm(method).algorithm;
      const key = await new xmldsig.X509Certificate(new Uint8Array(der)).exportKey({ ...algorithm });
      if (await signed.valueVerifies(key as unknown as webcrypto.CryptoKey)) return der;
    } catch {
      // A certificate whose key does not fit the signature method (RSA key, ECDSA signature…) is not the signer.
    }
  }
  return null;
}

/** xmldsigjs's error text, shortened: a digest mismatch means the list was changed after it was signed. */
function libraryReason(err: unknown): string {
  const message = typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err);
  if (/Invalid digest/i.test(message)) {
    const uri = /for uri '([^']*)'/.exec(message)?.[1] ?? '';
    const what = uri === '' ? 'the list' : `the element ${uri.slice(0, 80)}`;
    return `the digest of ${what} does not match: it was changed after it was signed`;
  }
  return `the signature cannot be checked: ${message.split('\n')[0]!.slice(0, 200)}`;
}
