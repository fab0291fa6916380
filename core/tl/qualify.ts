// Qualified status from the EU trusted lists (ETSI TS 119 615 §4.3-4.4, EN 319 102-1 §5.2.5): a signer certificate is
// QESig / QESeal / AdESig-QC / AdESeal-QC / not qualified from its QC statements, refined by the qualifiers of the
// CA/QC service that lists its issuer, at issuance time and at T (the signature's proof of existence); a time-stamp is
// qualified when a TSA/QTST service lists its TSA (or the TSA's issuer) as granted at genTime.
// Decision (documented in the report's `reason`): a list whose own signature is invalid or unverified never makes
// anything qualified; its facts are reported as `levelIfListTrusted`. A list past its next update is still used and
// the report says it is stale.
import type { QcStatements } from '../asn1/qc.js';
import type { Qualification, QualificationLevel } from '../model/qualification.js';
import type { LoadedList, TlService, TlStatusPeriod } from './model.js';
import { SVC_TYPE } from './model.js';
import { statusAt, statusName } from './status-at.js';

/** What the certificate itself says, as the TL criteria and qualifiers need it. */
export type CertificateTlFacts = {
  readonly qc: QcStatements | null;
  readonly policies: readonly string[];
  /** Key usage bit names (digitalSignature, nonRepudiation, …); null without the extension. */
  readonly keyUsage: readonly string[] | null;
  readonly notBefore: Date;
};

export type Candidate = { readonly service: TlService; readonly list: LoadedList };

/** eIDAS applies from 1 July 2016: a certificate issued before it with no QcType is for e-signatures (TS 119 615). */
const EIDAS = Date.UTC(2016, 6, 1);
const Q = (uri: string) => uri.slice(uri.lastIndexOf('/') + 1);

/** The qualifiers of a status period that apply to the certificate (TS 119 612 §5.5.9.2 criteria). */
export function qualifiersFor(period: TlStatusPeriod, c: CertificateTlFacts): Set<string> {
  const out = new Set<string>();
  for (const q of period.qualifications) if (criteriaMatch(q.criteria, c)) for (const u of q.qualifiers) out.add(Q(u));
  return out;
}

function criteriaMatch(k: TlStatusPeriod['qualifications'][number]['criteria'], c: CertificateTlFacts): boolean {
  const ku = new Set(c.keyUsage ?? []);
  const results = [
    ...k.policyOids.map((oid) => c.policies.includes(oid)),
    ...k.keyUsage.map((b) => ku.has(b.bit) === b.value),
  ];
  const hits = results.filter(Boolean).length;
  if (k.assert === 'all') return hits === results.length;
  if (k.assert === 'none') return hits === 0;
  return hits > 0;
}

type Facts = { type: 'esign' | 'eseal' | 'web'; qscd: boolean; qc: boolean };

/** QC, type and QSCD from the certificate refined by the TL; a string is the contradiction or what is missing. */
function refine(c: CertificateTlFacts, issued: TlStatusPeriod, atT: TlStatusPeriod): Facts | string {
  const qi = qualifiersFor(issued, c);
  const qt = qualifiersFor(atT, c);
  if (qi.has('NotQualified') || qt.has('NotQualified')) {
    if (qi.has('QCStatement')) return 'the list both qualifies it (QCStatement) and says NotQualified';
    return 'the list marks certificates like it NotQualified';
  }
  const qc = qi.has('QCStatement') || c.qc?.qcCompliance === true;
  if (!qc) return 'the certificate has no QcCompliance statement and the list does not add one';
  const tlTypes = (['QCForESig', 'QCForESeal', 'QCForWSA'] as const).filter((t) => qi.has(t));
  const certTypes = c.qc?.qcTypes ?? [];
  const named = { QCForESig: 'esign', QCForESeal: 'eseal', QCForWSA: 'web' } as const;
  if (tlTypes.length > 1) return `the list gives it several types (${tlTypes.join(', ')})`;
  if (certTypes.length > 1) return `the certificate claims several QcTypes (${certTypes.join(', ')})`;
  const tl = tlTypes[0] ? named[tlTypes[0]] : null;
  const own = certTypes[0] ?? null;
  if (tl && own && tl !== own) return `the certificate's QcType (${own}) contradicts the list's ${tlTypes[0]}`;
  const info = issued.additionalInfo.map(Q);
  const forInfo = (['ForeSignatures', 'ForeSeals', 'ForWebSiteAuthentication'] as const).filter((i) =>
    info.includes(i),
  );
  const infoType = { ForeSignatures: 'esign', ForeSeals: 'eseal', ForWebSiteAuthentication: 'web' } as const;
  let type = tl ?? own ?? (forInfo.length === 1 ? infoType[forInfo[0]!] : null);
  // Before eIDAS: a QC for a legal person (TL qualifier QCForLegalPerson) counts as a seal, any other as a signature.
  if (!type && c.notBefore.getTime() < EIDAS) type = qi.has('QCForLegalPerson') ? 'eseal' : 'esign';
  if (!type) return 'its type (e-signature or e-seal) cannot be determined from the certificate or the list';
  if (forInfo.length && !forInfo.some((i) => infoType[i] === type))
    return `the service is listed for ${forInfo.join(', ')} only, the certificate is for ${type}`;
  const yes = ['QCWithQSCD', 'QCWithSSCD', 'QCQSCDManagedOnBehalf'].filter((q) => qt.has(q));
  const no = ['QCNoQSCD', 'QCNoSSCD'].filter((q) => qt.has(q));
  if (yes.length && no.length) return `the list says both ${yes[0]} and ${no[0]}`;
  const qscd = yes.length > 0 ? true : no.length > 0 ? false : c.qc?.qscd === true;
  return { type, qscd, qc };
}

const LEVEL = { esign: ['QESig', 'AdESig-QC'], eseal: ['QESeal', 'AdESeal-QC'] } as const;

function describe(f: Facts): string {
  const kind = f.type === 'esign' ? 'electronic signatures' : 'electronic seals';
  return `a qualified certificate for ${kind}, ${f.qscd ? 'its key on a QSCD' : 'its key not on a QSCD'}`;
}

/** The signer certificate's qualification at `at` (the signature's proof of existence); `now` judges freshness. */
export function judgeCertificate(
  c: CertificateTlFacts,
  candidates: readonly Candidate[],
  at: Date,
  now: Date,
): Qualification {
  const qcs = candidates.filter((x) => x.service.type === SVC_TYPE.caQc);
  const claim = c.qc?.qcCompliance ? 'the certificate claims QcCompliance, but ' : '';
  if (qcs.length === 0) return unlisted(`${claim}no CA/QC service of the trusted lists lists its issuer`, at);
  const ranked = qcs.map((x) => ({
    x,
    issued: statusAt(x.service, c.notBefore),
    atT: statusAt(x.service, at),
  }));
  const best =
    ranked.find((r) => r.issued.status === 'granted' && r.atT.status === 'granted') ??
    ranked.find((r) => r.issued.status === 'granted') ??
    ranked[0]!;
  const { x, issued, atT } = best;
  const base = { x, at, now, since: atT.period?.from ?? null, status: atT.period?.status ?? null };
  if (issued.status !== 'granted' || !issued.period)
    return result(base, 'not-qualified', `the CA/QC service was ${issued.status} when the certificate was issued`);
  if (atT.status !== 'granted' || !atT.period) {
    const when = atT.period ? ` since ${atT.period.from.toISOString()}` : '';
    return result(base, 'not-qualified', `the CA/QC service was ${atT.status}${when}, at ${at.toISOString()}`);
  }
  const f = refine(c, issued.period, atT.period);
  if (typeof f === 'string') return result(base, 'not-qualified', f);
  if (f.type === 'web')
    return result(base, 'not-qualified', 'a qualified certificate for website authentication signs nothing qualified');
  const level = LEVEL[f.type][f.qscd ? 0 : 1];
  return result(base, level, `${describe(f)}, issued under a CA/QC service granted at ${at.toISOString()}`);
}

/** A time-stamp: qualified when a TSA/QTST service lists its TSA (or the issuer) as granted at genTime. */
export function judgeTimestamp(
  candidates: readonly Candidate[],
  genTime: Date,
  now: Date,
  qtstClaim: boolean,
): Qualification {
  const qtsts = candidates.filter((x) => x.service.type === SVC_TYPE.tsaQtst);
  const claim = qtstClaim ? ' (the token claims to be qualified: a claim, not proof)' : '';
  if (qtsts.length === 0)
    return { ...unlisted(`no TSA/QTST service of the trusted lists lists its TSA${claim}`, genTime), qtstClaim };
  const ranked = qtsts.map((x) => ({ x, s: statusAt(x.service, genTime) }));
  const { x, s } = ranked.find((r) => r.s.status === 'granted') ?? ranked[0]!;
  const base = { x, at: genTime, now, since: s.period?.from ?? null, status: s.period?.status ?? null };
  if (s.status !== 'granted') {
    const when = s.period ? ` since ${s.period.from.toISOString()}` : '';
    const why = `the TSA/QTST service was ${s.status}${when}, at genTime ${genTime.toISOString()}${claim}`;
    return { ...result(base, 'not-qualified', why), qtstClaim };
  }
  const why = `a qualified time-stamp: its TSA is under a TSA/QTST service granted at genTime ${genTime.toISOString()}`;
  return { ...result(base, 'QTST', why), qtstClaim };
}

function unlisted(reason: string, at: Date): Qualification {
  const statusAtTime = { time: at.toISOString(), status: null, since: null };
  return { level: 'not-qualified', reason, levelIfListTrusted: null, service: null, statusAtTime, list: null };
}

type Base = { x: Candidate; at: Date; now: Date; since: Date | null; status: string | null };

/** The level capped by the list's trust, with the service and list facts every result carries. */
function result(b: Base, level: QualificationLevel, why: string): Qualification {
  const { service: s, list: l } = b.x;
  const stale = l.nextUpdate !== null && l.nextUpdate.getTime() < b.now.getTime();
  const who = `${s.serviceName} (${s.territory}, ${s.tspName})`;
  const staleNote = stale ? `; the ${l.territory} list is past its next update (${l.nextUpdate!.toISOString()})` : '';
  const untrusted = l.signature !== 'valid';
  const reason = untrusted
    ? `the ${l.territory} list is not trusted (its signature is ${l.signature}): not qualified; ` +
      `as listed: ${level} — ${why}; ${who}${staleNote}`
    : `${why}; ${who}${staleNote}`;
  return {
    level: untrusted ? 'not-qualified' : level,
    reason,
    levelIfListTrusted: untrusted ? level : null,
    service: { territory: s.territory, tspName: s.tspName, serviceName: s.serviceName, type: s.type },
    statusAtTime: {
      time: b.at.toISOString(),
      status: b.status ? statusName(b.status) : null,
      since: b.since?.toISOString() ?? null,
    },
    list: {
      territory: l.territory,
      sequenceNumber: l.sequenceNumber,
      signature: l.signature,
      nextUpdate: l.nextUpdate?.toISOString() ?? null,
      stale,
    },
  };
}

/** Seed `qc.isEidasQualified`: a qualified certificate (any QC level) or a qualified time-stamp. */
export const isEidasQualified = (q: Qualification): boolean => q.level !== 'not-qualified';
