// `verify <file> --tsr`: inspect the token, hash the file with the token's algorithm, judge the match, and give the
// outcome in ETSI terms through the one indication decider.
import { resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { hashFile } from '../hash/hash-file.js';
import { validateChain } from '../validation/chain.js';
import { decide, type Finding } from '../validation/indication.js';
import { inspectTimeStamp, judgeImprint } from '../tsp/token-report.js';
import type { ChainResult } from '../model/facts.js';
import type { TokenReport, TokenVerification } from '../model/token-report.js';
import type { TrustSource } from '../model/qualification.js';
import { decodeTimeStamp } from '../tsp/decode.js';
import { qualifyTimestamp, type TlContext } from '../tl/assess.js';
import { trustFromTl } from '../tl/trust.js';

export type FileTokenVerification = TokenVerification;

export type VerifyFileOptions = {
  /** Certificates for tokens that omit them (`--tsa-cert`). */
  readonly extraCertificates?: readonly Uint8Array[];
  /** Trust anchors for the TSA's chain (`--trust`); never the OS or web-PKI roots. */
  readonly anchors?: readonly Uint8Array[];
  /** The EU trusted lists when loaded: the TSA's qualification at genTime, and with `trustEu` trust. */
  readonly tl?: TlContext | null;
};

export async function verifyFileAgainstToken(
  file: string,
  tokenDer: Uint8Array,
  opts: VerifyFileOptions = {},
): Promise<FileTokenVerification> {
  const extra = opts.extraCertificates ?? [];
  const report = await inspectTimeStamp(tokenDer, { extraCertificates: extra });
  const alg = report.hashAlgorithm;
  const digest = alg ? (await hashFile(resolve(file), [alg])).digests[alg] : null;
  let verdict = judgeImprint(report, digest);
  const anchored =
    report.signerDer && report.genTime
      ? await validateChain(report.signerDer, {
          anchors: opts.anchors ?? [],
          intermediates: [...report.certificates, ...extra],
          at: new Date(report.genTime),
        })
      : { status: 'not_checked' as const, path: [], message: 'no TSA certificate to check' };
  const { trust, trustSource } = await withTl(anchored, report, extra, opts.tl ?? null);
  const qualification =
    opts.tl && report.signerDer && report.genTime
      ? qualifyTimestamp(
          opts.tl,
          report.signerDer,
          [...report.certificates, ...extra],
          new Date(report.genTime),
          decodeTimeStamp(tokenDer).token?.eContent ?? null,
        )
      : null;
  if (verdict.valid && trust.status === 'untrusted')
    verdict = {
      valid: false,
      hashMatch: verdict.hashMatch,
      message: `File matches the imprint, but the TSA is not trusted: ${trust.message}.`,
    };
  const decision = decide(tokenFindings(report, verdict.hashMatch, trust), verdict.hashMatch && report.signatureValid);
  const fileHashHex = digest ? toHex(digest) : null;
  return { report, verdict, fileHashHex, trust, trustSource, qualification, ...decision };
}

/** The anchors' verdict, else (with `--trust-eu`) the EU trusted lists', with the source that made the TSA trusted. */
async function withTl(
  anchored: ChainResult,
  report: TokenReport,
  extra: readonly Uint8Array[],
  tl: TlContext | null,
): Promise<{ trust: ChainResult; trustSource: TrustSource | null }> {
  if (anchored.status === 'chained') return { trust: anchored, trustSource: { kind: 'anchor' } };
  if (!tl?.trustEu || !report.signerDer || !report.genTime) return { trust: anchored, trustSource: null };
  const found = await trustFromTl(tl, report.signerDer, [...report.certificates, ...extra], new Date(report.genTime));
  if (!found) return { trust: anchored, trustSource: null };
  return { trust: { status: 'chained', path: found.path, message: found.message }, trustSource: found.source };
}

/** The token's findings in ETSI terms: unreadable or refused, then the imprint, the TSA's signature, the rest. */
function tokenFindings(report: TokenReport, hashMatch: boolean, trust: ChainResult): Finding[] {
  const findings: Finding[] = [];
  const problems = report.problems;
  if (!report.genTime)
    return [{ sub: 'FORMAT_FAILURE', reason: problems[0] ?? 'the response holds no time-stamp token' }];
  if (!hashMatch)
    findings.push({ sub: 'HASH_FAILURE', reason: "the file's digest differs from the token's message imprint" });
  if (!report.signer)
    findings.push({
      sub: 'NO_SIGNING_CERTIFICATE_FOUND',
      reason: problems[0] ?? "the TSA's certificate is not at hand",
    });
  else if (!report.signatureValid)
    findings.push({ sub: 'SIG_CRYPTO_FAILURE', reason: problems[0] ?? "the TSA's signature does not verify" });
  const rest = report.signer && !report.signatureValid ? problems.slice(1) : report.signer ? problems : [];
  for (const p of rest) findings.push({ sub: 'SIG_CONSTRAINTS_FAILURE', reason: p });
  if (report.hashAlgorithm === 'sha1')
    findings.push({
      sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
      reason: 'the imprint uses SHA-1, which no longer proves existence',
    });
  if (trust.status !== 'chained') {
    const why =
      trust.status === 'not_checked' ? 'was not checked against a trust anchor' : 'does not chain to a trust anchor';
    findings.push({ sub: 'NO_CERTIFICATE_CHAIN_FOUND', reason: `the TSA's certificate ${why} (${trust.message})` });
  }
  return findings;
}
