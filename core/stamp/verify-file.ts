// `verify <file> --tsr`: inspect the token, hash the file with the token's algorithm, judge the match.
import { resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { hashFile } from '../hash/hash-file.js';
import { validateChain } from '../validation/chain.js';
import { inspectTimeStamp, judgeImprint } from '../tsp/token-report.js';
import type { TokenVerification } from '../model/token-report.js';

export type FileTokenVerification = TokenVerification;

export type VerifyFileOptions = {
  /** Certificates for tokens that omit them (`--tsa-cert`). */
  readonly extraCertificates?: readonly Uint8Array[];
  /** Trust anchors for the TSA's chain (`--trust`); never the OS or web-PKI roots. */
  readonly anchors?: readonly Uint8Array[];
};

export async function verifyFileAgainstToken(file: string, tokenDer: Uint8Array, opts: VerifyFileOptions = {}): Promise<FileTokenVerification> {
  const extra = opts.extraCertificates ?? [];
  const report = await inspectTimeStamp(tokenDer, { extraCertificates: extra });
  const alg = report.hashAlgorithm;
  const digest = alg ? (await hashFile(resolve(file), [alg])).digests[alg] : null;
  let verdict = judgeImprint(report, digest);
  const trust = report.signerDer && report.genTime
    ? await validateChain(report.signerDer, { anchors: opts.anchors ?? [], intermediates: [...report.certificates, ...extra], at: new Date(report.genTime) })
    : { status: 'not_checked' as const, path: [], message: 'no TSA certificate to check' };
  if (verdict.valid && trust.status === 'untrusted') verdict = { valid: false, hashMatch: verdict.hashMatch, message: `File matches the imprint, but the TSA is not trusted: ${trust.message}.` };
  return { report, verdict, fileHashHex: digest ? toHex(digest) : null, trust };
}
