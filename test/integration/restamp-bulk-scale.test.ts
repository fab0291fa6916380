// Bulk restamp at scale from the CLI: at most --per-tsa requests in flight at any one TSA (counted by the TSA itself),
// both TSAs get work, failover still works, the journal resumes across pages after failures, dry-run counts hold.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiringLinks, getStamp, openLedger, type Ledger } from '../../core/ledger/index.js';
import type { StampRecord } from '../../core/model/stamp.js';
import { insertChainCopies } from '../helpers/chain-fixtures.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { cliRunner, cliWithTsas } from '../helpers/cli.js';
import { tsVerify } from '../helpers/openssl.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const work = tempDir('restamp-scale');
const home = join(work.path, 'home');
// TSA Soon's certificate expires in 30 days (it is not in auto's round-robin), TSA One's and TSA Two's in 2040: the
// chains due in 60 days are those whose newest link TSA Soon made, and auto restamps them round-robin at One and Two —
// both extend them, so no new link is due again.
const WINDOW = '60d';
let pki: TestPki;
let soon: LoopbackTsa;
let one: LoopbackTsa;
let two: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;
const seeds: Record<'soon' | 'two', StampRecord[]> = { soon: [], two: [] };

const withDb = <T>(fn: (db: Ledger) => T): T => {
  const db = openLedger(join(home, 'ledger.sqlite'));
  try {
    return fn(db);
  } finally {
    db.close();
  }
};
const addChains = (n: number, prefix: string) =>
  withDb((db) => insertChainCopies(db, seeds.soon, n, { prefix, dir: join(work.path, 'files') }));
const children = (ids: readonly string[]) =>
  withDb((db) =>
    ids.map(
      (id) =>
        db.prepare('SELECT id, tsa_name FROM stamps WHERE parent_id = ?').all(id) as { id: string; tsa_name: string }[],
    ),
  );
const idsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const bulk = (...args: string[]) => sealdesk('restamp', '--expiring-within', WINDOW, ...args, '--json');
const due = async (): Promise<{ selected: number; ids: string[] }> => (await bulk('--dry-run')).json();
const failures = (r: { json(): { results?: { error: string | null }[] } }) =>
  JSON.stringify(
    r
      .json()
      .results?.filter((i) => i.error)
      .slice(0, 2),
  );

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 30 })) });
  one = await startTsa({ pki });
  two = await startTsa({ pki, signer: 'tsaEc' });
  sealdesk = await cliWithTsas(
    { SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '5000' },
    { one: { url: one.url, name: 'TSA One' }, two: { url: two.url, name: 'TSA Two' } },
  );
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'TSA Soon')).code).toBe(0);
  expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0);
  for (const [slug, list] of Object.entries(seeds)) {
    for (const n of [1, 2]) {
      const f = join(work.path, `seed-${slug}-${n}.txt`);
      writeFileSync(f, `seed ${slug} ${n}\n`);
      const r = await sealdesk('stamp', f, '--tsa', slug, '--json');
      expect(r.code, r.stderr).toBe(0);
      list.push(withDb((db) => getStamp(db, r.json().id)!));
    }
  }
});
afterAll(async () => {
  await soon.close();
  await one.close();
  await two.close();
  work.remove();
});

describe('bulk restamp at scale', () => {
  it('dry run: the blob-free selection counts exactly what the full records give', async () => {
    addChains(40, 'k');
    const records = withDb((db) => expiringLinks(db, { before: new Date(Date.now() + 60 * 86_400_000) }));
    expect(records.map((r) => r.id).sort()).toEqual([...seeds.soon.map((r) => r.id), ...idsOf('k', 40)].sort()); // TSA Two's seeds are not due
    const tally = (key: (r: StampRecord) => string) =>
      records.reduce<Record<string, number>>((t, r) => ({ ...t, [key(r)]: (t[key(r)] ?? 0) + 1 }), {});
    const dry = await bulk('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      selected: 42,
      ids: records.map((r) => r.id),
      byTsa: tally((r) => r.tsaName!),
      byMonth: tally((r) => r.tsaCertNotAfter!.slice(0, 7)),
    });
    expect(dry.json().byTsa).toEqual({ 'TSA Soon': 42 });
    const text = await sealdesk('restamp', '--expiring-within', WINDOW, '--dry-run');
    expect(text.stdout).toMatch(/^42 chain\(s\) to restamp/);
    // Each copy has its own bytes and is still a valid token over the seed's document.
    const copy = withDb((db) => getStamp(db, 'k-0')!);
    expect(Buffer.from(copy.tsr!).equals(Buffer.from(seeds.soon[0]!.tsr!))).toBe(false);
    writeFileSync(join(work.path, 'k-0.tsr'), copy.tsr!);
    expect(
      (await tsVerify({ data: seeds.soon[0]!.filePath!, tsr: join(work.path, 'k-0.tsr'), caFile: pki.caFile })).ok,
    ).toBe(true);
  });

  it('never more than --per-tsa requests at one TSA; round-robin, a busy TSA skipped: both get work', async () => {
    one.resetMaxInFlight();
    two.resetMaxInFlight();
    const before = one.requestCount() + two.requestCount();
    const run = await bulk('--concurrency', '8', '--per-tsa', '2');
    expect(run.code, failures(run)).toBe(0);
    expect(run.json()).toMatchObject({ selected: 42, restamped: 42, failed: 0 });
    expect(one.maxInFlight()).toBeLessThanOrEqual(2);
    expect(two.maxInFlight()).toBeLessThanOrEqual(2);
    expect(one.requestCount() + two.requestCount() - before).toBe(42); // no failed attempts
    const links = children(idsOf('k', 40));
    expect(links.every((l) => l.length === 1)).toBe(true);
    const byOne = links.filter((l) => l[0]!.tsa_name === 'TSA One').length;
    expect(byOne).toBeGreaterThan(0);
    expect(40 - byOne).toBeGreaterThan(0);
    // An independent verifier: the new link is a token over the previous link's exact bytes (its TSA certificate inside).
    const parent = withDb((db) => getStamp(db, 'k-0')!);
    const child = withDb((db) => getStamp(db, links[0]![0]!.id)!);
    const parentTsr = join(work.path, 'k-0-parent.tsr');
    writeFileSync(parentTsr, parent.tsr!);
    expect((await tsVerify({ data: parentTsr, tsr: child.tsrPath!, caFile: pki.caFile })).ok).toBe(true);
  });

  it('--per-tsa 1 holds with more workers than TSAs', async () => {
    addChains(20, 'm');
    const { selected } = await due();
    expect(selected).toBe(20); // the earlier run's new links run to 2040: not due again
    one.resetMaxInFlight();
    two.resetMaxInFlight();
    const run = await bulk('--concurrency', '6', '--per-tsa', '1');
    expect(run.code, failures(run)).toBe(0);
    expect(run.json()).toMatchObject({ selected, restamped: selected, failed: 0 });
    expect(one.maxInFlight()).toBeLessThanOrEqual(1);
    expect(two.maxInFlight()).toBeLessThanOrEqual(1);
    expect(children(idsOf('m', 20)).every((l) => l.length === 1)).toBe(true);
    expect((await bulk('--per-tsa', '0')).json()).toMatchObject({ code: 'USAGE' });
  });

  it('failover within the bound: a failing TSA frees its slot, the chain goes to the other TSA', async () => {
    addChains(12, 'f');
    const { selected } = await due();
    two.setMode('http503');
    one.resetMaxInFlight();
    const before = two.requestCount();
    try {
      const run = await bulk('--concurrency', '4', '--per-tsa', '1');
      expect(run.code, failures(run)).toBe(0);
      expect(run.json()).toMatchObject({ selected, restamped: selected, failed: 0 });
    } finally {
      two.setMode('ok');
    }
    expect(one.maxInFlight()).toBeLessThanOrEqual(1);
    expect(two.requestCount() - before).toBeGreaterThan(1); // with one slot, a slot kept after a failure would allow one request only
    expect(children(idsOf('f', 12)).map((l) => l.map((c) => c.tsa_name))).toEqual(
      Array.from({ length: 12 }, () => ['TSA One']),
    );
  });

  it('the journal resumes after failures, across journal pages: each chain gets exactly one new link', async () => {
    addChains(300, 'r'); // more than a journal page
    const { selected } = await due();
    one.setMode('http503');
    two.setMode('http503');
    try {
      const failed = await bulk('--concurrency', '6');
      expect(failed.code).toBe(1);
      expect(failed.json()).toMatchObject({ selected, restamped: 0, failed: selected, resumed: false });
    } finally {
      one.setMode('ok');
      two.setMode('ok');
    }
    expect((await due()).selected).toBe(selected); // nothing was restamped
    one.resetMaxInFlight();
    two.resetMaxInFlight();
    const resumed = await bulk('--concurrency', '6');
    expect(resumed.code, failures(resumed)).toBe(0);
    expect(resumed.json()).toMatchObject({ resumed: true, selected, restamped: selected, failed: 0 });
    expect(resumed.json().results).toHaveLength(selected);
    expect(one.maxInFlight()).toBeLessThanOrEqual(2); // the default bound
    expect(two.maxInFlight()).toBeLessThanOrEqual(2);
    expect(children(idsOf('r', 300)).every((l) => l.length === 1)).toBe(true);
    // Nothing is due now: every new link outlasts the window.
    expect((await due()).selected).toBe(0);
  }, 240_000); // 300 chains twice, in-process, on a shared 2-core machine
});
