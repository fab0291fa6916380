// Revocation status of a certificate for the time a verdict relies on (ETSI EN 319 102-1 §5.2.5 revocation freshness,
// §5.6.2.4 revocation issued after the best-signature-time), from every source at hand: the DSS, the CMS's own
// revocation values, the ledger cache and the network (`--online`). Rules (issue 13):
// - `revoked` from any valid source (signed by the issuer or its authorised responder) beats `good` from another; a
//   revocation stays a revocation, so it counts whenever the answer was issued.
// - `good` counts only if issued for the time relied on: when that time is a proof of existence (a time-stamp whose
//   TSA chains to an anchor), the answer's thisUpdate must be at or after it; when it is only the validation time, the
//   answer must be current then (thisUpdate not after it, nextUpdate not before it). A `good` issued after the
//   certificate expired proves nothing (a responder may forget expired certificates).
// - An OCSP response without nextUpdate (RFC 6960 §4.2.2.1: "newer information is always available") speaks for
//   24 hours after its thisUpdate (DEFAULT_OCSP_FRESHNESS_MS). EU DSS's default policy sets no maximum freshness and
//   then refuses such a response outright (RevocationFreshnessChecker: no nextUpdate, FAILED); we accept it within a
//   day, the longest interval CA/B Forum baseline requirements let a responder wait before publishing a revocation.
// Without a counting answer the status is `missing` with the reason in words (verifiers report TRY_LATER).
import * as asn1js from 'asn1js';
import { createHash } from 'node:crypto';
import { certificateFacts } from '../asn1/certificate.js';
import { errorMessage } from '../errors.js';
import type { ParsedSignedData } from '../cms/parse.js';
import { knownRevocationData } from '../ledger/revocation-cache.js';
import { checkCrl } from '../revocation/crl.js';
import { fetchRevocation, type RevocationContext } from '../revocation/collect.js';
import { CLOCK_SKEW_MS, certificateOf, checkOcspResponse, type RevocationStatus } from '../revocation/ocsp.js';
import { revocationSources } from '../revocation/sources.js';

export type RevocationItem = {
  readonly kind: 'ocsp' | 'crl';
  readonly der: Uint8Array;
  readonly from: 'dss' | 'cms' | 'ledger' | 'online';
};

import type { RevocationFinding } from '../model/facts.js';

export type { RevocationFinding };

/** How long an OCSP response without nextUpdate speaks for after its thisUpdate. */
export const DEFAULT_OCSP_FRESHNESS_MS = 24 * 3_600_000;

export type RevocationTime = {
  /** The time the verdict relies on. */
  readonly at: Date;
  /** `at` is a proof of existence (a trusted time-stamp's time): `good` must be issued at or after it. Otherwise `at`
   * is the validation time and `good` must be current at it. */
  readonly proven: boolean;
  /** Default DEFAULT_OCSP_FRESHNESS_MS. */
  readonly ocspFreshnessMs?: number;
};

type Judged = { readonly item: RevocationItem; readonly s: RevocationStatus };
type Status = RevocationFinding['status'];
type Source = RevocationFinding['source'];
type MakeFinding = (status: Status, source: Source, detail: string, revokedAt?: Date | null) => RevocationFinding;

/**
 * The certificate's revocation status for `when` (a bare Date: current at that time, not a proof of existence).
 * `online` also brings the ledger's cached answers and, when those at hand do not decide, a fetch.
 */
export async function checkRevocation(
  certDer: Uint8Array,
  issuerDer: Uint8Array | null,
  pool: readonly RevocationItem[],
  when: Date | RevocationTime,
  online: RevocationContext | null,
): Promise<RevocationFinding> {
  const time: RevocationTime = when instanceof Date ? { at: when, proven: false } : when;
  const facts = certificateFacts(certDer);
  const subject = facts.subject;
  const finding: MakeFinding = (status, source, detail, revokedAt = null) => ({
    subject,
    status,
    source,
    detail,
    revokedAt: revokedAt?.toISOString() ?? null,
  });
  const sources = revocationSources(certDer);
  const named = sources.ocsp.length + sources.crl.length > 0;
  if (!issuerDer) {
    if (!named) return finding('no-source', null, 'the certificate names no revocation source');
    return finding('missing', null, "the issuer's certificate is not available, so no revocation data can be checked");
  }
  // pkijs objects for OCSP checks, made only when there is an OCSP response to judge (parsing costs ms per signature).
  let pair: { cert: ReturnType<typeof certificateOf>; issuer: ReturnType<typeof certificateOf> } | undefined;
  const parsed = () => (pair ??= { cert: certificateOf(certDer), issuer: certificateOf(issuerDer) });
  const judge = async (item: RevocationItem): Promise<Judged | null> => {
    try {
      const s =
        item.kind === 'ocsp'
          ? await checkOcspResponse(item.der, parsed().cert, parsed().issuer, null)
          : await checkCrl(item.der, certDer, issuerDer, null);
      return s.status === 'unknown' ? null : { item, s };
    } catch {
      return null; // data for another certificate, or not signed by its issuer: not a source for this one
    }
  };
  const certSha256 = createHash('sha256').update(certDer).digest('hex');
  const cachedItems = online ? knownRevocationData(online.db, certSha256, sources.crl) : [];
  const ledger = cachedItems.map((r): RevocationItem => ({ kind: r.kind, der: r.der, from: 'ledger' }));
  const judged: Judged[] = [];
  for (const item of [...pool, ...ledger]) {
    const j = await judge(item);
    if (j) judged.push(j);
  }
  const decided = decide(judged, time, facts.notAfter);
  if (decided.revoked || decided.good || !named) return asFinding(decided, finding, named);
  if (online) {
    // Asked only when the data at hand does not decide; a cached answer from before a proof of existence is asked again.
    let fetched: Awaited<ReturnType<typeof fetchRevocation>>;
    try {
      fetched = await fetchRevocation(online, certDer, issuerDer, { issuedAfter: time.proven ? time.at : undefined });
    } catch (err) {
      return finding('missing', null, [...decided.notCounted, errorMessage(err)].join('; '));
    }
    const got = fetched?.got ? await judge({ kind: fetched.got.kind, der: fetched.got.der, from: 'online' }) : null;
    const withOnline = decide(got ? [...judged, got] : judged, time, facts.notAfter);
    if (withOnline.revoked || withOnline.good) return asFinding(withOnline, finding, named, fetched?.got?.url);
    return finding(
      'missing',
      null,
      [...withOnline.notCounted, ...(fetched?.problems ?? [])].join('; ') || 'no source answered',
    );
  }
  const why = decided.notCounted.length ? `${decided.notCounted.join('; ')}; ` : '';
  const urls = [...sources.ocsp, ...sources.crl].join(', ');
  const lacking = `the certificate names ${urls} but the document carries no usable revocation data for it (try --online)`;
  return finding('missing', null, `${why}${lacking}`);
}

type Decision = { readonly revoked: Judged | null; readonly good: Judged | null; readonly notCounted: string[] };

function decide(judged: readonly Judged[], time: RevocationTime, notAfter: Date): Decision {
  // The earliest revocation any valid source gives wins over every `good`.
  const revocations = judged.filter((j) => j.s.status === 'revoked');
  const revoked =
    revocations.sort((a, b) => (a.s.revokedAt?.getTime() ?? 0) - (b.s.revokedAt?.getTime() ?? 0))[0] ?? null;
  const notCounted: string[] = [];
  let good: Judged | null = null;
  for (const j of judged) {
    if (j.s.status !== 'good') continue;
    const why = whyNotCounted(j, time, notAfter);
    if (!why) good ??= j;
    else notCounted.push(why);
  }
  return { revoked, good, notCounted };
}

/** Why a `good` answer does not speak for the time relied on, or null when it does. */
export function whyNotCounted(j: Judged, time: RevocationTime, notAfter: Date): string | null {
  const { item, s } = j;
  const what = `${item.kind === 'ocsp' ? 'the OCSP response' : 'the CRL'} ${where(item.from)} (issued ${s.thisUpdate.toISOString()})`;
  const at = time.at.toISOString();
  const window = time.ocspFreshnessMs ?? DEFAULT_OCSP_FRESHNESS_MS;
  const effectiveNext = s.nextUpdate ?? (item.kind === 'ocsp' ? new Date(s.thisUpdate.getTime() + window) : null);
  if (s.thisUpdate > notAfter) {
    return `${what} was issued after the certificate expired (${notAfter.toISOString()}), when its status may no longer be kept`;
  }
  if (time.proven) {
    if (s.thisUpdate >= time.at) return null;
    return `${what} predates the proof of existence ${at}: only data issued at or after it shows the certificate was not revoked then`;
  }
  if (s.thisUpdate.getTime() > time.at.getTime() + CLOCK_SKEW_MS)
    return `${what} is later than the validation time ${at}`;
  if (!effectiveNext || effectiveNext >= time.at) return null;
  if (s.nextUpdate) return `${what} is stale at ${at} (its nextUpdate ${s.nextUpdate.toISOString()} has passed)`;
  return `${what} has no nextUpdate and is more than ${window / 3_600_000} h older than ${at} (the freshness window)`;
}

function asFinding(d: Decision, finding: MakeFinding, named: boolean, url?: string): RevocationFinding {
  const from = (j: Judged) => (j.item.from === 'online' && url ? `from ${url}` : where(j.item.from));
  const kind = (j: Judged) => j.item.kind.toUpperCase();
  if (d.revoked) {
    const r = d.revoked;
    const beats = d.good ? ` (it beats the "good" of the ${kind(d.good)} data ${from(d.good)})` : '';
    return finding(
      'revoked',
      r.item.from,
      `revoked according to ${kind(r)} data ${from(r)}${beats}`,
      r.s.revokedAt ?? null,
    );
  }
  const g = d.good;
  if (g)
    return finding('good', g.item.from, `not revoked (${kind(g)} ${from(g)}, issued ${g.s.thisUpdate.toISOString()})`);
  if (!named) return finding('no-source', null, 'the certificate names no revocation source');
  return finding('missing', null, d.notCounted.join('; '));
}

function where(from: RevocationItem['from']): string {
  return from === 'dss'
    ? 'in the DSS'
    : from === 'cms'
      ? 'in the signature'
      : from === 'ledger'
        ? 'in the ledger cache'
        : 'fetched online';
}

/** CMS revocation values: SignedData.crls (CRLs and id-ri-ocsp-response) and Adobe's revocationInfoArchival attribute. */
export function cmsRevocationValues(parsed: ParsedSignedData): RevocationItem[] {
  const out: RevocationItem[] = [];
  for (const v of parsed.revocationValues) out.push({ ...v, from: 'cms' });
  const attr = parsed.signedData.signerInfos[0]?.signedAttrs?.attributes.find((a) => a.type === '1.2.840.113583.1.1.8');
  const archival = attr?.values?.[0] as asn1js.Sequence | undefined;
  for (const tagged of archival?.valueBlock?.value ?? []) {
    const kind = tagged.idBlock.tagNumber === 0 ? 'crl' : tagged.idBlock.tagNumber === 1 ? 'ocsp' : null;
    const list = (tagged as asn1js.Constructed).valueBlock.value?.[0] as asn1js.Sequence | undefined;
    if (!kind || !list) continue;
    for (const v of list.valueBlock.value ?? [])
      out.push({ kind, der: new Uint8Array(v.valueBeforeDecodeView), from: 'cms' });
  }
  return out;
}
