// The real EU trusted lists (test/fixtures/real-world/trusted-lists, see its MANIFEST.tsv), imported offline and
// verified against the real OJ C 276/2019 LOTL signing certificates bundled in core/tl/oj-anchors.ts. LOTL 332
// (2023-09-27) is signed by a certificate that no OJ publication names: it verifies only through its pivots
// (282 is signed by an OJ certificate and announces the next key, 300 by that key, announcing the one that signed
// 332). Every national list's signing certificate matches its LOTL 332 pointer. All lists are stale today: their
// next updates fell in December 2023 - April 2024, which `tl status` reports without changing the signature verdict.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { OJ_ANCHORS_PEM } from '../../core/tl/oj-anchors.js';
import { loadSnapshot } from '../../core/tl/store.js';
import { SVC_TYPE } from '../../core/tl/model.js';
import { cliRunner } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'real-world', 'trusted-lists');
const LOTL = ['eu-lotl-332.xml', 'eu-lotl-pivot-300.xml', 'eu-lotl-pivot-282.xml'].map((f) => join(DIR, f));
const NATIONAL = { BE: 66, BG: 45, CZ: 141, EE: 62, NL: 65, PL: 139, SK: 110 } as const;
const tmp = tempDir('tl-real');
afterAll(() => tmp.remove());

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

type Row = { territory: string; sequenceNumber: number; signature: string; signedBy: string | null } & Record<
  string,
  unknown
>;

describe('the real EU trusted lists, offline', () => {
  it('the bundled anchors are the OJ C 276/2019 certificates of the manifest', () => {
    const bundled = OJ_ANCHORS_PEM.flatMap(parsePemCertificates).map(sha256);
    const files = [1, 2, 3, 4, 5, 6, 7, 8].map((i) =>
      parsePemCertificates(readFileSync(join(DIR, 'oj-2019', `ec.europa.eu.${i}.cer`), 'utf8')).map(sha256),
    );
    expect(bundled).toEqual(files.flat());
    const manifest = readFileSync(join(DIR, 'MANIFEST.tsv'), 'utf8');
    for (const line of manifest.trim().split('\n').slice(1)) {
      const cols = line.split('\t');
      expect(sha256(readFileSync(join(DIR, cols[0]!))), cols[0]).toBe(cols[8]);
    }
  });

  it('LOTL 332 needs its pivots: alone it is unverified, naming the missing pivot', async () => {
    const sealdesk = cliRunner({ SEALDESK_HOME: join(tmp.path, 'alone') });
    expect((await sealdesk('tl', 'import', LOTL[0]!)).code).toBe(1);
    const [eu] = (await sealdesk('tl', 'status', '--json')).json() as Row[];
    expect(eu).toMatchObject({ territory: 'EU', sequenceNumber: 332, signature: 'unverified', anchorCount: 8 });
    expect(eu!.reason).toContain('eu-lotl-pivot-282.xml is not available');
  });

  it('LOTL via pivots 282 and 300 and seven national lists all verify; loadSnapshot reads them', async () => {
    const home = join(tmp.path, 'all');
    const sealdesk = cliRunner({ SEALDESK_HOME: home });
    const files = Object.entries(NATIONAL).map(([t, n]) => join(DIR, `tl-${t}-${n}.xml`));
    const imported = await sealdesk('tl', 'import', ...LOTL, ...files);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const rows = (await sealdesk('tl', 'status', '--json')).json() as Row[];
    expect(rows.map((r) => [r.territory, r.sequenceNumber])).toEqual([['EU', 332], ...Object.entries(NATIONAL)]);
    for (const r of rows) expect(r, r.territory).toMatchObject({ signature: 'valid', reason: null, stale: true });
    expect(rows[0]).toMatchObject({ anchorCount: 8, nextUpdate: '2024-03-26T10:00:29.000Z' });
    expect(rows[0]!.signedBy).toContain('CN=European Commission');
    expect(rows.find((r) => r.territory === 'EE')!.signedBy).toContain('Estonian Trusted List Scheme Operator');

    const snap = await loadSnapshot(home, new Date('2023-11-01T00:00:00Z'));
    expect(snap!.anchorCount).toBe(8);
    expect(snap!.lists.map((l) => [l.territory, l.signature])).toEqual(rows.map((r) => [r.territory, 'valid']));
    const ee = snap!.lists.find((l) => l.territory === 'EE')!;
    const qtst = ee.services.filter((s) => s.type === SVC_TYPE.tsaQtst && /SK ID Solutions/i.test(s.tspName));
    expect(qtst.length).toBeGreaterThan(0);
    expect(qtst[0]!.certificates[0]).toBeInstanceOf(Uint8Array);
    expect(qtst[0]!.history.at(-1)!.from).toBeInstanceOf(Date);
  }, 120_000);
});
