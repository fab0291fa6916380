// What `inspect` and `verify --tsr` report about a token: plain data, never a throw for a bad token.
import { bytesEqual, toHex } from '../asn1/bytes.js';
import { checkTokenSignature, type TokenCheckOptions } from './check.js';
import { decodeTimeStamp, type DecodedTimeStamp } from './decode.js';
import { InputError, errorMessage } from '../errors.js';
import { TlvLimitError } from '../asn1/tlv.js';

import type { ImprintVerdict, TokenReport } from '../model/token-report.js';

export type { ImprintVerdict, TokenReport };

/** Decodes and checks a .tsr/.tst. Throws only when the bytes are not a time-stamp at all. */
export async function inspectTimeStamp(der: Uint8Array, opts: TokenCheckOptions = {}): Promise<TokenReport> {
  let decoded: DecodedTimeStamp;
  try {
    // A private copy: checking the signature re-tags the signed attributes in the decoded buffer (pkijs), and the
    // caller's bytes (stored next, e.g. by an import) must stay exactly as the TSA sent them.
    decoded = decodeTimeStamp(new Uint8Array(der));
  } catch (err) {
    const limit = err instanceof Error && err.cause instanceof TlvLimitError;
    throw new InputError(
      limit ? 'RESOURCE_LIMIT' : 'TOKEN_MALFORMED',
      `not a time-stamp response or token: ${errorMessage(err)}`,
      { cause: err },
    );
  }
  const status = decoded.status;
  const token = decoded.token;
  if (!token) {
    const why = status
      ? `the TSA ${status.statusText === 'rejection' ? 'rejected the request' : `answered ${status.statusText}`}` +
        `${status.statusStrings.length ? `: ${status.statusStrings.join('; ')}` : ''}`
      : 'no token';
    return {
      kind: decoded.kind,
      status,
      genTime: null,
      serialHex: null,
      hashAlgorithmOid: null,
      hashAlgorithm: null,
      imprintHex: null,
      policyOid: null,
      nonceHex: null,
      accuracy: null,
      ordering: false,
      tsaName: null,
      signer: null,
      certificateCount: 0,
      signerDer: null,
      certificates: [],
      signatureValid: false,
      problems: [why],
    };
  }
  const info = token.tstInfo;
  const check = await checkTokenSignature(token, opts);
  const problems = [...check.problems];
  if (status && status.status !== 0 && status.status !== 1)
    problems.unshift(`the response status is ${status.statusText}`);
  if (!info.hashAlgorithm) problems.push(`unknown imprint hash algorithm ${info.hashAlgorithmOid}`);
  const s = check.signer;
  return {
    kind: decoded.kind,
    status,
    genTime: info.genTime.toISOString(),
    serialHex: info.serialHex,
    hashAlgorithmOid: info.hashAlgorithmOid,
    hashAlgorithm: info.hashAlgorithm ?? null,
    imprintHex: toHex(info.imprint),
    policyOid: info.policyOid,
    nonceHex: info.nonceHex,
    accuracy: info.accuracy,
    ordering: info.ordering,
    tsaName: info.tsaField ?? s?.subject ?? null,
    signer: s
      ? {
          subject: s.subject,
          issuer: s.issuer,
          serialHex: s.serialHex,
          notBefore: s.notBefore.toISOString(),
          notAfter: s.notAfter.toISOString(),
          source: check.signerSource ?? 'token',
        }
      : null,
    certificateCount: token.certificates.length,
    signerDer: s?.der ?? null,
    certificates: token.certificates,
    signatureValid: check.signatureValid,
    problems,
  };
}

/** A file matches a token when its digest equals the imprint AND the token itself is sound. */
export function judgeImprint(report: TokenReport, fileDigest: Uint8Array | null): ImprintVerdict {
  const claimed = report.imprintHex;
  const hashMatch = claimed !== null && fileDigest !== null && bytesEqual(Buffer.from(claimed, 'hex'), fileDigest);
  if (!hashMatch) {
    const message = report.hashAlgorithm
      ? "File does not match the timestamp: its hash differs from the token's message imprint."
      : (report.problems[0] ?? 'The token cannot be read.');
    return { valid: false, hashMatch, message };
  }
  if (report.problems.length > 0)
    return {
      valid: false,
      hashMatch,
      message: `File matches the imprint, but the token is not valid: ${report.problems.join('; ')}.`,
    };
  if (report.hashAlgorithm === 'sha1')
    return {
      valid: false,
      hashMatch,
      message:
        'File matches the imprint, but the token uses SHA-1, which no longer proves existence (collisions are practical).',
    };
  return { valid: true, hashMatch, message: 'File matches the timestamp.' };
}
