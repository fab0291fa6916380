// ETSI EN 319 122-1 §5.5.3 / EN 319 102-1 §5.6.2.5: each archive-time-stamp-v3 of a CAdES seal checked (a sound
// RFC 3161 token, its imprint equal to the recomputed ATSv3 hash, its TSA chained to an anchor), newest first, so
// every earlier time-stamp is judged at the time the next valid one proves it existed.
import { bytesEqual, toHex } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import type { HashAlgorithm } from '../asn1/oids.js';
import {
  archiveTimestampEntries,
  certificatesIn,
  recomputeArchiveImprint,
  signedDataLayout,
  type ArchiveTimestampEntry,
} from '../cms/archive-timestamp.js';
import { errorMessage } from '../errors.js';
import { inspectTimeStamp, type TokenReport } from '../tsp/token-report.js';
import { checkRevocation, type RevocationFinding, type RevocationItem } from './revocation-check.js';
import { evaluateTrust, tsaTrustProblems } from './trust.js';

import type { TimestampCheck } from '../model/cades-report.js';

export type { TimestampCheck };

export type ArchiveJudgement = {
  readonly signatureTimestamp: TimestampCheck | null;
  readonly archiveTimestamps: readonly TimestampCheck[];
  readonly problems: readonly string[];
};

export type ArchiveOptions = {
  readonly digestContent: (alg: HashAlgorithm) => Promise<Uint8Array>;
  readonly signatureToken: Uint8Array | null;
  readonly anchors: readonly Uint8Array[];
  readonly devAnchors: readonly Uint8Array[];
  readonly revocation: readonly RevocationItem[];
  readonly now: Date;
};

type Pending = {
  entry: ArchiveTimestampEntry | null;
  report: TokenReport | null;
  imprintMatches: boolean | null;
  problems: string[];
};

export async function judgeArchiveTimestamps(p7s: Uint8Array, o: ArchiveOptions): Promise<ArchiveJudgement> {
  let layout;
  try {
    layout = signedDataLayout(p7s);
  } catch (err) {
    return {
      signatureTimestamp: null,
      archiveTimestamps: [],
      problems: [`the archive time-stamps cannot be checked: ${errorMessage(err)}`],
    };
  }
  const l = layout;
  const pool = certificatesIn(l);
  const pending: Pending[] = [];
  for (const entry of archiveTimestampEntries(l)) pending.push(await imprintCheck(l, entry, o));
  const sigReport = o.signatureToken ? await inspect(o.signatureToken) : null;
  const sig: Pending | null = o.signatureToken
    ? { entry: null, report: sigReport, imprintMatches: null, problems: [...(sigReport?.problems ?? [])] }
    : null;
  // Newest first: each time-stamp is judged when the next valid one proves it existed.
  const checks: TimestampCheck[] = [];
  let proofAt: Date = o.now;
  for (let i = pending.length - 1; i >= 0; i--) {
    const c = await judge(pending[i]!, i + 1, proofAt, i === pending.length - 1, pool, o);
    checks.unshift(c);
    if (c.valid && c.genTime) proofAt = new Date(c.genTime);
  }
  const signatureTimestamp = sig ? await judge(sig, 0, proofAt, pending.length === 0, pool, o) : null;
  const ordered = [signatureTimestamp, ...checks].filter((c): c is TimestampCheck => c !== null);
  const out = ordered.map((c, i) => {
    const prev = ordered[i - 1];
    if (!prev?.genTime || !c.genTime || c.genTime >= prev.genTime) return c;
    return {
      ...c,
      valid: false,
      problems: [...c.problems, `its time (${c.genTime}) is before the time-stamp it should cover (${prev.genTime})`],
    };
  });
  const archiveTimestamps = out.filter((c) => c.kind === 'archive-timestamp');
  const label = (c: TimestampCheck) =>
    c.kind === 'signature-timestamp'
      ? 'the signature time-stamp'
      : `archive time-stamp ${c.n}${c.genTime ? ` (${c.genTime})` : ''}`;
  // Without archive time-stamps the signature time-stamp is judged as before (token soundness, in cades-report).
  const judged = archiveTimestamps.length ? out : [];
  return {
    signatureTimestamp: out.find((c) => c.kind === 'signature-timestamp') ?? null,
    archiveTimestamps,
    problems: judged.filter((c) => !c.valid).map((c) => `${label(c)}: ${c.problems.join('; ')}`),
  };
}

async function inspect(token: Uint8Array): Promise<TokenReport | null> {
  return inspectTimeStamp(token).catch(() => null);
}

async function imprintCheck(
  l: ReturnType<typeof signedDataLayout>,
  entry: ArchiveTimestampEntry,
  o: ArchiveOptions,
): Promise<Pending> {
  const report = await inspect(entry.token);
  const problems: string[] = [];
  if (!report) problems.push('its token cannot be read');
  else problems.push(...report.problems);
  if (!entry.hashIndex)
    return { entry, report, imprintMatches: false, problems: [...problems, entry.problem ?? 'no ats-hash-index-v3'] };
  const alg = entry.hashIndex.algorithm;
  if (!alg)
    return {
      entry,
      report,
      imprintMatches: false,
      problems: [...problems, `its hash index uses an unknown algorithm ${entry.hashIndex.algorithmOid}`],
    };
  if (alg === 'sha1') problems.push('it uses SHA-1, which no longer proves existence (collisions are practical)');
  if (report && report.hashAlgorithm !== alg)
    problems.push(
      `its hash index uses ${alg}, its imprint ${report.hashAlgorithm ?? 'an unknown algorithm'} (they must be the same)`,
    );
  const { imprint, unmatched } = recomputeArchiveImprint(l, entry.hashIndex, await o.digestContent(alg));
  problems.push(...unmatched);
  const same = report !== null && report.imprintHex === toHex(imprint);
  if (!same)
    problems.push(
      'its imprint does not match the ATSv3 hash of the file and the signature as they stand: something it covers was changed',
    );
  return { entry, report, imprintMatches: same && unmatched.length === 0, problems };
}

async function judge(
  p: Pending,
  n: number,
  at: Date,
  newest: boolean,
  pool: readonly Uint8Array[],
  o: ArchiveOptions,
): Promise<TimestampCheck> {
  const r = p.report;
  const problems = [...p.problems];
  if (!r) problems.push('the time-stamp token cannot be read');
  const trustProblems: string[] = [];
  let tsa: TimestampCheck['tsa'] = null;
  let revocation: RevocationFinding | null = null;
  if (r?.signerDer) {
    const all = [...r.certificates, ...pool];
    const trust = await evaluateTrust(r.signerDer, {
      anchors: o.anchors,
      devAnchors: o.devAnchors,
      intermediates: all,
      at,
    });
    const facts = certificateFacts(r.signerDer);
    tsa = {
      subject: facts.subject,
      notAfter: facts.notAfter.toISOString(),
      trust: trust.trust,
      trustPath: trust.path,
      message: trust.message,
    };
    trustProblems.push(...tsaTrustProblems(trust));
    const issuer = facts.selfSigned
      ? null
      : (all.find((c) => certificateFacts(c).subject === facts.issuer && !bytesEqual(c, r.signerDer!)) ?? null);
    // The newest time-stamp's TSA gets its revocation data with the next restamp (not checked here, as before
    // archive time-stamps); every earlier one must have it, judged when the next time-stamp proves it existed.
    revocation = newest ? null : await checkRevocation(r.signerDer, issuer, o.revocation, at, null);
    if (revocation?.status === 'revoked') problems.push(`its TSA certificate is revoked: ${revocation.detail}`);
    if (revocation?.status === 'missing')
      trustProblems.push(`no revocation data for its TSA certificate: ${revocation.detail}`);
  }
  return {
    kind: n === 0 ? 'signature-timestamp' : 'archive-timestamp',
    n,
    genTime: r?.genTime ?? null,
    tsaName: r?.tsaName ?? null,
    hashAlgorithm: r?.hashAlgorithm ?? null,
    imprintMatches: p.imprintMatches,
    tsa,
    revocation,
    judgedAt: at.toISOString(),
    valid: problems.length + trustProblems.length === 0,
    problems: [...problems, ...trustProblems],
    trustProblems,
  };
}

/**
 * The signer's revocation status from data gathered before an archive time-stamp (oldest valid first): fetched
 * after signing, it cannot speak for the signing time itself, but a "good" answer at the time an archive
 * time-stamp proves means no revocation had happened before it (EN 319 102-1 §5.6.2.4, past signature validation).
 */
export async function revocationAtArchiveTimes(
  cert: Uint8Array,
  issuer: Uint8Array | null,
  pool: readonly RevocationItem[],
  archive: readonly TimestampCheck[],
): Promise<RevocationFinding | null> {
  for (const a of archive) {
    if (!a.valid || !a.genTime) continue;
    const r = await checkRevocation(cert, issuer, pool, new Date(a.genTime), null);
    if (r.status === 'revoked') return r;
    if (r.status === 'good')
      return { ...r, detail: `${r.detail}, as of ${a.genTime} (proven by archive time-stamp ${a.n})` };
  }
  return null;
}
