// RFC 3161 §2.4.2 response checks: the token's signature, its signer, and the request it answers.
import { OID, hashFromOid } from '../asn1/oids.js';
import { bytesEqual, integerHex } from '../asn1/bytes.js';
import { certificateFacts, timeStampingEkuProblem, type CertificateFacts } from '../asn1/certificate.js';
import { hashBytes } from '../hash/hash-file.js';
import { errorMessage } from '../errors.js';
import { content, oidOf, rootOf } from '../asn1/tlv.js';
import {
  decodeTimeStamp,
  parseFailure,
  type DecodedSignerInfo,
  type DecodedTimeStamp,
  type DecodedToken,
} from './decode.js';
import { essProblems } from '../cms/ess.js';
import { locateSigner } from '../cms/signer-info.js';
import type { RawAttribute } from '../cms/attributes.js';
import { CRYPTO_FAILURE, verifySignedAttributes, type SignatureVerdict } from '../cms/signed-attributes-signature.js';
import type { TimeStampRequest } from './request.js';

export type TokenSignatureCheck = {
  /** The certificate that signed the token, located by the SignerInfo's sid (never "the first one"). */
  readonly signer: CertificateFacts | null;
  /** Where the signer certificate came from. */
  readonly signerSource: 'token' | 'external' | null;
  readonly signatureValid: boolean;
  /** Human-readable reasons the token cannot be trusted; empty when every check passed. */
  readonly problems: readonly string[];
  /** What breaks nothing (signed attributes stored in a non-DER encoding, …). */
  readonly warnings?: readonly string[];
};

export type TokenCheckOptions = {
  /** Certificates supplied by the user for tokens that omit them (`--tsa-cert`). */
  readonly extraCertificates?: readonly Uint8Array[];
};

type Token = DecodedToken;

/** Checks the CMS signature, message digest, ESS signing certificate, EKU and validity at genTime. */
export async function checkTokenSignature(token: Token, opts: TokenCheckOptions = {}): Promise<TokenSignatureCheck> {
  if (token.signerInfos.length !== 1)
    return fail(null, null, `the token has ${token.signerInfos.length} signers; RFC 3161 requires exactly one`);
  const signerInfo = token.signerInfos[0]!;
  const located = locateSigner(signerInfo.sid, token.certificates, opts.extraCertificates ?? []);
  if (!located) {
    const hint =
      token.certificates.length === 0
        ? ' (the token carries no certificates: give the TSA certificate with --tsa-cert)'
        : '';
    return fail(null, null, `the certificate that signed the token was not found${hint}`);
  }
  let signer: CertificateFacts;
  try {
    signer = certificateFacts(located.der);
  } catch (err) {
    return fail(null, located.source, `the certificate that signed the token cannot be read (${errorMessage(err)})`);
  }
  const problems: string[] = [];
  const attrs = signerInfo.signedAttributes;
  if (!signerInfo.signedAttrs)
    problems.push(
      'the token has no signed attributes (RFC 3161 requires content-type, message-digest and ESS signing-certificate)',
    );
  problems.push(...signedAttributeProblems(attrs, signerInfo, token));
  const verdict = signerInfo.signedAttrs !== null ? tokenSignature(signerInfo, located.der) : null;
  const signatureValid = verdict?.ok ?? false;
  const why =
    verdict?.failure && verdict.failure !== CRYPTO_FAILURE ? `: ${verdict.failure.reason}` : ' does not verify';
  if (!signatureValid) problems.unshift(`the TSA's signature over the token${why}`);
  if (signerInfo.signedAttrs) problems.push(...essProblems(attrs, signer));
  const eku = timeStampingEkuProblem(signer);
  if (eku) problems.push(eku);
  const gen = token.tstInfo.genTime.getTime();
  if (gen < signer.notBefore.getTime() || gen > signer.notAfter.getTime()) {
    problems.push(
      `genTime ${token.tstInfo.genTime.toISOString()} is outside the TSA certificate's validity (${signer.notBefore.toISOString()} to ${signer.notAfter.toISOString()})`,
    );
  }
  return { signer, signerSource: located.source, signatureValid, problems, warnings: verdict?.warnings ?? [] };
}

/** RFC 5652 §5.4 / RFC 6211: the signature over the DER of the signed attributes, as for every SignerInfo. */
function tokenSignature(si: DecodedSignerInfo, certificate: Uint8Array): SignatureVerdict {
  const digestAlgorithm = { algorithmId: si.digestAlgorithmOid, params: null };
  return verifySignedAttributes(
    {
      signedAttrs: si.signedAttrs!,
      attributes: si.signedAttributes,
      digestAlgorithm,
      signatureAlgorithm: si.signatureAlgorithm,
      signature: si.signature,
    },
    certificate,
  );
}

function fail(
  signer: CertificateFacts | null,
  source: TokenSignatureCheck['signerSource'],
  problem: string,
): TokenSignatureCheck {
  return { signer, signerSource: source, signatureValid: false, problems: [problem] };
}

function signedAttributeProblems(
  attrs: readonly RawAttribute[],
  signerInfo: DecodedSignerInfo,
  token: Token,
): string[] {
  const problems: string[] = [];
  const contentType = attrs.find((a) => a.type === OID.contentType)?.values[0];
  if (attrs.length > 0 && !(contentType && oidValue(contentType) === OID.tstInfo))
    problems.push('the signed content-type attribute is not id-ct-TSTInfo');
  const digest = attrs.find((a) => a.type === OID.messageDigest)?.values[0];
  const alg = hashFromOid(signerInfo.digestAlgorithmOid);
  if (attrs.length > 0 && digest?.[0] !== 0x04) problems.push('the token has no message-digest attribute');
  else if (digest) {
    if (!alg) problems.push(`the token's digest algorithm ${signerInfo.digestAlgorithmOid} is not supported`);
    else if (!bytesEqual(hashBytes(alg, token.eContent), content(digest, rootOf(digest))))
      problems.push('the message-digest attribute does not match the TSTInfo');
  }
  return problems;
}

function oidValue(der: Uint8Array): string | null {
  try {
    const t = rootOf(der);
    return t.tag === 0x06 ? oidOf(der, t) : null;
  } catch {
    return null;
  }
}

/** Everything RFC 3161 §2.4.2 asks of a response to `request`; throws a `parse` TimestampError naming the first problem. */
export async function checkTimeStampResponse(
  der: Uint8Array,
  request: TimeStampRequest,
  opts: TokenCheckOptions = {},
): Promise<{ decoded: DecodedTimeStamp; signature: TokenSignatureCheck }> {
  const decoded = decodeTimeStamp(der);
  if (decoded.kind !== 'response' || !decoded.status)
    throw parseFailure('the TSA answered with a bare token, not a TimeStampResp');
  const { status } = decoded.status;
  if (status !== 0 && status !== 1) {
    const why = [...decoded.status.statusStrings, ...decoded.status.failInfo].join('; ');
    throw parseFailure(`the TSA refused the request: ${decoded.status.statusText}${why ? ` (${why})` : ''}`);
  }
  const token = decoded.token;
  if (!token) throw parseFailure(`status ${decoded.status.statusText} but no time-stamp token`);
  const info = token.tstInfo;
  if (info.hashAlgorithmOid !== requestHashOid(request))
    throw parseFailure(
      `the token's imprint uses ${info.hashAlgorithmOid}, the request asked for ${requestHashOid(request)}`,
    );
  if (!bytesEqual(info.imprint, request.imprint))
    throw parseFailure("the token is for another document: its message imprint differs from the request's");
  if (info.nonceHex !== integerHex(request.nonce))
    throw parseFailure(
      `the token's nonce ${info.nonceHex ?? '(none)'} differs from the request's ${integerHex(request.nonce)}`,
    );
  if (request.certReq && token.certificates.length === 0)
    throw parseFailure('the request asked for the TSA certificate but the token carries none');
  const signature = await checkTokenSignature(token, opts);
  if (signature.problems.length > 0) throw parseFailure(signature.problems[0]!);
  return { decoded, signature };
}

function requestHashOid(request: TimeStampRequest): string {
  return OID[request.hashAlgorithm];
}
