// Bulk restamping covers sealed files too: a sealed PDF and a .p7s whose time-stamps come from a TSA certificate that
// expires in days are selected (dry-run counts them), each gets exactly one new archive time-stamp, and a run killed
// between a file's replacement and the ledger's update is adopted by the next run — never restamped twice.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { openssl } from '../helpers/openssl.js';
import { createNssDb, pdfsigVerify, qpdfObjects, signatureValues } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('restamp-seals');
let pki: TestPki;
let soon: LoopbackTsa;
let good: LoopbackTsa;
let nss: string;
let sealdesk: ReturnType<typeof cliRunner>;
const home = join(work.path, 'home');

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
  good = await startTsa({ pki });
  nss = await createNssDb(pki.root.certPath);
  sealdesk = cliRunner({ SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '2000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'Expiring TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'good', good.url, '--name', 'Good TSA')).code).toBe(0);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
});
afterAll(async () => {
  await soon.close();
  await good.close();
  work.remove();
});

const key = () => ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath];
const docTimestamps = async (pdf: string) =>
  signatureValues(await qpdfObjects(pdf)).filter((v) => v.type === '/DocTimeStamp').length;
const archiveTimestamps = async (p7s: string) =>
  (
    (await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7s])).stdout.match(/0\.4\.0\.1733\.2\.4/g) ??
    []
  ).length;

it('selects the seals whose time-stamp expires soon, gives each exactly one new archive time-stamp, then none are due', async () => {
  const pdf = (
    await sealdesk(
      'seal',
      writeMinimalPdf(join(work.path, 'lease.pdf')),
      ...key(),
      '--level',
      'B-T',
      '--tsa',
      'soon',
      '--json',
    )
  ).json();
  const csv = join(work.path, 'ledger.csv');
  writeFileSync(csv, 'year,total\n2026,42\n');
  const p7s = (await sealdesk('seal', csv, ...key(), '--tsa', 'soon', '--json')).json();
  const safe = (
    await sealdesk(
      'seal',
      writeMinimalPdf(join(work.path, 'safe.pdf')),
      ...key(),
      '--level',
      'B-T',
      '--tsa',
      'good',
      '--json',
    )
  ).json();
  expect([pdf.operationId, p7s.operationId, safe.operationId].every(Boolean)).toBe(true);

  const dry = await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json');
  expect(dry.code, dry.stderr).toBe(0);
  expect(dry.json().seals).toMatchObject({ selected: 2, byTsa: { 'Expiring TSA': 2 } });
  expect([...dry.json().seals.ids].sort()).toEqual([pdf.operationId, p7s.operationId].sort());
  expect(Object.values(dry.json().seals.byMonth as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(2);

  const run = await sealdesk('restamp', '--expiring-within', '30d', '--tsa', 'good', '--json');
  expect(run.code, run.stdout).toBe(0);
  expect(run.json().seals).toMatchObject({ selected: 2, restamped: 2, failed: 0 });
  expect(await docTimestamps(pdf.outputPath)).toBe(1);
  expect(await archiveTimestamps(p7s.p7sPath)).toBe(1);
  expect(await docTimestamps(safe.outputPath)).toBe(0);
  expect((await pdfsigVerify(pdf.outputPath, nss))[0]).toMatchObject({
    signatureValid: true,
    certificateTrusted: true,
  });
  expect(
    (
      await openssl([
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        p7s.p7sPath,
        '-content',
        csv,
        '-CAfile',
        pki.caFile,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ])
    ).code,
  ).toBe(0);
  for (const id of [pdf.operationId, p7s.operationId])
    expect((await sealdesk('chain', id, '--json')).json()).toMatchObject({ intact: true });
  const cades = (await sealdesk('operations', '--json'))
    .json()
    .items.find((o: { id: string }) => o.id === p7s.operationId);
  expect(cades.files.map((f: { level: string; path: string }) => [f.level, f.path])).toEqual([
    ['B-T', p7s.p7sPath],
    ['B-LTA', p7s.p7sPath],
  ]);
  const shown = await sealdesk('verify', csv, '--p7s', p7s.p7sPath, '--trust', pki.caFile);
  expect(shown.code, shown.stdout).toBe(0);
  expect(shown.stdout).toMatch(
    /^ {2}Archive {2}1: \S+ by CN=Sealdesk Test TSA, O=Sealdesk Tests, C=NO — covers the signature, its data and every earlier time-stamp; TSA certificate chained, until 2040-01-01$/m,
  );

  const again = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
  expect(again.seals.selected).toBe(0); // protected now by the good TSA, until 2040
});

it('a run killed after replacing a file but before recording it: the next run adopts that file, the seal is not restamped twice', async () => {
  const pdf = (
    await sealdesk(
      'seal',
      writeMinimalPdf(join(work.path, 'deed.pdf')),
      ...key(),
      '--level',
      'B-T',
      '--tsa',
      'soon',
      '--json',
    )
  ).json();
  const ledger = join(home, 'ledger.sqlite');
  const backup = join(work.path, 'before-restamp.sqlite');
  expect((await sealdesk('ledger', 'backup', backup)).code).toBe(0);
  const runStart = new Date().toISOString();
  const r = await sealdesk('restamp', pdf.operationId, '--tsa', 'good', '--json');
  expect(r.code, r.stdout).toBe(0);
  const restamped = readFileSync(pdf.outputPath);
  const db = new Database(ledger);
  const written = db
    .prepare('SELECT sha256, size, at FROM operation_files WHERE operation_id = ? ORDER BY step DESC LIMIT 1')
    .get(pdf.operationId) as { sha256: string; size: number; at: string };
  db.close();
  // The state a kill between the rename and the ledger update leaves: an open run with this seal pending, its
  // write-ahead intent, the new file on disk, and a ledger that still names the old one.
  for (const f of [ledger, `${ledger}-wal`, `${ledger}-shm`]) rmSync(f, { force: true });
  copyFileSync(backup, ledger);
  const old = new Database(ledger);
  const job = randomUUID();
  old
    .prepare('INSERT INTO restamp_jobs (id, created_at, before, include_weak, tsa) VALUES (?, ?, ?, 0, ?)')
    .run(job, runStart, new Date(Date.now() + 30 * 86_400_000).toISOString(), 'good');
  old
    .prepare("INSERT INTO restamp_job_seals (job_id, operation_id, state) VALUES (?, ?, 'pending')")
    .run(job, pdf.operationId);
  old
    .prepare(
      "INSERT INTO operation_intents (operation_id, sha256, size, level, tsa_name, at) VALUES (?, ?, ?, 'B-LTA', 'Good TSA', ?)",
    )
    .run(pdf.operationId, written.sha256, written.size, written.at);
  old.close();

  const run = await sealdesk('restamp', '--expiring-within', '30d', '--tsa', 'good', '--json');
  expect(run.code, run.stdout).toBe(0);
  expect(run.json()).toMatchObject({ job, resumed: true, seals: { restamped: 1, failed: 0 } });
  expect(readFileSync(pdf.outputPath).equals(restamped)).toBe(true); // adopted as it was: no second document time-stamp
  expect(await docTimestamps(pdf.outputPath)).toBe(1);
  const ops = (await sealdesk('operations', '--json'))
    .json()
    .items.find((o: { id: string }) => o.id === pdf.operationId);
  expect(ops.files.at(-1)).toMatchObject({ sha256: written.sha256, level: 'B-LTA' });
  expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json().seals.selected).toBe(0);
  expect((await sealdesk('restamp', pdf.operationId, '--tsa', 'good', '--json')).code).toBe(0); // the ledger and the file agree again
});

it('the bulk run shows its progress on the terminal: done, failed, remaining, rate and time left, then a summary', async () => {
  for (const n of [1, 2, 3]) {
    const f = join(work.path, `minutes-${n}.txt`);
    writeFileSync(f, `minutes ${n} ${Math.random()}\n`);
    expect((await sealdesk('stamp', f, '--tsa', 'soon')).code).toBe(0);
  }
  const run = await sealdesk('restamp', '--expiring-within', '30d', '--tsa', 'good');
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/\rrestamped 1 · failed 0 · remaining 2 · \d+\.\d\/s · about \d+ s left/);
  expect(run.stdout).toBe('3 of 3 chain(s) have their new link; 0 of 0 sealed file(s) have a new archive time-stamp\n');
});
