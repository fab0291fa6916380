// Reading trusted lists into core/tl/model.ts (core/tl/parse.ts): synthetic LOTL and national lists built by
// test/helpers/tl-builder.ts (pointers, pivots, status history as periods, qualifiers), caps, malformed lists, and the
// real EU LOTL 332 and Estonian list 62 from test/fixtures/real-world/trusted-lists (see its MANIFEST.tsv).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { SVC_STATUS, SVC_TYPE } from '../../../core/tl/model.js';
import { parseTrustedList } from '../../../core/tl/parse.js';
import { parseXml } from '../../../core/tl/xml.js';
import {
  QUALIFIER,
  SVC_INFO_EXT,
  TSL_MIME,
  buildLotl,
  buildTl,
  type ServiceDesc,
  type StatusDesc,
} from '../../helpers/tl-builder.js';

const REAL = 'test/fixtures/real-world/trusted-lists/';
const parse = (xml: string | Buffer) => parseTrustedList(parseXml(typeof xml === 'string' ? Buffer.from(xml) : xml));
const D = (iso: string) => new Date(iso.includes('T') ? iso : `${iso}T00:00:00Z`);
const CERT_A = new Uint8Array([0x30, 0x03, 0x01, 0x01, 0xff]);
const CERT_B = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x07]);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError);
    return (err as CoreError).code;
  }
  throw new Error('expected a CoreError');
}

describe('parseTrustedList (synthetic lists)', () => {
  it('reads a LOTL: scheme fields, pointers with their certificates, pivots newest first, the OJ URI', () => {
    const oj = 'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=uriserv:OJ.C_.2019.276.01.0001.01.ENG';
    const lotl = parse(
      buildLotl({
        sequence: 42,
        issued: '2025-03-01T10:00:00Z',
        nextUpdate: '2025-09-01',
        ojUri: oj,
        pivots: ['https://lotl.test/eu-lotl-pivot-40.xml', 'https://lotl.test/eu-lotl-pivot-31.xml'],
        schemeUris: ['https://lotl.test/tl.html'],
        pointers: [
          { territory: 'EE', location: 'https://ee.test/tsl.xml', certificates: [CERT_A, CERT_B] },
          { territory: 'EE', location: 'https://ee.test/tsl.pdf', mimeType: 'application/pdf', certificates: [] },
          { territory: 'EU', location: 'https://lotl.test/eu-lotl.xml', certificates: [CERT_B] },
        ],
      }),
    );
    expect(lotl).toMatchObject({ kind: 'lotl', territory: 'EU', sequenceNumber: 42, ojUri: oj, services: [] });
    expect(lotl.issued).toEqual(D('2025-03-01T10:00:00Z'));
    expect(lotl.nextUpdate).toEqual(D('2025-09-01'));
    expect(lotl.pivots).toEqual(['https://lotl.test/eu-lotl-pivot-40.xml', 'https://lotl.test/eu-lotl-pivot-31.xml']);
    expect(lotl.pointers.map((p) => [p.territory, p.location, p.mimeType, p.signingCertificates.length])).toEqual([
      ['EE', 'https://ee.test/tsl.xml', TSL_MIME, 2],
      ['EE', 'https://ee.test/tsl.pdf', 'application/pdf', 0],
      ['EU', 'https://lotl.test/eu-lotl.xml', TSL_MIME, 1],
    ]);
    expect(lotl.pointers[0]!.signingCertificates).toEqual([CERT_A, CERT_B]);
  });

  it('reads a national list: each service status history as periods, oldest first, with its extensions', () => {
    const statuses: StatusDesc[] = [
      { status: 'granted', from: '2016-07-01', additionalInfo: [SVC_INFO_EXT('ForeSignatures')] },
      { status: 'withdrawn', from: '2019-01-01' },
      {
        status: 'granted',
        from: '2020-05-01T12:00:00Z',
        additionalInfo: [SVC_INFO_EXT('ForeSeals'), SVC_INFO_EXT('ForeSignatures')],
        qualifications: [
          {
            qualifiers: [QUALIFIER('QCWithQSCD'), QUALIFIER('QCForESeal')],
            assert: 'atLeastOne',
            policyOids: ['0.4.0.194112.1.3', '1.3.6.1.4.1.10015.7.3'],
            keyUsage: [{ bit: 'nonRepudiation', value: true }],
          },
          { qualifiers: [QUALIFIER('NotQualified')], assert: 'all', keyUsage: [{ bit: 'keyAgreement', value: false }] },
        ],
        extensionsXml: '<Extension Critical="false"><x:Unknown xmlns:x="urn:unknown">ignored</x:Unknown></Extension>',
      },
    ];
    const tl = parse(
      buildTl({
        territory: 'EE',
        sequence: 62,
        nextUpdate: null,
        services: [
          { tspName: 'SK ID', serviceName: 'EID-SK', type: 'caQc', certificates: [CERT_A], statuses },
          { tspName: 'SK ID', serviceName: 'SK TSA', type: 'tsaQtst', certificates: [CERT_B] },
        ],
      }),
    );
    expect(tl).toMatchObject({ kind: 'tl', territory: 'EE', sequenceNumber: 62, nextUpdate: null, pivots: [] });
    const [ca, tsa] = tl.services;
    expect(ca).toMatchObject({ territory: 'EE', tspName: 'SK ID', serviceName: 'EID-SK', type: SVC_TYPE.caQc });
    expect(ca!.certificates).toEqual([CERT_A]);
    expect(ca!.history.map((h) => [h.status, h.from, h.to])).toEqual([
      [SVC_STATUS.granted, D('2016-07-01'), D('2019-01-01')],
      [SVC_STATUS.withdrawn, D('2019-01-01'), D('2020-05-01T12:00:00Z')],
      [SVC_STATUS.granted, D('2020-05-01T12:00:00Z'), null],
    ]);
    expect(ca!.history[0]!.additionalInfo).toEqual([SVC_INFO_EXT('ForeSignatures')]);
    expect(ca!.history[0]!.qualifications).toEqual([]);
    expect(ca!.history[2]!.additionalInfo).toEqual([SVC_INFO_EXT('ForeSeals'), SVC_INFO_EXT('ForeSignatures')]);
    expect(ca!.history[2]!.qualifications).toEqual([
      {
        qualifiers: [QUALIFIER('QCWithQSCD'), QUALIFIER('QCForESeal')],
        criteria: {
          assert: 'atLeastOne',
          policyOids: ['0.4.0.194112.1.3', '1.3.6.1.4.1.10015.7.3'],
          keyUsage: [{ bit: 'nonRepudiation', value: true }],
        },
      },
      {
        qualifiers: [QUALIFIER('NotQualified')],
        criteria: { assert: 'all', policyOids: [], keyUsage: [{ bit: 'keyAgreement', value: false }] },
      },
    ]);
    expect(tsa).toMatchObject({ type: SVC_TYPE.tsaQtst, serviceName: 'SK TSA' });
    expect(tsa!.history).toEqual([
      { status: SVC_STATUS.granted, from: D('2020-01-01'), to: null, additionalInfo: [], qualifications: [] },
    ]);
  });

  it('is tolerant of missing names and skips a service whose current status has no readable start', () => {
    const xml = buildTl({ territory: 'LV', services: [{ serviceName: 'kept' }, { serviceName: 'dropped' }] })
      .replace('<TSPName><Name xml:lang="en">Test TSP</Name></TSPName>', '')
      .replace(/(dropped[\s\S]*?<StatusStartingTime>)[^<]*/, '$1not a date');
    const tl = parse(xml);
    expect(tl.services.map((s) => [s.tspName, s.serviceName])).toEqual([['', 'kept']]);
  });

  it('refuses what is not a list, an unreadable sequence number or issue date', () => {
    expect(codeOf(() => parse('<TrustServiceStatusList/>'))).toBe('TL_MALFORMED');
    const ok = buildTl({ territory: 'LT' });
    expect(codeOf(() => parse(ok.replace(/<TSLSequenceNumber>1/, '<TSLSequenceNumber>x1')))).toBe('TL_MALFORMED');
    expect(() => parse(ok.replace(/<ListIssueDateTime>[^<]*/, '<ListIssueDateTime>soon'))).toThrow(
      /ListIssueDateTime "soon" is not a date/,
    );
  });

  it('stops with RESOURCE_LIMIT at the caps on services, history entries, certificates per identity, pointers', () => {
    const tl = (services: ServiceDesc[]) => parseXml(Buffer.from(buildTl({ territory: 'LT', services })));
    const many = (n: number) => Array.from({ length: n }, () => ({}));
    expect(parseTrustedList(tl(many(3)), { maxServices: 3 }).services).toHaveLength(3);
    expect(codeOf(() => parseTrustedList(tl(many(4)), { maxServices: 3 }))).toBe('RESOURCE_LIMIT');
    const history = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ status: 'granted', from: new Date(Date.UTC(2000, 0, 1 + i)) }));
    expect(parseTrustedList(tl([{ statuses: history(4) }]), { maxHistory: 3 }).services[0]!.history).toHaveLength(4);
    expect(codeOf(() => parseTrustedList(tl([{ statuses: history(5) }]), { maxHistory: 3 }))).toBe('RESOURCE_LIMIT');
    expect(codeOf(() => parse(buildTl({ territory: 'LT', services: [{ statuses: history(502) }] })))).toBe(
      'RESOURCE_LIMIT',
    );
    const certs = (n: number) => Array.from({ length: n }, () => CERT_A);
    expect(codeOf(() => parse(buildTl({ territory: 'LT', services: [{ certificates: certs(33) }] })))).toBe(
      'RESOURCE_LIMIT',
    );
    const pointers = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ territory: 'X', location: `u${i}`, certificates: [] }));
    const lotl = (n: number) => parseXml(Buffer.from(buildLotl({ pointers: pointers(n) })));
    expect(parseTrustedList(lotl(2), { maxPointers: 2 }).pointers).toHaveLength(2);
    expect(() => parseTrustedList(lotl(3), { maxPointers: 2 })).toThrow(/3 pointers \(at most 2\)/);
    expect(codeOf(() => parseTrustedList(lotl(3), { maxPointers: 2 }))).toBe('RESOURCE_LIMIT');
  });
});

describe('parseTrustedList (real lists)', () => {
  it('reads the EU LOTL 332: 43 pointers, pivots 300 and 282, the OJ C 276/2019 URI', () => {
    const lotl = parse(readFileSync(`${REAL}eu-lotl-332.xml`));
    expect(lotl).toMatchObject({ kind: 'lotl', territory: 'EU', sequenceNumber: 332, services: [] });
    expect(lotl.issued).toEqual(D('2023-09-27T09:00:29Z'));
    expect(lotl.nextUpdate).toEqual(D('2024-03-26T10:00:29Z'));
    expect(lotl.pivots).toEqual([
      'https://ec.europa.eu/tools/lotl/eu-lotl-pivot-300.xml',
      'https://ec.europa.eu/tools/lotl/eu-lotl-pivot-282.xml',
    ]);
    expect(lotl.ojUri).toBe(
      'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=uriserv:OJ.C_.2019.276.01.0001.01.ENG',
    );
    expect(lotl.pointers).toHaveLength(43);
    const ee = lotl.pointers.filter((p) => p.territory === 'EE' && p.mimeType === TSL_MIME);
    expect(ee.map((p) => p.location)).toEqual(['https://sr.riik.ee/tsl/estonian-tsl.xml']);
    expect(ee[0]!.signingCertificates.length).toBeGreaterThan(0);
    expect(ee[0]!.signingCertificates.every((c) => c[0] === 0x30)).toBe(true);
  });

  it('reads the Estonian list 62: SK ID Solutions QTST service history and the ESTEID-SK qualifiers', () => {
    const ee = parse(readFileSync(`${REAL}tl-EE-62.xml`));
    expect(ee).toMatchObject({ kind: 'tl', territory: 'EE', sequenceNumber: 62 });
    expect(ee.services).toHaveLength(54);
    const tsa = ee.services.find(
      (s) => s.serviceName === 'SK Time-Stamping Authority for qualified electronic time stamps',
    );
    expect(tsa).toMatchObject({ tspName: 'SK ID Solutions AS', type: SVC_TYPE.tsaQtst });
    expect(tsa!.history.map((h) => [h.status.replace(/.*\//, ''), h.from.toISOString()])).toEqual([
      ['undersupervision', '2014-09-16T08:40:38.000Z'],
      ['withdrawn', '2016-06-30T22:00:00.000Z'],
      ['granted', '2016-06-30T22:01:00.000Z'],
      ['withdrawn', '2020-09-28T22:01:00.000Z'],
    ]);
    expect(tsa!.history.at(-1)!.to).toBeNull();
    expect(tsa!.history[2]!.to).toEqual(D('2020-09-28T22:01:00Z'));
    const esteid = ee.services.find((s) => s.serviceName === 'ESTEID-SK')!;
    expect(esteid.history[1]!.additionalInfo).toEqual([SVC_INFO_EXT('ForeSignatures')]);
    expect(esteid.history[1]!.qualifications[0]).toEqual({
      qualifiers: [QUALIFIER('QCWithQSCD')],
      criteria: {
        assert: 'atLeastOne',
        policyOids: [],
        keyUsage: [
          { bit: 'digitalSignature', value: true },
          { bit: 'nonRepudiation', value: true },
        ],
      },
    });
  });
});
