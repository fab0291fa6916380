// The cryptographic core of verifying one CMS signature (RFC 5652 §5.4–5.6), by node:crypto so every algorithm
// OpenSSL knows verifies: message digest, signature value, the signer found by sid, the algorithms' strength.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual } from '../asn1/bytes.js';
import { OID } from '../asn1/oids.js';
import { parseSignedData, type ParsedSignedData } from './parse.js';
import { DIGESTS, algorithmRef, verifyParams } from './signature-algorithms.js';
import { signatureValueValid } from './signature-value.js';
import { locateSigner, pkijsSignerId, type Located } from './signer-info.js';

export type CmsCheck = {
  readonly parsed: ParsedSignedData;
  readonly signerInfo: pkijs.SignerInfo;
  readonly signer: Located | null;
  /** Node's name for the SignerInfo's digest algorithm (sha256, sha3-256, …), null when unknown. */
  readonly digestAlgorithm: string | null;
  readonly signatureAlgorithm: string;
  /** The content digest equals the signed message-digest attribute (or, without attributes, the signed digest). */
  readonly digestOk: boolean;
  readonly signatureOk: boolean;
  /** Structural defects (not exactly one SignerInfo, algorithm mismatch, unknown algorithm, …). */
  readonly formatProblems: readonly string[];
  readonly signatureValue: Uint8Array;
};

export type ContentDigest = (nodeHash: string) => Promise<Uint8Array>;

export async function checkCmsSignature(der: Uint8Array, digestOf: ContentDigest, o: { extraCertificates?: readonly Uint8Array[]; encapsulatedDigest?: boolean } = {}): Promise<CmsCheck> {
  const parsed = parseSignedData(der);
  const sd = parsed.signedData;
  const formatProblems: string[] = [];
  if (sd.signerInfos.length !== 1) formatProblems.push(`the CMS holds ${sd.signerInfos.length} SignerInfos; exactly one is required`);
  const si = sd.signerInfos[0];
  if (!si) throw new TypeError('no SignerInfo'); // parseSignedData's schema requires the SET; an empty one is caught by the caller
  const digestAlgorithm = DIGESTS[si.digestAlgorithm.algorithmId] ?? null;
  const params = verifyParams(algorithmRef(si.signatureAlgorithm));
  const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView);
  const base = { parsed, signerInfo: si, digestAlgorithm, signatureAlgorithm: params?.name ?? si.signatureAlgorithm.algorithmId, signatureValue };
  if (!digestAlgorithm) formatProblems.push(`unknown digest algorithm ${si.digestAlgorithm.algorithmId}`);
  if (!params) formatProblems.push(`unsupported signature algorithm ${si.signatureAlgorithm.algorithmId}`);
  if (params?.hash && digestAlgorithm && params.hash !== digestAlgorithm) formatProblems.push(`the signature algorithm (${params.name}) does not use the signer's digest algorithm (${digestAlgorithm})`);
  const signer = locateSigner(pkijsSignerId(si), parsed.certificateDers, o.extraCertificates ?? []);
  if (!digestAlgorithm || !params) return { ...base, signer, digestOk: false, signatureOk: false, formatProblems };

  let content = await digestOf(digestAlgorithm);
  const e = sd.encapContentInfo.eContent;
  if (o.encapsulatedDigest) {
    // adbe.pkcs7.sha1: the encapsulated content is the SHA-1 of the byte ranges, and the signature covers it.
    const inner = e ? new Uint8Array(e.valueBlock.valueHexView) : new Uint8Array();
    if (!bytesEqual(inner, await digestOf('sha1'))) return { ...base, signer, digestOk: false, signatureOk: false, formatProblems };
    content = (await import('node:crypto')).createHash(digestAlgorithm).update(inner).digest();
  } else if (e) formatProblems.push('a detached signature must not encapsulate content');

  const attrs = si.signedAttrs?.attributes;
  let digestOk: boolean;
  let signed: Uint8Array;
  if (attrs) {
    const md = attrs.filter((a) => a.type === OID.messageDigest);
    if (md.length !== 1 || md[0]!.values.length !== 1) formatProblems.push('the signed attributes need exactly one message-digest');
    const value = md[0]?.values[0];
    digestOk = value instanceof asn1js.OctetString && bytesEqual(new Uint8Array(value.valueBlock.valueHexView), content);
    signed = signedAttributesBytes(si);
  } else {
    digestOk = true; // judged by the signature itself, which then covers the content digest directly
    signed = content;
  }
  const signatureOk = signer ? signatureValueValid({ certificate: signer.der, signatureAlgorithm: algorithmRef(si.signatureAlgorithm), digest: digestAlgorithm, data: signed, signature: signatureValue, prehashed: !attrs }, params) : false;
  return { ...base, signer, digestOk: digestOk && (attrs ? true : signatureOk), signatureOk, formatProblems };
}

/** RFC 5652 §5.4: what the signature covers — the signed attributes' DER with an explicit SET OF tag, as received. */
export function signedAttributesBytes(si: pkijs.SignerInfo): Uint8Array {
  const encoded = si.signedAttrs!.encodedValue;
  const signed = new Uint8Array(encoded.byteLength ? encoded : si.signedAttrs!.toSchema().toBER(false)).slice();
  signed[0] = 0x31;
  return signed;
}

/** The SignerInfo's signature value over its signed attributes, by the certificate `certDer`. */
export function signerInfoSignatureValid(si: pkijs.SignerInfo, certDer: Uint8Array): boolean {
  return signatureValueValid({ certificate: certDer, signatureAlgorithm: algorithmRef(si.signatureAlgorithm), digest: DIGESTS[si.digestAlgorithm.algorithmId] ?? 'unknown', data: signedAttributesBytes(si), signature: new Uint8Array(si.signature.valueBlock.valueHexView) });
}

export type { Located };
