// Qualified status (core/tl/qualify.ts, ETSI TS 119 615): a signer certificate's QC statements refined by its CA/QC
// service's qualifiers at issuance and at T, and a time-stamp's TSA/QTST service at genTime — on hand-made services.
import { describe, expect, it } from 'vitest';
import type { QcStatements } from '../../../core/asn1/qc.js';
import {
  SVC_STATUS,
  SVC_TYPE,
  type LoadedList,
  type TlQualification,
  type TlService,
  type TlStatusPeriod,
} from '../../../core/tl/model.js';
import { isEidasQualified, judgeCertificate, judgeTimestamp, type Candidate } from '../../../core/tl/qualify.js';

const EXT = 'http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/';
const NOW = new Date('2026-06-01T00:00:00Z');
const T = new Date('2025-01-10T10:00:00Z');
const ISSUED = new Date('2024-01-01T00:00:00Z');

const period = (status: string, from: string, to: string | null, extra: Partial<TlStatusPeriod> = {}) => ({
  status,
  from: new Date(from),
  to: to ? new Date(to) : null,
  additionalInfo: [],
  qualifications: [],
  ...extra,
});
const qualification = (qualifiers: string[], policyOids: string[] = []): TlQualification => ({
  qualifiers: qualifiers.map((q) => `${EXT}${q}`),
  criteria: {
    assert: 'atLeastOne',
    policyOids,
    keyUsage: policyOids.length ? [] : [{ bit: 'nonRepudiation', value: true }],
  },
});
const list = (o: Partial<LoadedList> = {}): LoadedList => ({
  kind: 'tl',
  territory: 'EE',
  sequenceNumber: 77,
  issued: new Date('2026-05-01T00:00:00Z'),
  nextUpdate: new Date('2026-11-01T00:00:00Z'),
  pointers: [],
  pivots: [],
  ojUri: null,
  services: [],
  source: 'test',
  sha256: '00',
  fetchedAt: new Date('2026-05-02T00:00:00Z'),
  signature: 'valid',
  signedBy: 'CN=EE TL signer',
  reason: null,
  ...o,
});
const service = (type: string, history: TlStatusPeriod[]): TlService => ({
  territory: 'EE',
  tspName: 'SK ID Solutions AS',
  serviceName: type === SVC_TYPE.caQc ? 'EID-SK 2016' : 'SK TIMESTAMPING UNIT 2025E',
  type,
  certificates: [],
  history,
});
const qcOf = (o: Partial<QcStatements>): QcStatements => ({ qcCompliance: true, qscd: false, qcTypes: [], ...o });
const cert = (qc: QcStatements | null, policies: string[] = []) => ({
  qc,
  policies,
  keyUsage: ['nonRepudiation'],
  notBefore: ISSUED,
});
const granted = (extra: Partial<TlStatusPeriod> = {}) => [
  period(SVC_STATUS.granted, '2016-07-01T00:00:00Z', null, extra),
];
const caQc = (history: TlStatusPeriod[], l = list()): Candidate[] => [
  { service: service(SVC_TYPE.caQc, history), list: l },
];

describe('judgeCertificate', () => {
  it('QESeal: QcCompliance, QcType eSeal and the TL says QCWithQSCD', () => {
    const q = judgeCertificate(
      cert(qcOf({ qcTypes: ['eseal'] })),
      caQc(granted({ qualifications: [qualification(['QCWithQSCD'])] })),
      T,
      NOW,
    );
    expect(q.level).toBe('QESeal');
    expect(q.service).toMatchObject({ territory: 'EE', tspName: 'SK ID Solutions AS', type: SVC_TYPE.caQc });
    expect(q.statusAtTime).toEqual({ time: T.toISOString(), status: 'granted', since: '2016-07-01T00:00:00.000Z' });
    expect(q.list).toEqual({
      territory: 'EE',
      sequenceNumber: 77,
      signature: 'valid',
      nextUpdate: '2026-11-01T00:00:00.000Z',
      stale: false,
    });
    expect(isEidasQualified(q)).toBe(true);
  });

  it('QESig from the certificate alone (QSCD statement, eSign type), the service adding nothing', () => {
    const q = judgeCertificate(cert(qcOf({ qcTypes: ['esign'], qscd: true })), caQc(granted()), T, NOW);
    expect(q.level).toBe('QESig');
    expect(q.reason).toMatch(/electronic signatures, its key on a QSCD/);
  });

  it('AdESeal-QC when the certificate claims QSCD but the TL says QCNoQSCD', () => {
    const q = judgeCertificate(
      cert(qcOf({ qcTypes: ['eseal'], qscd: true })),
      caQc(granted({ qualifications: [qualification(['QCNoQSCD'])] })),
      T,
      NOW,
    );
    expect(q.level).toBe('AdESeal-QC');
    expect(isEidasQualified(q)).toBe(true);
  });

  it('qualifiers apply only when their criteria match the certificate (policy OID)', () => {
    const h = granted({ qualifications: [qualification(['QCWithQSCD'], ['1.2.3.4'])] });
    expect(judgeCertificate(cert(qcOf({ qcTypes: ['eseal'] }), ['1.2.3.4']), caQc(h), T, NOW).level).toBe('QESeal');
    expect(judgeCertificate(cert(qcOf({ qcTypes: ['eseal'] }), ['9.9']), caQc(h), T, NOW).level).toBe('AdESeal-QC');
  });

  it('not qualified on a contradiction: the certificate says eSeal, the TL says QCForESig', () => {
    const q = judgeCertificate(
      cert(qcOf({ qcTypes: ['eseal'], qscd: true })),
      caQc(granted({ qualifications: [qualification(['QCForESig', 'QCWithQSCD'])] })),
      T,
      NOW,
    );
    expect(q.level).toBe('not-qualified');
    expect(q.reason).toMatch(/QcType \(eseal\) contradicts the list's QCForESig/);
  });

  it('not qualified on contradictory QSCD qualifiers, on NotQualified, on a service for seals only', () => {
    const both = granted({ qualifications: [qualification(['QCWithQSCD', 'QCNoQSCD'])] });
    expect(judgeCertificate(cert(qcOf({ qcTypes: ['eseal'] })), caQc(both), T, NOW).reason).toMatch(/says both/);
    const nq = granted({ qualifications: [qualification(['NotQualified'])] });
    expect(judgeCertificate(cert(qcOf({ qcTypes: ['eseal'] })), caQc(nq), T, NOW).level).toBe('not-qualified');
    const seals = granted({ additionalInfo: [`${EXT}ForeSeals`] });
    const q = judgeCertificate(cert(qcOf({ qcTypes: ['esign'], qscd: true })), caQc(seals), T, NOW);
    expect(q).toMatchObject({ level: 'not-qualified', reason: expect.stringMatching(/listed for ForeSeals only/) });
  });

  it('withdrawn before T: not qualified; withdrawn after T: still qualified at T', () => {
    const history = (at: string) => [
      period(SVC_STATUS.granted, '2016-07-01T00:00:00Z', at),
      period(SVC_STATUS.withdrawn, at, null),
    ];
    const c = cert(qcOf({ qcTypes: ['eseal'], qscd: true }));
    const before = judgeCertificate(c, caQc(history('2025-01-01T00:00:00Z')), T, NOW);
    expect(before.level).toBe('not-qualified');
    expect(before.statusAtTime.status).toBe('withdrawn');
    expect(before.reason).toMatch(/withdrawn since 2025-01-01/);
    expect(judgeCertificate(c, caQc(history('2025-02-01T00:00:00Z')), T, NOW).level).toBe('QESeal');
  });

  it('no QcCompliance (and no QCStatement from the TL): not qualified; no service: says so', () => {
    expect(judgeCertificate(cert(null), caQc(granted()), T, NOW).reason).toMatch(/no QcCompliance/);
    const none = judgeCertificate(cert(qcOf({ qcTypes: ['eseal'] })), [], T, NOW);
    expect(none).toMatchObject({ level: 'not-qualified', service: null, list: null });
    expect(none.reason).toMatch(/claims QcCompliance, but no CA\/QC service/);
  });

  it('a list whose signature is invalid makes nothing qualified; a stale list is used and marked', () => {
    const c = cert(qcOf({ qcTypes: ['eseal'], qscd: true }));
    const bad = judgeCertificate(c, caQc(granted(), list({ signature: 'invalid' })), T, NOW);
    expect(bad).toMatchObject({ level: 'not-qualified', levelIfListTrusted: 'QESeal' });
    expect(bad.reason).toMatch(/EE list is not trusted \(its signature is invalid\)/);
    const stale = judgeCertificate(c, caQc(granted(), list({ nextUpdate: new Date('2026-01-01T00:00:00Z') })), T, NOW);
    expect(stale.level).toBe('QESeal');
    expect(stale.list?.stale).toBe(true);
    expect(stale.reason).toMatch(/past its next update/);
  });
});

describe('judgeTimestamp', () => {
  const qtst = (to: string | null): Candidate[] => [
    {
      service: service(SVC_TYPE.tsaQtst, [
        period(SVC_STATUS.granted, '2016-07-01T00:00:00Z', to),
        ...(to ? [period(SVC_STATUS.withdrawn, to, null)] : []),
      ]),
      list: list(),
    },
  ];

  it('qualified when the QTST service is granted at genTime, not after its withdrawal', () => {
    expect(judgeTimestamp(qtst('2025-06-01T00:00:00Z'), T, NOW, false).level).toBe('QTST');
    const late = judgeTimestamp(qtst('2025-06-01T00:00:00Z'), new Date('2025-07-01T00:00:00Z'), NOW, true);
    expect(late.level).toBe('not-qualified');
    expect(late.qtstClaim).toBe(true);
    expect(late.reason).toMatch(/withdrawn since 2025-06-01.*a claim, not proof/);
  });

  it('the token claim alone proves nothing; a CA/QC service does not qualify a TSA', () => {
    const onlyCa = caQc(granted());
    const q = judgeTimestamp(onlyCa, T, NOW, true);
    expect(q).toMatchObject({ level: 'not-qualified', qtstClaim: true, service: null });
  });
});
