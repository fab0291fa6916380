// The cryptographic core of verifying one CMS signature (RFC 5652 §5.4–5.6), by node:crypto so every algorithm
// OpenSSL knows verifies: message digest, signature value, the signer found by sid, the algorithms' strength.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { bytesEqual } from '../asn1/bytes.js';
import { InputError } from '../errors.js';
import { OID, type DigestAlgorithm } from '../asn1/oids.js';
import { parseSignedData, type ParsedSignedData } from './parse.js';
import { createDigest } from '../hash/digest.js';
import { rawAttributes } from './attributes.js';
import { algorithmRef, digestName, verifyParams } from './signature-algorithms.js';
import {
  eddsaDigestProblem,
  verifySignedAttributes,
  type SignatureFailure,
  type SignatureVerdict,
} from './signed-attributes-signature.js';
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
  /** Why the value does not verify, when that is known more precisely than "it does not" (RFC 5652 §5.4, RFC 6211). */
  readonly signatureFailure: SignatureFailure | null;
  /** Structural defects (not exactly one SignerInfo, algorithm mismatch, unknown algorithm, …). */
  readonly formatProblems: readonly string[];
  /** Algorithms combined against their specification (RFC 8419: Ed448 with a digest other than SHAKE256, …). */
  readonly constraintProblems: readonly string[];
  /** What is not as it should be but breaks nothing (signed attributes stored in a non-DER encoding, …). */
  readonly warnings: readonly string[];
  readonly signatureValue: Uint8Array;
};

export type ContentDigest = (nodeHash: string) => Promise<Uint8Array>;

export async function checkCmsSignature(
  der: Uint8Array,
  digestOf: ContentDigest,
  o: { extraCertificates?: readonly Uint8Array[]; encapsulatedDigest?: boolean } = {},
): Promise<CmsCheck> {
  const parsed = parseSignedData(der);
  const sd = parsed.signedData;
  const formatProblems: string[] = [];
  if (sd.signerInfos.length !== 1)
    formatProblems.push(`the CMS holds ${sd.signerInfos.length} SignerInfos; exactly one is required`);
  const si = sd.signerInfos[0];
  if (!si) throw new InputError('CMS_MALFORMED', 'the CMS holds no SignerInfo: there is no signature to check');
  const digestAlgorithm = digestName(algorithmRef(si.digestAlgorithm));
  const params = verifyParams(algorithmRef(si.signatureAlgorithm));
  const signatureValue = new Uint8Array(si.signature.valueBlock.valueHexView);
  const eddsa = eddsaDigestProblem(algorithmRef(si.signatureAlgorithm), digestAlgorithm);
  const base = {
    parsed,
    signerInfo: si,
    digestAlgorithm,
    signatureAlgorithm: params?.name ?? si.signatureAlgorithm.algorithmId,
    signatureValue,
    signatureFailure: null,
    constraintProblems: eddsa ? [eddsa] : [],
    warnings: [],
  };
  if (!digestAlgorithm) formatProblems.push(`unknown digest algorithm ${si.digestAlgorithm.algorithmId}`);
  if (!params) formatProblems.push(`unsupported signature algorithm ${si.signatureAlgorithm.algorithmId}`);
  if (params?.hash && digestAlgorithm && params.hash !== digestAlgorithm)
    formatProblems.push(
      `the signature algorithm (${params.name}) does not use the signer's digest algorithm (${digestAlgorithm})`,
    );
  const signer = locateSigner(pkijsSignerId(si), parsed.certificateDers, o.extraCertificates ?? []);
  if (!digestAlgorithm || !params) return { ...base, signer, digestOk: false, signatureOk: false, formatProblems };

  let content = await digestOf(digestAlgorithm);
  const e = sd.encapContentInfo.eContent;
  if (o.encapsulatedDigest) {
    // adbe.pkcs7.sha1: the encapsulated content is the SHA-1 of the byte ranges, and the signature covers it.
    const inner = e ? new Uint8Array(e.valueBlock.valueHexView) : new Uint8Array();
    if (!bytesEqual(inner, await digestOf('sha1')))
      return { ...base, signer, digestOk: false, signatureOk: false, formatProblems };
    content = createDigest(digestAlgorithm).update(inner).digest();
  } else if (e) formatProblems.push('a detached signature must not encapsulate content');

  const attrs = si.signedAttrs?.attributes;
  // RFC 5652 §5.3: attrValues is a SET of at least one value (pkijs lets an empty or missing one through)
  if (attrs?.some((a) => !Array.isArray(a.values) || a.values.length === 0))
    throw new InputError('CMS_MALFORMED', 'a signed attribute has no value');
  if (attrs) {
    const md = attrs.filter((a) => a.type === OID.messageDigest);
    if (md.length !== 1 || md[0]!.values.length !== 1)
      formatProblems.push('the signed attributes need exactly one message-digest');
    const value = md[0]?.values[0];
    const digestOk =
      value instanceof asn1js.OctetString && bytesEqual(new Uint8Array(value.valueBlock.valueHexView), content);
    const verdict = signer ? signerInfoSignature(si, signer.der) : null;
    const signatureOk = verdict?.ok ?? false;
    return {
      ...base,
      signer,
      digestOk,
      signatureOk,
      signatureFailure: verdict?.failure ?? null,
      warnings: verdict?.warnings ?? [],
      formatProblems,
    };
  }
  // Without signed attributes the signature covers the content digest directly, and judges it.
  const signatureOk = signer
    ? signatureValueValid(
        {
          certificate: signer.der,
          signatureAlgorithm: algorithmRef(si.signatureAlgorithm),
          digest: digestAlgorithm,
          data: content,
          signature: signatureValue,
          prehashed: true,
        },
        params,
      )
    : false;
  return { ...base, signer, digestOk: signatureOk, signatureOk, formatProblems };
}

/** RFC 5652 §5.4 / RFC 6211: the SignerInfo's value over the DER of its signed attributes, by the certificate `certDer`. */
export function signerInfoSignature(si: pkijs.SignerInfo, certDer: Uint8Array): SignatureVerdict {
  return verifySignedAttributes(
    {
      signedAttrs: signedAttributesBytes(si),
      attributes: rawAttributes(si.signedAttrs!.attributes),
      digestAlgorithm: algorithmRef(si.digestAlgorithm),
      signatureAlgorithm: algorithmRef(si.signatureAlgorithm),
      signature: new Uint8Array(si.signature.valueBlock.valueHexView),
    },
    certDer,
  );
}

const SIGNER_DIGESTS = new Set<string>(['sha1', 'sha256', 'sha384', 'sha512', 'shake256'] satisfies DigestAlgorithm[]);

/** The SignerInfo's digest algorithm when Sealdesk hashes content with it (core/hash), else null. */
export function signerDigest(si: pkijs.SignerInfo): DigestAlgorithm | null {
  const name = digestName(algorithmRef(si.digestAlgorithm));
  return name !== null && SIGNER_DIGESTS.has(name) ? (name as DigestAlgorithm) : null;
}

/** The signed attributes as stored ([0] IMPLICIT tag included); re-encoded by pkijs only when it kept no bytes. */
function signedAttributesBytes(si: pkijs.SignerInfo): Uint8Array {
  const encoded = si.signedAttrs!.encodedValue;
  return new Uint8Array(encoded.byteLength ? encoded : si.signedAttrs!.toSchema().toBER(false)).slice();
}

export type { Located };
