// Restamp services in Node against a real SQLite ledger and loopback OpenSSL TSAs: what is due (the same counts as the
// CLI's dry-run), a journaled job giving every chosen chain exactly one new link, pause/resume, cancel then resume.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { countDue } from '../../../core/archive/index.js';
import { getStamp, openLedger } from '../../../core/ledger/index.js';
import { createServices, type Services } from '../../../main/services/index.js';
import type { RestampItem } from '../../../preload/api.js';
import { cliRunner, isolateTsas } from '../../helpers/cli.js';
import { expiringTsaCert, withTsa } from '../../helpers/expiring-tsa.js';
import { tsVerify } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('restamp-svc');
let pki: TestPki;
let soon: LoopbackTsa; // its certificate expires in 10 days: its stamps come due
let long: LoopbackTsa; // runs to 2040
let soonNotAfter = '';
let services: Services;
let sealdesk: ReturnType<typeof cliRunner>;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  const cert = await expiringTsaCert(pki, { days: 10 });
  soonNotAfter = new Date(
    new (await import('../../../core/asn1/x509.js')).x509.X509Certificate(cert.der).notAfter,
  ).toISOString();
  soon = await startTsa({ pki: withTsa(pki, cert) });
  long = await startTsa({ pki });
  sealdesk = cliRunner({ SEALDESK_HOME: work.path, SEALDESK_TSA_TIMEOUT_MS: '2000' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'Soon TSA')).code).toBe(0);
  expect((await sealdesk('tsa', 'add', 'long', long.url, '--name', 'Long TSA')).code).toBe(0);
  services = createServices({ dataDir: work.path, version: 'test', tsaTimeoutMs: 2000 });
}, 60_000);
afterAll(async () => {
  await soon.close();
  await long.close();
  work.remove();
});

/** n files stamped by the TSA whose certificate expires soon: n chains due in a 30-day window. */
async function dueStamps(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = join(work.path, `${tag}-${i}.txt`);
    writeFileSync(f, `${tag} ${i} ${Math.random()}`);
    const r = await sealdesk('stamp', f, '--tsa', 'soon', '--json');
    expect(r.code, r.stderr).toBe(0);
    ids.push(r.json().id);
  }
  return ids;
}

async function until(id: string) {
  for (;;) {
    const s = await services['jobs:status']({ id });
    if (s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every chain of `ids` as History shows it: exactly two links, the second by the other TSA, intact. */
async function expectOneNewLinkEach(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const chain = await services['history:chain']({ id });
    expect(chain, id).toMatchObject({ kind: 'stamp', id, intact: true, trusted: false }); // this ledger trusts no anchor
    expect(
      chain!.links.every((l) => l.intact && !l.trusted && l.problems.length === 0 && l.trustProblems.length === 1),
    ).toBe(true);
    expect(chain!.links.map((l) => l.tsaName)).toEqual(['Soon TSA', 'Long TSA']);
    expect(chain!.protectedUntil).toBe(chain!.links[1]!.tsaCertNotAfter);
    expect(chain!.protectedUntil!.slice(0, 10)).toBe('2040-01-01');
  }
}

it('restamp:due lists the newest links due in the window, counted as the CLI dry-run counts them', async () => {
  const ids = await dueStamps(3, 'due');
  const due = await services['restamp:due']({ withinDays: 30, includeWeak: false });
  expect(due.total).toBe(3);
  expect(due.chains.map((c) => c.id).sort()).toEqual([...ids].sort());
  expect(due.chains[0]).toMatchObject({ tsaName: 'Soon TSA', hashAlgorithm: 'sha512', tsaCertNotAfter: soonNotAfter });
  expect(due.byMonth).toEqual({ [soonNotAfter.slice(0, 7)]: 3 });
  expect(due.byTsa).toEqual({ 'Soon TSA': 3 });
  const dry = (await sealdesk('restamp', '--expiring-within', '30d', '--dry-run', '--json')).json();
  expect({ byMonth: dry.byMonth, byTsa: dry.byTsa, ids: [...dry.ids].sort() }).toEqual({
    byMonth: due.byMonth,
    byTsa: due.byTsa,
    ids: due.chains.map((c) => c.id).sort(),
  });
  expect((await services['restamp:due']({ withinDays: 5 })).total).toBe(0); // the certificate runs 10 more days
  expect(due.unfinished).toBeNull();
});

it('restamp:due with includeWeak adds SHA-1 links however long their TSA certificate runs; countDue keys them as the CLI does', async () => {
  const f = join(work.path, 'weak.txt');
  writeFileSync(f, `weak ${Math.random()}`);
  // Sealdesk never asks for SHA-1 itself: such a token was made elsewhere (OpenSSL here) and imported.
  const { openssl } = await import('../../helpers/openssl.js');
  const { readFileSync } = await import('node:fs');
  expect((await openssl(['ts', '-query', '-data', f, '-sha1', '-cert', '-out', `${f}.tsq`])).code).toBe(0);
  const reply = await fetch(long.url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: readFileSync(`${f}.tsq`),
  });
  writeFileSync(`${f}.tsr`, new Uint8Array(await reply.arrayBuffer()));
  const imported = await sealdesk('import', `${f}.tsr`, '--json');
  expect(imported.code, imported.stderr).toBe(0);
  const weak = { json: () => imported.json()[0] as { id: string } };
  const plain = await services['restamp:due']({ withinDays: 30 });
  const withWeak = await services['restamp:due']({ withinDays: 30, includeWeak: true });
  expect(plain.chains.map((c) => c.id)).not.toContain(weak.json().id);
  expect(withWeak.total).toBe(plain.total + 1);
  expect(withWeak.chains.find((c) => c.id === weak.json().id)).toMatchObject({
    hashAlgorithm: 'sha1',
    tsaCertNotAfter: '2040-01-01T00:00:00.000Z',
  });
  expect(withWeak.byMonth['2040-01']).toBe(1);
  const dry = (
    await sealdesk('restamp', '--expiring-within', '30d', '--include-weak-hashes', '--dry-run', '--json')
  ).json();
  expect({ byMonth: dry.byMonth, byTsa: dry.byTsa, selected: dry.selected }).toEqual({
    byMonth: withWeak.byMonth,
    byTsa: withWeak.byTsa,
    selected: withWeak.total,
  });
  expect(
    countDue([
      { tsaName: null, tsaCertNotAfter: null, imprintAlgorithm: 'sha1' },
      { tsaName: 'X', tsaCertNotAfter: null, imprintAlgorithm: 'sha256' },
    ]),
  ).toEqual({ selected: 2, byMonth: { 'weak hash': 1, '?': 1 }, byTsa: { '?': 1, X: 1 } });
});

it('jobs:restamp gives every selected chain exactly one new link; the new links verify with openssl ts over the old .tsr', async () => {
  const due = await services['restamp:due']({ withinDays: 30 });
  const ids = due.chains.map((c) => c.id);
  const { id } = await services['jobs:restamp']({ ids, tsa: 'auto', withinDays: 30 });
  const s = await until(id);
  expect(s).toMatchObject({ kind: 'restamp', state: 'done', done: ids.length, failed: 0, total: ids.length });
  expect((s.results as RestampItem[]).map((r) => r.stampId).sort()).toEqual([...ids].sort());
  expect((s.results as RestampItem[]).every((r) => r.newId && !r.error && r.file.endsWith('.txt'))).toBe(true);
  await expectOneNewLinkEach(ids);
  const db = openLedger(join(work.path, 'ledger.sqlite'));
  try {
    const r = (s.results as RestampItem[])[0]!;
    const [parent, child] = [getStamp(db, r.stampId)!, getStamp(db, r.newId!)!];
    expect(
      (await tsVerify({ data: parent.tsrPath!, tsr: child.tsrPath!, caFile: pki.caFile, untrusted: pki.tsa.certPath }))
        .ok,
    ).toBe(true);
  } finally {
    db.close();
  }
  const after = await services['restamp:due']({ withinDays: 30 });
  expect(after.total).toBe(0); // each chain's newest link now runs to 2040
  expect(after.unfinished).toBeNull(); // the journal closed the run
  await expect(services['jobs:restamp']({ ids })).rejects.toMatchObject({ code: 'USAGE' }); // no longer the newest links
});

it('pause holds the chains not yet started (those under way finish); resume completes the run, one new link each', async () => {
  const ids = await dueStamps(6, 'pause');
  const requests = long.requestCount();
  const { id } = await services['jobs:restamp']({ ids });
  expect((await services['jobs:pause']({ id })).paused).toBe(true);
  await expect(services['jobs:restamp']({ resume: id })).rejects.toMatchObject({ code: 'USAGE' }); // one run at a time
  // The chains already under way (at most the concurrency, 2) get their link; then nothing starts while paused.
  let held = await services['jobs:status']({ id });
  while (held.active !== 0) {
    await new Promise((r) => setTimeout(r, 50));
    held = await services['jobs:status']({ id });
  }
  expect(long.requestCount() - requests).toBe(held.done);
  expect(held).toMatchObject({ state: 'running', paused: true });
  expect(held.done).toBeLessThanOrEqual(2);
  await new Promise((r) => setTimeout(r, 600));
  expect(long.requestCount() - requests).toBe(held.done); // nothing more was asked of a TSA while paused
  expect((await services['jobs:resume']({ id })).paused).toBe(false);
  const s = await until(id);
  expect(s).toMatchObject({ state: 'done', done: 6, failed: 0, paused: false });
  await expectOneNewLinkEach(ids);
  expect(() => services['jobs:pause']({ id: 'nope' })).toThrow(/no job nope/);
});

it('cancel mid-run leaves the run open in the journal; resuming it gives each chain exactly one new link', async () => {
  const ids = await dueStamps(6, 'cancel');
  const { id } = await services['jobs:restamp']({ ids, withinDays: 90 });
  await services['jobs:cancel']({ id });
  const cancelled = await until(id);
  expect(cancelled.state).toBe('cancelled');
  const results = cancelled.results as RestampItem[];
  const linked = results.filter((r) => r.newId);
  expect(linked.length).toBeLessThanOrEqual(2); // only the chains already under way
  expect(results.filter((r) => !r.newId && !r.error)).toHaveLength(6 - linked.length); // the rest not started
  const { unfinished } = await services['restamp:due']({ withinDays: 30 });
  expect(unfinished).toMatchObject({ total: 6, done: linked.length, failed: 0 });
  const resumed = await services['jobs:restamp']({ resume: unfinished!.id });
  const s = await until(resumed.id);
  expect(s).toMatchObject({ state: 'done', done: 6, total: 6, failed: 0 });
  for (const r of linked)
    expect((s.results as RestampItem[]).find((x) => x.stampId === r.stampId)!.newId).toBe(r.newId); // kept, not redone
  await expectOneNewLinkEach(ids);
  expect((await services['restamp:due']({ withinDays: 30 })).unfinished).toBeNull();
  await expect(services['jobs:restamp']({ resume: unfinished!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  const stampJob = await services['jobs:stamp']({ paths: [join(work.path, 'cancel-0.txt')] });
  expect(() => services['jobs:pause']({ id: stampJob.id })).toThrow(/cannot pause/);
  await until(stampJob.id);
});

it("history:chain shows a sealed PDF's and a .p7s seal's time-stamps with the protected-until date", async () => {
  const { writeMinimalPdf } = await import('../../helpers/pdfs.js');
  expect((await sealdesk('trust', 'add', pki.caFile)).code).toBe(0);
  const pdf = (
    await sealdesk(
      'seal',
      writeMinimalPdf(join(work.path, 'lease.pdf')),
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--level',
      'B-LTA',
      '--tsa',
      'long',
      '--json',
    )
  ).json();
  const chain = await services['history:chain']({ id: pdf.operationId });
  expect(chain).toMatchObject({
    kind: 'pdf',
    intact: true,
    links: [
      { n: 1, kind: 'signature-timestamp' },
      { n: 2, kind: 'document-timestamp' },
    ],
  });
  expect(chain!.protectedUntil!.slice(0, 10)).toBe('2040-01-01');
  const txt = join(work.path, 'note.txt');
  writeFileSync(txt, 'a note');
  const p7s = (
    await sealdesk('seal', txt, '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--tsa', 'soon', '--json')
  ).json();
  const cades = await services['history:chain']({ id: p7s.operationId });
  expect(cades).toMatchObject({
    kind: 'p7s',
    intact: true,
    links: [{ n: 1, kind: 'signature-timestamp', hashAlgorithm: null }],
  });
  expect(cades!.protectedUntil).toBe(soonNotAfter); // its one time-stamp's TSA certificate ends in 10 days
  await expect(services['history:chain']({ id: 'no-such-record' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
}, 60_000);

it('sealed files come due too (a PDF and a .p7s time-stamped by the expiring TSA); a job restamps each in place, once', async () => {
  const { writeMinimalPdf } = await import('../../helpers/pdfs.js');
  const { openssl } = await import('../../helpers/openssl.js');
  const key = ['--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--tsa', 'soon', '--json'];
  const pdf = (
    await sealdesk('seal', writeMinimalPdf(join(work.path, 'due-lease.pdf')), ...key, '--level', 'B-T')
  ).json();
  expect(pdf.operationId, JSON.stringify(pdf)).toBeTruthy();
  const csv = join(work.path, 'due-totals.csv');
  writeFileSync(csv, `year,total\n2026,${Math.random()}\n`);
  const p7s = (await sealdesk('seal', csv, ...key)).json();
  const due = await services['restamp:due']({ withinDays: 30 });
  const seals = due.chains.filter((c) => c.id === pdf.operationId || c.id === p7s.operationId);
  expect(seals.map((c) => [c.id, c.kind, c.file, c.tsaName, c.tsaCertNotAfter]).sort()).toEqual(
    [
      [pdf.operationId, 'pdf', pdf.outputPath, 'Soon TSA', soonNotAfter],
      [p7s.operationId, 'p7s', p7s.p7sPath, 'Soon TSA', soonNotAfter],
    ].sort(),
  );
  expect(due.byTsa['Soon TSA']).toBeGreaterThanOrEqual(2);

  const { id } = await services['jobs:restamp']({ ids: seals.map((c) => c.id), tsa: 'long', withinDays: 30 });
  const s = await until(id);
  expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0); // a .p7s chain is judged against the anchors
  expect(s).toMatchObject({ state: 'done', done: 2, failed: 0, total: 2 });
  expect((s.results as RestampItem[]).map((r) => [r.kind, r.newId]).sort()).toEqual(
    [
      ['p7s', p7s.operationId],
      ['pdf', pdf.operationId],
    ].sort(),
  );
  const pdfChain = await services['history:chain']({ id: pdf.operationId });
  expect(pdfChain).toMatchObject({
    kind: 'pdf',
    intact: true,
    links: [
      { kind: 'signature-timestamp', tsaName: expect.stringContaining('Expiring') },
      { kind: 'document-timestamp' },
    ],
  });
  const p7sChain = await services['history:chain']({ id: p7s.operationId });
  expect(p7sChain).toMatchObject({
    kind: 'p7s',
    intact: true,
    links: [{ kind: 'signature-timestamp' }, { kind: 'archive-timestamp' }],
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
  expect(
    (await services['restamp:due']({ withinDays: 30 })).chains.filter(
      (c) => c.id === pdf.operationId || c.id === p7s.operationId,
    ),
  ).toEqual([]);
});
