// RFC 3161 §4 chains from the CLI: `restamp` stamps the newest .tsr's exact bytes (by preference at another TSA),
// `chain` checks the links and exports them so OpenSSL alone can verify each link over the previous one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliRunner, cliWithTsas, isolateTsas } from '../helpers/cli.js';
import { tsVerify } from '../helpers/openssl.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';

const work = tempDir('restamp');
let pki: TestPki;
let one: LoopbackTsa;
let two: LoopbackTsa;
let soon: LoopbackTsa; // its certificate expires in 10 days: the chains it starts are due in a 30-day window
let sealdesk: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  one = await startTsa({ pki });
  two = await startTsa({ pki, signer: 'tsaEc' });
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
  sealdesk = await cliWithTsas(
    { SEALDESK_HOME: join(work.path, 'home'), SEALDESK_TSA_TIMEOUT_MS: '1500' },
    { one: { url: one.url, name: 'TSA One' }, two: { url: two.url, name: 'TSA Two' } },
  );
  // Not in auto's round-robin: only the tests that want due chains start them there (`stamp --tsa soon`).
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'TSA Soon')).code).toBe(0);
  expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0);
});
afterAll(async () => {
  await one.close();
  await two.close();
  await soon.close();
  work.remove();
});

it('stamp, restamp twice (auto alternates TSAs), chain intact; the export verifies link by link with openssl ts', async () => {
  const doc = join(work.path, 'deed.txt');
  writeFileSync(doc, 'a deed to keep for thirty years\n');
  const first = (await sealdesk('stamp', doc, '--tsa', 'one', '--json')).json();
  const r1 = await sealdesk('restamp', first.id, '--json');
  expect(r1.code, r1.stderr).toBe(0);
  expect(r1.json()).toMatchObject({ parentTransactionId: first.id, tsaName: 'TSA Two', tsrPath: `${doc}.1.tsr` });
  const r2 = (await sealdesk('restamp', first.id, '--json')).json(); // any link names the chain: its newest is restamped
  expect(r2).toMatchObject({ parentTransactionId: r1.json().id, tsaName: 'TSA One' });

  // No trust anchor yet: every link is sound and covers the one before (intact), but no TSA is trusted.
  const untrusted = await sealdesk('chain', first.id, '--json');
  expect(untrusted.code).toBe(1);
  expect(untrusted.json()).toMatchObject({ id: first.id, intact: true, trusted: false });
  for (const l of untrusted.json().links) {
    expect(l).toMatchObject({ intact: true, trusted: false, problems: [] });
    expect(l.trustProblems).toEqual([
      expect.stringMatching(/^its TSA certificate does not chain to an anchor of the trust store/),
    ]);
  }
  const text = await sealdesk('chain', first.id);
  expect(text.stdout).toMatch(
    /^ {2}1 {2}\S+ {2}TSA One {2}until 2040-01-01 {2}\? not trusted: its TSA certificate does not chain/m,
  );
  expect(text.stdout).toMatch(
    /\nchain intact, but NOT TRUSTED .*; protected until 2040-01-01T00:00:00.000Z \(restamp before then\)\n$/,
  );
  expect((await sealdesk('trust', 'add', pki.caFile)).code).toBe(0);

  const chain = await sealdesk('chain', r1.json().id, '--json', '--export', join(work.path, 'export'));
  expect(chain.code, chain.stderr).toBe(0);
  const c = chain.json();
  expect(c).toMatchObject({ id: first.id, intact: true, trusted: true });
  expect(
    c.links.every(
      (l: { intact: boolean; trusted: boolean; trustProblems: string[] }) =>
        l.intact && l.trusted && l.trustProblems.length === 0,
    ),
  ).toBe(true);
  expect((await sealdesk('chain', first.id)).stdout).toMatch(
    /\nchain intact; protected until 2040-01-01T00:00:00.000Z \(restamp before then\)\n$/,
  );
  expect(c.links.map((l: { id: string; coversPrevious: boolean | null }) => [l.id, l.coversPrevious])).toEqual([
    [first.id, null],
    [r1.json().id, true],
    [r2.id, true],
  ]);
  expect(c.protectedUntil).toBe(c.links[2].tsaCertNotAfter);
  const dir = join(work.path, 'export');
  expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).links).toHaveLength(3);
  expect(
    (await tsVerify({ data: doc, tsr: join(dir, 'link-1.tsr'), caFile: pki.caFile, untrusted: pki.tsa.certPath })).ok,
  ).toBe(true);
  expect(
    (
      await tsVerify({
        data: join(dir, 'link-1.tsr'),
        tsr: join(dir, 'link-2.tsr'),
        caFile: pki.caFile,
        untrusted: pki.tsaEc.certPath,
      })
    ).ok,
  ).toBe(true);
  expect(
    (
      await tsVerify({
        data: join(dir, 'link-2.tsr'),
        tsr: join(dir, 'link-3.tsr'),
        caFile: pki.caFile,
        untrusted: pki.tsa.certPath,
      })
    ).ok,
  ).toBe(true);
  expect(
    (
      await tsVerify({
        data: join(dir, 'link-1.tsr'),
        tsr: join(dir, 'link-3.tsr'),
        caFile: pki.caFile,
        untrusted: pki.tsa.certPath,
      })
    ).ok,
  ).toBe(false); // each link covers only its predecessor
  expect((await sealdesk('restamp', 'no-such-record', '--json')).json()).toMatchObject({ code: 'NOT_FOUND' });
});

/** Runs `fn` with the trust store empty, then puts every anchor back. */
async function withoutTrustAnchors<T>(fn: () => Promise<T>): Promise<T> {
  const anchors = (await sealdesk('trust', 'list', '--json')).json() as { id: string }[];
  for (const a of anchors) expect((await sealdesk('trust', 'remove', a.id)).code).toBe(0);
  try {
    return await fn();
  } finally {
    expect((await sealdesk('trust', 'add', pki.caFile)).code).toBe(0);
  }
}

/** Chains whose only link comes from the TSA whose certificate expires in 10 days: due in a 30-day window. */
async function dueChains(prefix: string, names: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const f = join(work.path, `${prefix}-${name}.txt`);
    writeFileSync(f, `${prefix} ${name} ${Math.random()}`);
    const r = await sealdesk('stamp', f, '--tsa', 'soon', '--json');
    expect(r.code, r.stderr).toBe(0);
    ids.push(r.json().id);
  }
  return ids;
}

it('bulk: --expiring-within selects the newest link of every chain; --dry-run counts them; a run gives each exactly one new link', async () => {
  const before = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
  expect(before.selected).toBe(0); // the test TSAs' certificates run to 2040
  const ids = await dueChains('bulk', ['a', 'b', 'c']);
  const dry = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
  expect([...dry.ids].sort()).toEqual([...ids].sort());
  const selected = dry.selected as number;
  expect(Object.values(dry.byMonth as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(selected);
  const run = await sealdesk('restamp', '--expiring-within', '30d', '--concurrency', '3', '--json');
  expect(run.code, run.stderr).toBe(0);
  expect(run.json()).toMatchObject({ selected, restamped: selected, failed: 0, resumed: false });
  for (const id of ids) {
    const c = (await sealdesk('chain', id, '--json')).json();
    expect(c.intact).toBe(true);
    expect(c.links).toHaveLength(2);
  }
  // The new links run to 2040: no chain is due again.
  expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json().selected).toBe(0);
});

it('journaled: failures stay in the run; a link made before a "kill" counts; the rerun gives every chain exactly one new link', async () => {
  const { closedPortUrl } = await import('../helpers/net.js');
  const ids = await dueChains('journal', ['p', 'q', 'r']);
  // Every TSA down: the run records all three as failed and stays open.
  for (const slug of ['one', 'two']) expect((await sealdesk('tsa', 'disable', slug)).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'down', await closedPortUrl())).code).toBe(0);
  const failedRun = await sealdesk('restamp', '--expiring-within', '30d', '--json');
  expect(failedRun.code).toBe(1);
  expect(failedRun.json()).toMatchObject({ failed: failedRun.json().selected, restamped: 0 });
  // As if a run was killed right after recording one new link: that chain already has its child.
  for (const slug of ['one', 'two']) expect((await sealdesk('tsa', 'enable', slug)).code).toBe(0);
  expect((await sealdesk('tsa', 'disable', 'down')).code).toBe(0);
  const early = (await sealdesk('restamp', ids[0]!, '--json')).json();
  const resumed = await sealdesk('restamp', '--expiring-within', '30d', '--json');
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(resumed.json()).toMatchObject({ resumed: true, failed: 0, restamped: resumed.json().selected });
  expect(resumed.json().results.find((r: { stampId: string }) => r.stampId === ids[0])).toMatchObject({
    newId: early.id,
  });
  for (const id of ids) expect((await sealdesk('chain', id, '--json')).json().links).toHaveLength(2);
  expect((await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json().ids).not.toContain(
    ids[0],
  ); // no longer due
});

it('--rate keeps each TSA within its limit: the rest goes to the other TSA', async () => {
  const before = { one: one.requestCount(), two: two.requestCount() };
  const ids = await dueChains('rate', ['x', 'y', 'z']);
  const r = await sealdesk(
    'restamp',
    '--expiring-within',
    '30d',
    '--concurrency',
    '1',
    '--rate',
    'one=1/60m',
    '--rate',
    'two=50/60m',
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  expect(r.json().selected).toBe(3);
  expect(one.requestCount() - before.one).toBeLessThanOrEqual(1);
  expect(two.requestCount() - before.two).toBeGreaterThanOrEqual(2);
  expect(r.json().restamped).toBe(r.json().selected);
  for (const id of ids) expect((await sealdesk('chain', id, '--json')).json().links).toHaveLength(2);
  expect((await sealdesk('restamp', '--expiring-within', '1d', '--rate', 'one=20', '--json')).json()).toMatchObject({
    code: 'USAGE',
  });
});

it('ledger backup is a consistent SQLite copy; ledger export is JSON lines whose tokens OpenSSL reads; neither overwrites', async () => {
  const { openLedger, countStamps } = await import('../../core/ledger/index.js');
  const { openssl } = await import('../helpers/openssl.js');
  const backup = join(work.path, 'backup.sqlite');
  expect((await sealdesk('ledger', 'backup', backup)).code).toBe(0);
  const copy = openLedger(backup);
  const live = openLedger(join(work.path, 'home', 'ledger.sqlite'));
  expect(countStamps(copy)).toEqual(countStamps(live));
  copy.close();
  live.close();
  const jsonl = join(work.path, 'ledger.jsonl');
  const r = await sealdesk('ledger', 'export', jsonl, '--json');
  expect(r.code, r.stderr).toBe(0);
  const lines = readFileSync(jsonl, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(r.json().lines);
  const stamp = lines.find((l) => l.kind === 'stamp' && l.parent_id);
  writeFileSync(join(work.path, 'exported.tsr'), Buffer.from(stamp.tsr, 'base64'));
  expect((await openssl(['ts', '-reply', '-in', join(work.path, 'exported.tsr'), '-text'])).stdout).toMatch(
    /Status: Granted/,
  );
  expect((await sealdesk('ledger', 'backup', backup, '--json')).json()).toMatchObject({ code: 'OUTPUT_EXISTS' });
  expect((await sealdesk('ledger', 'export', jsonl, '--json')).json()).toMatchObject({ code: 'OUTPUT_EXISTS' });
});

it('a sealed PDF is restamped in place (PAdES-LTA): refreshed DSS and a new document time-stamp; verify passes; an edited file is left alone', async () => {
  const { writeMinimalPdf } = await import('../helpers/pdfs.js');
  const { qpdfObjects, signatureValues, signedBytes } = await import('../helpers/pdf-judges.js');
  const { appendFileSync } = await import('node:fs');
  const input = writeMinimalPdf(join(work.path, 'lease.pdf'));
  const sealed = (
    await sealdesk(
      'seal',
      input,
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--level',
      'B-LTA',
      '--json',
    )
  ).json();
  const before = readFileSync(sealed.outputPath);
  const r = await sealdesk('restamp', sealed.operationId, '--json');
  expect(r.code, r.stderr).toBe(0);
  expect(r.json()).toMatchObject({
    id: sealed.operationId,
    format: 'pades',
    level: 'B-LTA',
    outputPath: sealed.outputPath,
  });
  const after = readFileSync(sealed.outputPath);
  expect(after.subarray(0, before.length).equals(before)).toBe(true); // appended, never rewritten
  const values = signatureValues(await qpdfObjects(sealed.outputPath));
  expect(values.map((v) => v.type)).toEqual(['/Sig', '/DocTimeStamp', '/DocTimeStamp']);
  const last = values.at(-1)!;
  writeFileSync(join(work.path, 'lease.tst'), last.contents);
  writeFileSync(join(work.path, 'lease.bin'), signedBytes(after, last.byteRange));
  expect(
    (
      await tsVerify({
        data: join(work.path, 'lease.bin'),
        tsr: join(work.path, 'lease.tst'),
        tokenIn: true,
        caFile: pki.caFile,
        untrusted: pki.tsa.certPath,
      })
    ).ok,
  ).toBe(true);
  const v = await sealdesk('verify', sealed.outputPath, '--trust', pki.caFile, '--json');
  expect(v.code, JSON.stringify(v.json().signatures?.map((s: { reasons: string[] }) => s.reasons))).toBe(0);
  expect(v.json().signatures).toHaveLength(3);
  expect((await sealdesk('trust', 'add', pki.caFile)).code).toBe(0);
  const chain = await sealdesk('chain', sealed.operationId, '--json');
  expect(chain.code, chain.stderr).toBe(0);
  const trustedLink = { intact: true, trusted: true, problems: [], trustProblems: [] };
  expect(chain.json()).toMatchObject({
    intact: true,
    trusted: true,
    links: [
      { kind: 'signature-timestamp', ...trustedLink },
      { kind: 'document-timestamp', madeInTime: true, ...trustedLink },
      { kind: 'document-timestamp', madeInTime: true, ...trustedLink },
    ],
  });
  expect(chain.json().protectedUntil).toBe(chain.json().links[2].tsaCertNotAfter);
  // The same file with the trust store emptied: still intact, no longer trusted.
  const untrusted = await withoutTrustAnchors(() => sealdesk('chain', sealed.operationId, '--json'));
  expect(untrusted.code).toBe(1);
  expect(untrusted.json()).toMatchObject({ intact: true, trusted: false, protectedUntil: chain.json().protectedUntil });
  expect(
    untrusted
      .json()
      .links.map((l: { intact: boolean; trusted: boolean; problems: string[] }) => [l.intact, l.trusted, l.problems]),
  ).toEqual([
    [true, false, []],
    [true, false, []],
    [true, false, []],
  ]);
  expect(untrusted.json().links[0].trustProblems).toEqual([
    expect.stringMatching(/^its TSA certificate does not chain to an anchor of the trust store/),
  ]);
  // Exported, each link checks with OpenSSL alone: the token over exactly the bytes it covers, and over nothing else.
  const dir = join(work.path, 'lease-chain');
  const exported = await sealdesk('chain', sealed.operationId, '--export', dir, '--json');
  expect(exported.code, exported.stderr).toBe(0);
  expect(exported.json().exported.map((l: { token: string; data: string }) => [l.token, l.data])).toEqual(
    [1, 2, 3].map((n) => [`link-${n}.tst`, `link-${n}.data`]),
  );
  expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).links).toHaveLength(3);
  expect(readFileSync(join(dir, 'link-3.data')).equals(signedBytes(after, last.byteRange))).toBe(true);
  for (const n of [1, 2, 3]) {
    for (const untrusted of [pki.tsa.certPath, pki.tsaEc.certPath]) {
      const ok = (
        await tsVerify({
          data: join(dir, `link-${n}.data`),
          tsr: join(dir, `link-${n}.tst`),
          tokenIn: true,
          caFile: pki.caFile,
          untrusted,
        })
      ).ok;
      if (ok) break;
      expect(untrusted, `link ${n} does not verify over its data`).toBe(pki.tsa.certPath);
    }
  }
  expect(
    (
      await tsVerify({
        data: join(dir, 'link-2.data'),
        tsr: join(dir, 'link-3.tst'),
        tokenIn: true,
        caFile: pki.caFile,
        untrusted: pki.tsa.certPath,
      })
    ).ok,
  ).toBe(false);
  expect((await sealdesk('chain', sealed.operationId, '--export', dir, '--json')).json()).toMatchObject({
    code: 'OUTPUT_EXISTS',
  }); // never over an earlier export
  const ops = (await sealdesk('operations', '--json'))
    .json()
    .items.find((o: { id: string }) => o.id === sealed.operationId);
  expect(ops.files.map((f: { level: string }) => f.level)).toEqual(['B-LTA', 'B-LTA']);
  appendFileSync(sealed.outputPath, '% edited\n');
  const edited = readFileSync(sealed.outputPath);
  expect((await sealdesk('restamp', sealed.operationId, '--json')).json()).toMatchObject({ code: 'OUTPUT_CHANGED' });
  expect(readFileSync(sealed.outputPath).equals(edited)).toBe(true);
});

it('import brings tokens made elsewhere into the ledger (once), and they restamp like our own', async () => {
  const { mkdirSync } = await import('node:fs');
  const elsewhere = cliRunner({ SEALDESK_HOME: join(work.path, 'elsewhere'), SEALDESK_TSA_TIMEOUT_MS: '1500' });
  await isolateTsas(elsewhere);
  expect((await elsewhere('tsa', 'add', 'one', one.url)).code).toBe(0);
  const dir = join(work.path, 'archive-2019');
  mkdirSync(dir);
  const doc = join(dir, 'minutes.txt');
  writeFileSync(doc, `old minutes ${Math.random()}`);
  expect((await elsewhere('stamp', doc)).code).toBe(0);
  writeFileSync(join(dir, 'orphan.txt.tsr'), readFileSync(`${doc}.tsr`)); // its document is not here
  const imported = await sealdesk('import', dir, '--json');
  expect(imported.code).toBe(2); // one of the two could not be imported (unusable input)
  const [ok, orphan] = imported.json() as { code?: string; id?: string; already?: boolean }[];
  expect(ok).toMatchObject({ already: false, tsaName: expect.stringMatching(/Sealdesk Test TSA/) });
  expect(orphan).toMatchObject({ code: 'NOT_FOUND' });
  expect((await sealdesk('import', `${doc}.tsr`, '--json')).json()).toMatchObject([{ id: ok!.id, already: true }]);
  const r = await sealdesk('restamp', ok!.id!, '--json');
  expect(r.code, r.stderr).toBe(0);
  expect((await sealdesk('chain', ok!.id!, '--json')).json()).toMatchObject({
    intact: true,
    links: [{ id: ok!.id }, { id: r.json().id }],
  });
});
