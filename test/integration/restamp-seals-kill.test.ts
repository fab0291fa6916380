// Bulk restamping of sealed files is exactly-once under a real kill -9: the built `sealdesk` binary restamps 8 sealed
// PDFs and 8 .p7s against a slow TSA, is killed (SIGKILL) at several moments of its progress, then runs to completion —
// every file ends with exactly one new document / archive time-stamp, still valid, no temp file beside it, the ledger
// agreeing with the disk, and nothing due twice.
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { openssl } from '../helpers/openssl.js';
import { createNssDb, pdfsigVerify, qpdfCheck, qpdfObjects, signatureValues } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.sealdesk);
const work = tempDir('restamp-seals-kill');
const home = join(work.path, 'home');
const docs = join(work.path, 'docs');
/** How long the restamping TSA holds each answer: long enough that a kill lands while seals are still in flight. */
const TSA_DELAY_MS = 250;
/** Sealed PDFs, and as many .p7s: enough for five kills that each let the run restamp a few. */
const SEALED_EACH = 8;
const env = { SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '5000' };
const restampArgs = ['restamp', '--expiring-within', '30d', '--tsa', 'good', '--concurrency', '2'];

type Seal = { id: string; kind: 'pdf' | 'p7s'; path: string; content?: string; before: number };
let pki: TestPki;
let soon: LoopbackTsa;
let good: LoopbackTsa;
let nss: string;
let sealdesk: ReturnType<typeof cliRunner>;
const seals: Seal[] = [];
/** Set while a kill waits for the restamping TSA's next answer. */
let nextAnswer: (() => void) | undefined;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only'], { cwd: root });
  pki = await createTestPki(join(work.path, 'pki'));
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
  good = await startTsa({ pki, delayMs: TSA_DELAY_MS, onAnswer: () => nextAnswer?.() });
  nss = await createNssDb(pki.root.certPath);
  sealdesk = cliRunner(env);
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'Expiring TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'good', good.url, '--name', 'Good TSA')).code).toBe(0);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
  mkdirSync(docs);
  for (let i = 0; i < SEALED_EACH; i++) seals.push(await sealPdf(i), await sealCsv(i));
});
afterAll(async () => {
  await soon?.close();
  await good?.close();
  work.remove();
});

const key = () => ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath];

async function sealPdf(i: number): Promise<Seal> {
  const r = await sealdesk(
    'seal',
    writeMinimalPdf(join(docs, `deed-${i}.pdf`), { text: `deed ${i}` }),
    ...key(),
    '--level',
    'B-T',
    '--tsa',
    'soon',
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  const { operationId, outputPath } = r.json();
  return {
    id: operationId,
    kind: 'pdf',
    path: outputPath,
    before: await newTimestamps({ kind: 'pdf', path: outputPath }),
  };
}

async function sealCsv(i: number): Promise<Seal> {
  const content = join(docs, `ledger-${i}.csv`);
  writeFileSync(content, `year,total\n2026,${i}\n`);
  const r = await sealdesk('seal', content, ...key(), '--tsa', 'soon', '--json');
  expect(r.code, r.stderr).toBe(0);
  const { operationId, p7sPath } = r.json();
  return {
    id: operationId,
    kind: 'p7s',
    path: p7sPath,
    content,
    before: await newTimestamps({ kind: 'p7s', path: p7sPath }),
  };
}

/** PDF: its document time-stamps (qpdf's /DocTimeStamp dictionaries); .p7s: its archive-time-stamp-v3 attributes. */
async function newTimestamps(s: Pick<Seal, 'kind' | 'path'>): Promise<number> {
  if (s.kind === 'pdf')
    return signatureValues(await qpdfObjects(s.path)).filter((v) => v.type === '/DocTimeStamp').length;
  return (
    (await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', s.path])).stdout.match(
      /0\.4\.0\.1733\.2\.4/g,
    ) ?? []
  ).length;
}

type Exit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  doneAtKill: number | null;
};

/** Once the progress shows `more` sealed files done by this run: SIGKILL `afterMs` later, counted from that line or from
 * the TSA's next answer (the client is then checking the token, writing the temp file, renaming it, recording it). */
type KillAt = { more: number; from: 'progress' | 'answer'; afterMs: number };

/** The built binary, restamping, killed as `kill` says. */
function restampBinary(kill?: KillAt, extra: readonly string[] = []): Promise<Exit> {
  const atLeast = (openRun()?.done ?? 0) + (kill?.more ?? 0);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...restampArgs, ...extra], { env: { ...process.env, ...env } });
    let stderr = '';
    let stdout = '';
    let doneAtKill: number | null = null;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!kill || doneAtKill !== null || sealsDone(stderr) < atLeast) return;
      doneAtKill = sealsDone(stderr);
      const fire = () => setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
      if (kill.from === 'progress') fire();
      else nextAnswer = () => ((nextAnswer = undefined), fire());
    });
    child.on('exit', (code, signal) => {
      nextAnswer = undefined;
      resolve({ code, signal, stderr, stdout, doneAtKill });
    });
  });
}

/** The highest "sealed files: restamped N" the progress line has shown. */
const sealsDone = (stderr: string) =>
  Math.max(0, ...[...stderr.matchAll(/sealed files: restamped (\d+)/g)].map((m) => Number(m[1])));

/** The open bulk run's seals by state, read straight from the ledger; null: no run is open. */
function openRun(): Record<string, number> | null {
  const db = new Database(join(home, 'ledger.sqlite'));
  try {
    const job = db.prepare('SELECT id FROM restamp_jobs WHERE finished_at IS NULL').get() as { id: string } | undefined;
    if (!job) return null;
    const rows = db
      .prepare('SELECT state, count(*) AS n FROM restamp_job_seals WHERE job_id = ? GROUP BY state')
      .all(job.id) as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

/** No file has more than one new time-stamp, whatever moment the kill hit. */
async function expectAtMostOneNew(): Promise<void> {
  for (const s of seals) expect((await newTimestamps(s)) - s.before, s.path).toBeLessThanOrEqual(1);
}

async function expectSealIntact(s: Seal): Promise<void> {
  if (s.kind === 'pdf') {
    // poppler does not validate document time-stamps ("Signature Type: unknown"): the seal's signature it does.
    const sigs = await pdfsigVerify(s.path, nss);
    expect(
      sigs.filter((g) => g.subFilter !== 'unknown').map((g) => [g.subFilter, g.signatureValid, g.certificateTrusted]),
      s.path,
    ).toEqual([['ETSI.CAdES.detached', true, true]]);
    const check = await qpdfCheck(s.path);
    expect(check.ok, check.out).toBe(true);
    const ours = (await sealdesk('verify', s.path, '--json')).json();
    expect(ours.indication, s.path).toBe('TOTAL-PASSED');
    expect(ours.signatures.map((g: { kind: string; valid: boolean }) => [g.kind, g.valid])).toEqual([
      ['signature', true],
      ['document-timestamp', true],
    ]);
  } else {
    const v = await openssl([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      s.path,
      '-content',
      s.content!,
      '-CAfile',
      pki.caFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(v.code, v.stderr).toBe(0);
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

it('killed with SIGKILL five times mid-run, then run to the end: every sealed file has exactly one new time-stamp', async () => {
  const dry = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
  expect([...dry.seals.ids].sort()).toEqual(seals.map((s) => s.id).sort());
  const runStart = new Date().toISOString();

  // Each run is killed once it has restamped one seal, at another point of the seals' work: right after one is recorded,
  // 0, 3 and 8 ms after a TSA answer (checking the token, writing, renaming, recording), and while the TSA holds answers.
  const plan: KillAt[] = [
    { more: 1, from: 'progress', afterMs: 0 },
    { more: 1, from: 'answer', afterMs: 0 },
    { more: 1, from: 'answer', afterMs: 3 },
    { more: 1, from: 'answer', afterMs: 8 },
    { more: 1, from: 'progress', afterMs: TSA_DELAY_MS / 2 },
  ];
  for (const [n, kill] of plan.entries()) {
    // Four left at least: two in flight, the next one started after the first is done, and one more the kill outruns.
    const before = openRun()?.done ?? 0;
    expect(seals.length - before, `too few seals left for kill ${n + 1}: seal more files`).toBeGreaterThanOrEqual(4);
    const r = await restampBinary(kill);
    expect(
      r.signal,
      `run ${n + 1} ended on its own (exit ${r.code}, ${r.doneAtKill ?? 'no'} seal(s) done when the kill was armed) before its kill: make the TSA slower (TSA_DELAY_MS) or kill earlier\n${r.stderr}`,
    ).toBe('SIGKILL');
    const run = openRun();
    expect(run, 'the killed run is still open in the journal').not.toBeNull();
    expect(run!.done ?? 0, `kill ${n + 1} came too late: every seal was already done`).toBeLessThan(seals.length);
    expect(run!.done ?? 0).toBeGreaterThan(before);
    expect(run!.failed ?? 0, 'a killed run left a seal failed (its file taken as changed?)').toBe(0);
    await expectAtMostOneNew();
  }

  const last = await restampBinary(undefined, ['--json']);
  expect(last.code, last.stderr).toBe(0);
  expect(JSON.parse(last.stdout)).toMatchObject({
    resumed: true,
    seals: { selected: seals.length, restamped: seals.length, failed: 0 },
  });
  expect(openRun()).toBeNull();

  expect(readdirSync(docs).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  const ops = (await sealdesk('operations', '--json')).json().items as {
    id: string;
    outputSha256: string;
    files: { level: string; sha256: string; at: string }[];
  }[];
  for (const s of seals) {
    expect(await newTimestamps(s), s.path).toBe(s.before + 1);
    await expectSealIntact(s);
    const op = ops.find((o) => o.id === s.id)!;
    expect(
      op.files.filter((f) => f.at >= runStart).map((f) => f.level),
      s.path,
    ).toEqual(['B-LTA']);
    expect([op.outputSha256, op.files.at(-1)!.sha256]).toEqual([sha256(s.path), sha256(s.path)]);
    expect((await sealdesk('chain', s.id, '--json')).json()).toMatchObject({ intact: true });
  }

  // Nothing is due twice: neither counted nor restamped again, and the TSA is not asked.
  expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json().seals.selected).toBe(0);
  const asked = good.requestCount();
  const again = await sealdesk(...restampArgs, '--json');
  expect(again.code, again.stderr).toBe(0);
  expect(again.json()).toMatchObject({ resumed: false, seals: { selected: 0, restamped: 0 } });
  expect(good.requestCount()).toBe(asked);
});
