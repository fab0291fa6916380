// One policy for a restamp whose validation data cannot be had (EU DSS's default): a sealed PDF and a .p7s whose
// signer names an OCSP responder and a CRL that no longer answer are refused (REVOCATION_UNAVAILABLE, the file
// byte-identical) — single or bulk, where the refused seal stays failed in the run and due — unless
// --allow-missing-validation-data (or the desktop's checkbox) lets them through, saying what is missing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../main/services/index.js';
import type { RestampItem } from '../../preload/api.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { startRevocationServer } from '../helpers/ocsp-responder.js';
import { openssl } from '../helpers/openssl.js';
import { qpdfObjects, signatureValues } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestCert, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';

const work = tempDir('restamp-validation-data');
const home = join(work.path, 'home');
let pki: TestPki;
let tsa: LoopbackTsa;
let soon: LoopbackTsa; // its certificate expires in 10 days: the seals it time-stamps are due in a 30-day window
let signer: TestCert; // its AIA and CRL distribution point name a responder that has stopped
let sealdesk: ReturnType<typeof cliRunner>;
const seals: { pdf: { id: string; path: string }; p7s: { id: string; path: string } } = {
  pdf: { id: '', path: '' },
  p7s: { id: '', path: '' },
};

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  const gone = await startRevocationServer(pki);
  signer = gone.signer;
  await gone.close();
  tsa = await startTsa({ pki });
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
  sealdesk = cliRunner({ SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '2000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loop TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'Soon TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0); // it only makes the seals' first time-stamps
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
  const key = ['--key', signer.keyPath, '--chain', signer.chainPath];
  const pdf = await sealdesk(
    'seal',
    writeMinimalPdf(join(work.path, 'lease.pdf')),
    ...key,
    '--level',
    'B-T',
    '--tsa',
    'soon',
    '--json',
  );
  expect(pdf.code, pdf.stderr).toBe(0);
  seals.pdf = { id: pdf.json().operationId, path: pdf.json().outputPath };
  const csv = join(work.path, 'ledger.csv');
  writeFileSync(csv, `year,total\n2026,${Math.random()}\n`);
  const p7s = await sealdesk('seal', csv, ...key, '--tsa', 'soon', '--json'); // B-T: a signature time-stamp, no revocation data yet
  expect(p7s.code, p7s.stderr).toBe(0);
  seals.p7s = { id: p7s.json().operationId, path: p7s.json().p7sPath };
}, 60_000);
afterAll(async () => {
  await tsa.close();
  await soon.close();
  work.remove();
});

const docTimestamps = async (pdf: string) =>
  signatureValues(await qpdfObjects(pdf)).filter((v) => v.type === '/DocTimeStamp').length;
const archiveTimestamps = async (p7s: string) =>
  (
    (await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s])).stdout.match(/0\.4\.0\.1733\.2\.4/g) ??
    []
  ).length;
// The stopped responder is on loopback: every restamp here passes --allow-private-network, so it is asked (and fails).
const missingSigner = expect.stringMatching(
  /^no revocation data for "CN=Sealdesk Test Seal OCSP, O=Sealdesk Tests, C=NO": http:\/\/127\.0\.0\.1:\d+\/ocsp: .*; http:\/\/127\.0\.0\.1:\d+\/crl: /,
);

it('by default a sealed PDF and a .p7s are refused: REVOCATION_UNAVAILABLE naming the certificate and what was tried, nothing written', async () => {
  const before = { tsa: tsa.requestCount() };
  for (const kind of ['pdf', 'p7s'] as const) {
    const { id, path } = seals[kind];
    const bytes = readFileSync(path);
    const r = await sealdesk('restamp', '--allow-private-network', id, '--json');
    expect(r.code, kind).toBe(2);
    expect(r.json(), kind).toMatchObject({ id, code: 'REVOCATION_UNAVAILABLE' });
    expect(r.json().message, kind).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: revocation data missing — no revocation data for "CN=Sealdesk Test Seal OCSP.*/ocsp: .*/crl: .*nothing restamped`,
      ),
    );
    expect(readFileSync(path).equals(bytes), kind).toBe(true);
    const text = await sealdesk('restamp', '--allow-private-network', id);
    expect(text.stderr, kind).toMatch(
      new RegExp(`^sealdesk: ${id}: .*revocation data missing — no revocation data for "CN=Sealdesk Test Seal OCSP`),
    );
    expect(readFileSync(path).equals(bytes), kind).toBe(true);
  }
  expect(tsa.requestCount()).toBe(before.tsa); // refused before any TSA was asked
  expect(await docTimestamps(seals.pdf.path)).toBe(0);
  expect(await archiveTimestamps(seals.p7s.path)).toBe(0);
});

it('bulk: each refused seal is failed in the run (with why) and still due; the next run with the flag restamps both', async () => {
  const bytes = { pdf: readFileSync(seals.pdf.path), p7s: readFileSync(seals.p7s.path) };
  const run = await sealdesk('restamp', '--allow-private-network', '--expiring-within', '30d', '--json');
  expect(run.code).toBe(1);
  expect(run.json().seals).toMatchObject({ selected: 2, restamped: 0, failed: 2 });
  for (const r of run.json().seals.results)
    expect(r.error).toMatch(
      /revocation data missing — no revocation data for "CN=Sealdesk Test Seal OCSP.*nothing restamped/,
    );
  expect(readFileSync(seals.pdf.path).equals(bytes.pdf)).toBe(true);
  expect(readFileSync(seals.p7s.path).equals(bytes.p7s)).toBe(true);
  const due = (
    await sealdesk('restamp', '--allow-private-network', '--expiring-within', '30d', '--dry-run', '--json')
  ).json();
  expect([...due.seals.ids].sort()).toEqual([seals.pdf.id, seals.p7s.id].sort());
  const text = await sealdesk('restamp', '--allow-private-network', '--expiring-within', '30d');
  expect(text.code).toBe(1);
  expect(text.stderr).toContain(`sealdesk: ${seals.pdf.id}: ${seals.pdf.path}: revocation data missing`);
  expect(text.stdout).toMatch(
    /0 of 2 sealed file\(s\) have a new archive time-stamp; 2 failed — run the same command again to retry them/,
  );

  const allowed = await sealdesk(
    'restamp',
    '--allow-private-network',
    '--expiring-within',
    '30d',
    '--allow-missing-validation-data',
    '--json',
  );
  expect(allowed.code, allowed.stdout).toBe(0);
  expect(allowed.json()).toMatchObject({ seals: { selected: 2, restamped: 2, failed: 0 } }); // selected again: still due
  for (const r of allowed.json().seals.results)
    expect(r).toMatchObject({ error: null, missingValidationData: [missingSigner] });
  expect(await docTimestamps(seals.pdf.path)).toBe(1);
  expect(await archiveTimestamps(seals.p7s.path)).toBe(1);
});

it('single restamp with --allow-missing-validation-data: both proceed and report what is missing (JSON field, warning line)', async () => {
  for (const kind of ['pdf', 'p7s'] as const) {
    const { id, path } = seals[kind];
    const r = await sealdesk('restamp', '--allow-private-network', id, '--allow-missing-validation-data', '--json');
    expect(r.code, r.stdout).toBe(0);
    expect(r.json()).toEqual({
      id,
      format: kind === 'pdf' ? 'pades' : 'cades',
      tsaName: 'Loop TSA',
      outputPath: path,
      level: 'B-LTA',
      missingValidationData: [missingSigner],
    });
    const text = await sealdesk('restamp', '--allow-private-network', id, '--allow-missing-validation-data');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      `${id}: ${path} restamped (${kind === 'pdf' ? 'document' : 'archive'} time-stamp by Loop TSA, validation data refreshed)\n`,
    );
    expect(text.stderr).toMatch(
      new RegExp(
        `^sealdesk: warning: ${id}: restamped without all validation data \\(--allow-missing-validation-data\\): no revocation data for "CN=Sealdesk Test Seal OCSP`,
      ),
    );
  }
  expect(await docTimestamps(seals.pdf.path)).toBe(3);
  expect(await archiveTimestamps(seals.p7s.path)).toBe(3);
  // What it was restamped without shows in the chain as a trust question for that TSA's certificate, not a break.
  expect((await sealdesk('chain', seals.p7s.id, '--json')).json()).toMatchObject({ intact: true });
});

it('desktop: jobs:restamp refuses such a seal unless allowMissingValidationData, then reports what is missing', async () => {
  const services = createServices({ dataDir: home, version: 'test', tsaTimeoutMs: 2000 });
  const until = async (id: string) => {
    for (;;) {
      const s = await services['jobs:status']({ id });
      if (s.state !== 'running') return s;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const bytes = readFileSync(seals.pdf.path);
  const refused = await until((await services['jobs:restamp']({ ids: [seals.pdf.id] })).id);
  expect(refused.failed).toBe(1);
  expect((refused.results as RestampItem[])[0]).toMatchObject({
    kind: 'pdf',
    newId: null,
    error: {
      message: expect.stringMatching(/revocation data missing — no revocation data for "CN=Sealdesk Test Seal OCSP/),
    },
  });
  expect(readFileSync(seals.pdf.path).equals(bytes)).toBe(true);
  const allowed = await until(
    (await services['jobs:restamp']({ ids: [seals.pdf.id], allowMissingValidationData: true })).id,
  );
  expect(allowed).toMatchObject({ state: 'done', failed: 0 });
  expect((allowed.results as RestampItem[])[0]).toMatchObject({
    kind: 'pdf',
    newId: seals.pdf.id,
    missingValidationData: [missingSigner],
  });
  expect(await docTimestamps(seals.pdf.path)).toBe(4);
});
