// core/app/stamp-files.ts against a real SQLite ledger and loopback OpenSSL TSAs: inputs expanded in order (a folder's
// files sorted, its tokens and hidden files left alone, an unreadable input reported in its place), every CLI option,
// per-item and per-byte progress, cancel, and an all-TSAs-failed error that keeps its per-TSA failures as data.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stampInputs, type StampFileResult } from '../../../core/app/stamp-files.js';
import { AllTsasFailedError } from '../../../core/errors.js';
import { addTsa, getStamp, listTsas, openLedger, setTsaEnabled, type Ledger } from '../../../core/ledger/index.js';
import type { StampContext } from '../../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { tsVerify } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('app-stamp');
let pki: TestPki;
let tsa: LoopbackTsa;
let down: LoopbackTsa;
let db: Ledger;
let ctx: StampContext;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  down = await startTsa({ pki, mode: 'http503' });
  db = openLedger(join(work.path, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false); // never the internet
  addTsa(db, { slug: 'loop', url: tsa.url, name: 'Loop TSA' });
  addTsa(db, { slug: 'down', url: down.url, name: 'Down TSA' });
  setTsaEnabled(db, 'down', false);
  // A generous per-attempt timeout: the test machine is shared.
  ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 30_000 };
}, 60_000);
afterAll(async () => {
  db.close();
  await tsa.close();
  await down.close();
  work.remove();
});

function file(name: string, content = `${name} ${Math.random()}`): string {
  const p = join(work.path, name);
  writeFileSync(p, content);
  return p;
}

const tsrOf = (r: StampFileResult) => (r.ok && r.outcome.kind !== 'queued' ? r.outcome.tsrPath : null);

it('stamps named files and folders in input order; a folder skips its tokens and hidden files; unreadable inputs in place', async () => {
  const dir = join(work.path, 'folder');
  mkdirSync(join(dir, 'sub'), { recursive: true });
  const [b, a] = [file('folder/sub/b.txt'), file('folder/a.txt')];
  file('folder/.hidden');
  file('folder/old.tsr', 'not a token');
  const named = file('named.txt');
  const missing = join(work.path, 'missing.txt');
  const items: [string, number, number][] = [];
  let bytes = 0;
  const results = await stampInputs(
    ctx,
    [named, missing, dir],
    { label: 'batch' },
    {
      onItem: (r, done, total) => items.push([r.file, done, total]),
      onBytes: (done) => (bytes = done),
    },
  );
  expect(results.map((r) => r.file)).toEqual([named, missing, a, b]);
  expect(items.map(([, done, total]) => [done, total])).toEqual([
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 4],
  ]);
  expect(new Set(items.map(([f]) => f))).toEqual(new Set([named, missing, a, b]));
  const bad = results[1]!;
  expect(bad.ok).toBe(false);
  expect(!bad.ok && bad.error).toMatchObject({ code: 'INPUT_UNREADABLE' });
  for (const r of [results[0]!, results[2]!, results[3]!]) {
    expect(r.ok && r.outcome.kind).toBe('stamped');
    expect(tsrOf(r)).toBe(`${r.file}.tsr`);
    expect((await tsVerify({ data: r.file, tsr: tsrOf(r)!, caFile: pki.caFile, untrusted: pki.tsa.certPath })).ok).toBe(
      true,
    );
    expect(r.ok && getStamp(db, r.outcome.record.id)?.label).toBe('batch');
  }
  expect(bytes).toBe([named, a, b].reduce((n, f) => n + statSync(f).size, 0)); // every byte hashed, reported at the end
});

it('--hash, --force and --out: the imprint algorithm asked, a second stamp of known content, the token where told', async () => {
  const f = file('options.txt');
  const out = join(work.path, 'elsewhere.tsr');
  const [first] = await stampInputs(ctx, [f], { hash: 'sha256', out });
  expect(first!.ok && first!.outcome.record.imprintAlgorithm).toBe('sha256');
  expect(tsrOf(first!)).toBe(out);
  expect((await tsVerify({ data: f, tsr: out, caFile: pki.caFile, untrusted: pki.tsa.certPath })).ok).toBe(true);
  const [again] = await stampInputs(ctx, [f]);
  expect(again!.ok && again!.outcome.kind).toBe('existing'); // known content: its record (its token is where --out put it)
  expect(again!.ok && again!.outcome.record.id).toBe(first!.ok && first!.outcome.record.id);
  const [forced] = await stampInputs(ctx, [f], { force: true, tsa: 'loop' });
  expect(forced!.ok && forced!.outcome.kind).toBe('stamped');
  expect(tsrOf(forced!)).toBe(`${f}.tsr`);
  const [twice] = await stampInputs(ctx, [f], { force: true });
  expect(tsrOf(twice!)).toBe(`${f}.1.tsr`); // never over an existing token
  await expect(stampInputs(ctx, [f, file('options-2.txt')], { out })).rejects.toMatchObject({ code: 'USAGE' });
});

it('a cancelled batch reports CANCELLED for every file not started; nothing is asked of the TSA', async () => {
  const files = [1, 2, 3].map((i) => file(`cancel-${i}.txt`));
  const before = tsa.requestCount();
  const ac = new AbortController();
  ac.abort();
  const results = await stampInputs(ctx, files, {}, { signal: ac.signal });
  expect(results.map((r) => !r.ok && (r.error as { code?: string }).code)).toEqual([
    'CANCELLED',
    'CANCELLED',
    'CANCELLED',
  ]);
  expect(tsa.requestCount()).toBe(before);
});

it("when every TSA fails (not offline), the error keeps each TSA's failure as data", async () => {
  setTsaEnabled(db, 'down', true);
  setTsaEnabled(db, 'loop', false);
  try {
    const [r] = await stampInputs(ctx, [file('refused.txt')], { tsa: 'auto' });
    expect(r!.ok).toBe(false);
    if (r!.ok) return;
    expect(r!.error).toBeInstanceOf(AllTsasFailedError);
    expect(r!.failures).toEqual([
      expect.objectContaining({ slug: 'down', tsa: 'Down TSA', errorClass: 'http_status', statusCode: 503 }),
    ]);
  } finally {
    setTsaEnabled(db, 'loop', true);
    setTsaEnabled(db, 'down', false);
  }
});
