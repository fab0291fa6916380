// core/app/restamp.ts against a real SQLite ledger and loopback OpenSSL TSAs (one whose certificate expires in 10
// days, one to 2040): one record restamped, a window's chains as a journaled run (one new link each, verified by
// openssl ts over the previous .tsr), progress, cancel then resume, chosen ids, and the options' bounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dueOverview, unfinishedRun } from '../../../core/app/due-overview.js';
import { restampOne, runBulkRestamp, startBulkRestamp, type BulkRestampProgress } from '../../../core/app/restamp.js';
import { stampInputs } from '../../../core/app/stamp-files.js';
import {
  addTsa,
  childStamps,
  getStamp,
  listTsas,
  openLedger,
  setTsaEnabled,
  type Ledger,
} from '../../../core/ledger/index.js';
import type { StampContext } from '../../../core/stamp/index.js';
import { HttpTimeStampTransport } from '../../../core/tsp/index.js';
import { createServices } from '../../../main/services/index.js';
import { expiringTsaCert, withTsa } from '../../helpers/expiring-tsa.js';
import { tsVerify } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('app-restamp');
let pki: TestPki;
let soon: LoopbackTsa;
let long: LoopbackTsa;
let db: Ledger;
let ctx: StampContext;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
  long = await startTsa({ pki });
  db = openLedger(join(work.path, 'ledger.sqlite'));
  for (const t of listTsas(db)) setTsaEnabled(db, t.slug, false); // never the internet
  addTsa(db, { slug: 'soon', url: soon.url, name: 'Soon TSA' });
  addTsa(db, { slug: 'long', url: long.url, name: 'Long TSA' });
  ctx = { db, transport: new HttpTimeStampTransport(), now: () => new Date(), timeoutMs: 30_000 };
}, 60_000);
afterAll(async () => {
  db.close();
  await soon.close();
  await long.close();
  work.remove();
});

/** n files stamped by the TSA whose certificate expires soon: n chains due in a 30-day window. */
async function dueStamps(n: number, tag: string): Promise<string[]> {
  const files = Array.from({ length: n }, (_, i) => {
    const f = join(work.path, `${tag}-${i}.txt`);
    writeFileSync(f, `${tag} ${i} ${Math.random()}`);
    return f;
  });
  const results = await stampInputs(ctx, files, { tsa: 'soon' });
  return results.map((r) => {
    if (!r.ok) throw r.error as Error;
    return r.outcome.record.id;
  });
}

/** The chain of `id` has exactly one link after it, by the Long TSA, over the exact bytes of its .tsr. */
async function expectOneNewLink(id: string): Promise<void> {
  const children = childStamps(db, id);
  expect(children, id).toHaveLength(1);
  const [parent, child] = [getStamp(db, id)!, children[0]!];
  expect(child.tsaName).toBe('Long TSA');
  const v = await tsVerify({
    data: parent.tsrPath!,
    tsr: child.tsrPath!,
    caFile: pki.caFile,
    untrusted: pki.tsa.certPath,
  });
  expect(v.ok, v.output).toBe(true);
}

it('restampOne gives a stamp chain a new link from a TSA that extends it', async () => {
  const [id] = await dueStamps(1, 'one');
  const r = await restampOne(ctx, id!, 'long');
  expect(r).toMatchObject({ kind: 'stamp', parent: { id } });
  await expectOneNewLink(id!);
  await expect(restampOne(ctx, 'no-such-record', 'auto')).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

it('a window run: one journaled run over every chain due, one new link each, progress to the end, then nothing due', async () => {
  const ids = await dueStamps(4, 'window');
  const o = { expiringWithinDays: 30, tsa: 'auto', concurrency: 2, perTsa: 1 };
  const plan = await dueOverview(db, o);
  expect(plan.stamps.selected).toBe(4);
  const run = await startBulkRestamp(db, { by: 'window' }, o);
  expect(run).toMatchObject({ resumed: false, total: 4, done: 0 });
  const seen: BulkRestampProgress[] = [];
  const r = await runBulkRestamp(ctx, run, o, { onProgress: (p) => seen.push(p) });
  expect(r.chains).toMatchObject({ done: 4, failed: 0, total: 4, noTsaExtends: 0 });
  expect(r.chains.results.map((i) => i.stampId).sort()).toEqual([...ids].sort());
  expect(seen.map((p) => p.all.done)).toEqual([1, 2, 3, 4]);
  expect(seen.every((p) => p.phase === 'chains' && p.active >= 0 && p.active <= 2)).toBe(true);
  expect(seen.at(-1)).toMatchObject({ active: 0, all: { done: 4, failed: 0, total: 4 } });
  for (const id of ids) await expectOneNewLink(id);
  expect(unfinishedRun(db)).toBeNull(); // the journal closed the run
  expect((await dueOverview(db, o)).stamps.selected).toBe(0); // each chain's newest link now runs to 2040
});

it('cancelled before it starts, a run stays open; a window run resumes it, and each chain gets exactly one link', async () => {
  const ids = await dueStamps(3, 'cancel');
  const o = { expiringWithinDays: 30, concurrency: 1 };
  const run = await startBulkRestamp(db, { by: 'ids', ids }, o);
  const ac = new AbortController();
  ac.abort();
  const before = long.requestCount();
  const cancelled = await runBulkRestamp(ctx, run, o, { signal: ac.signal });
  expect(cancelled.chains).toMatchObject({ done: 0, failed: 0, total: 3 });
  expect(long.requestCount()).toBe(before);
  expect(unfinishedRun(db)).toMatchObject({ id: run.job.id, total: 3, done: 0, failed: 0 });
  await expect(startBulkRestamp(db, { by: 'resume', id: 'another' }, o)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const resumed = await startBulkRestamp(db, { by: 'window' }, o); // an unfinished run comes first
  expect(resumed).toMatchObject({ resumed: true, job: { id: run.job.id }, total: 3 });
  expect((await runBulkRestamp(ctx, resumed, o)).chains).toMatchObject({ done: 3, failed: 0 });
  for (const id of ids) await expectOneNewLink(id);
  // Chosen ids must be their chains' newest links: a restamped one is refused before anything is journaled.
  await expect(startBulkRestamp(db, { by: 'ids', ids: [ids[0]!] }, o)).rejects.toMatchObject({ code: 'USAGE' });
  expect(unfinishedRun(db)).toBeNull();
});

it('refuses options out of bounds, as the CLI flags and the desktop fields share them', async () => {
  const w = { expiringWithinDays: 30 };
  await expect(startBulkRestamp(db, { by: 'window' }, { ...w, concurrency: 0 })).rejects.toThrow(
    /--concurrency is a whole number from 1 to 16/,
  );
  await expect(startBulkRestamp(db, { by: 'window' }, { ...w, perTsa: 17 })).rejects.toThrow(
    /--per-tsa is a whole number/,
  );
  await expect(startBulkRestamp(db, { by: 'window' }, { ...w, rate: ['long=20'] })).rejects.toThrow(/--rate wants/);
  expect(unfinishedRun(db)).toBeNull();
});

it("the desktop's restamp:one and history:chain are the same use cases: a new link, then the chain shows it", async () => {
  const services = createServices({ dataDir: work.path, version: 'test', tsaTimeoutMs: 30_000 });
  try {
    const [id] = await dueStamps(1, 'desk');
    const r = await services['restamp:one']({ id: id!, tsa: 'long' });
    expect(r).toMatchObject({ kind: 'stamp', id, tsaName: 'Long TSA', newId: expect.any(String) });
    await expectOneNewLink(id!);
    const chain = await services['history:chain']({ id: id! });
    expect(chain!.links.map((l) => [l.id, l.tsaName])).toEqual([
      [id, 'Soon TSA'],
      [r.newId, 'Long TSA'],
    ]);
    await expect(services['restamp:one']({ id: 'no-such-record' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  } finally {
    services.close();
  }
});
