// Real qualified files of the shared corpus judged against the real EU trusted lists (T1b's snapshot: LOTL 332 and
// the BE, BG, CZ, EE, NL, PL, SK lists of autumn 2023, imported offline): each time-stamp token's TSA at its genTime,
// and PDF signatures through `verify --at` (a fixed validation time). A TSA or CA whose country's list is not in the
// snapshot (DE: D-TRUST, TeleSec) is "not qualified" with the reason that no service lists it. Skipped with a
// message when ../shared/corpus is absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlContext, qualifyTimestamp, type TlContext } from '../../core/tl/assess.js';
import { loadSnapshot } from '../../core/tl/store.js';
import { decodeTimeStamp } from '../../core/tsp/decode.js';
import { inspectTimeStamp } from '../../core/tsp/token-report.js';
import { cliRunner } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const CORPUS = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus');
const LISTS = join(import.meta.dirname, '..', 'fixtures', 'real-world', 'trusted-lists');
const FILES = ['eu-lotl-332.xml', 'eu-lotl-pivot-300.xml', 'eu-lotl-pivot-282.xml'].concat(
  ['BE-66', 'BG-45', 'CZ-141', 'EE-62', 'NL-65', 'PL-139', 'SK-110'].map((t) => `tl-${t}.xml`),
);
/** The fixed validation time: while the lists were current (LOTL 332 issued 2023-09-27). */
const AT = '2023-10-15T12:00:00Z';
const present = existsSync(CORPUS);
if (!present) console.warn(`tl-qualified-real: ${CORPUS} is absent, the real corpus checks are skipped`);

const tmp = tempDir('tl-qualified-real');
const home = join(tmp.path, 'home');
let tl: TlContext;
beforeAll(async () => {
  if (!present) return;
  const imported = await cliRunner({ SEALDESK_HOME: home })('tl', 'import', ...FILES.map((f) => join(LISTS, f)));
  expect(imported.code, imported.stderr).toBe(0);
  tl = tlContext((await loadSnapshot(home, new Date(AT)))!, { now: new Date(AT) });
}, 120_000);
afterAll(() => tmp.remove());

async function tokenLevel(name: string) {
  const der = new Uint8Array(readFileSync(join(CORPUS, 'tsr', name)));
  const r = await inspectTimeStamp(der);
  const eContent = decodeTimeStamp(der).token?.eContent ?? null;
  return qualifyTimestamp(tl, r.signerDer!, r.certificates, new Date(r.genTime!), eContent);
}

describe.skipIf(!present)('real corpus files against the real EU trusted lists', () => {
  it.each([
    ['dss_disig-atsu1.tst', 'SK', /Disig/],
    ['dss_eurocert-qtsa_two-refs.tst', 'PL', /EuroCert/i],
    ['extracted_quovadis-eu_doctst.tst', 'NL', /QuoVadis/],
  ])('%s: a qualified time-stamp (%s) at its genTime', async (name, territory, tsp) => {
    const q = await tokenLevel(name);
    expect(q.level, q.reason).toBe('QTST');
    expect(q.service?.territory).toBe(territory);
    expect(q.service?.tspName).toMatch(tsp);
    expect(q.list).toMatchObject({ territory, signature: 'valid' });
    expect(q.statusAtTime.status).toBe('granted');
  });

  it('D-TRUST (DE) is not in the snapshot: not qualified, because no TSA/QTST service lists it', async () => {
    const q = await tokenLevel('dss_d-trust-tsu12_pss.tst');
    expect(q).toMatchObject({ level: 'not-qualified', service: null });
    expect(q.reason).toMatch(/no TSA\/QTST service/);
  });

  it('PDFs through verify --at: the Czech PostSignum signature is AdESig-QC (CZ), TeleSec (DE) is not listed', async () => {
    const sealdesk = cliRunner({ SEALDESK_HOME: home });
    const verify = async (f: string) =>
      (await sealdesk('verify', join(CORPUS, 'pdf', 'signed', f), '--at', AT, '--json')).json();
    const cz = (await verify('pdfjs_issue16553_cz-qualified.pdf')).pades.certificate;
    expect(cz.qualification).toMatchObject({
      level: 'AdESig-QC',
      service: { territory: 'CZ', tspName: 'The Czech Post, s.p.' },
      statusAtTime: { time: new Date(AT).toISOString(), status: 'granted' },
      // freshness is judged at the real now, not at --at: the list is past its next update (April 2024) today
      list: { territory: 'CZ', sequenceNumber: 141, signature: 'valid', stale: true },
    });
    expect(cz.qc).toEqual({ isEidasQualified: true });
    const de = (await verify('dss_telesec-plain-ecdsa.pdf')).pades.certificate;
    expect(de.qualification).toMatchObject({ level: 'not-qualified', service: null });
    expect(de.qc).toEqual({ isEidasQualified: false });
  });
});
