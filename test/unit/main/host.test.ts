// The service host: the services in a worker thread (or a child process) behind an object of the Services type;
// every call answered with its value or the host's stable error code; bytes cross as bytes; progress, the job list,
// the ledger summary and the TSAs' reachability arrive as pushed events (the test never polls); jobs and a report
// export are cancelled; a host that dies is restarted at the next call; a PKCS#11 token is listed; close() ends it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServiceHost, type ServiceHost } from '../../../main/host/start.js';
import { toApiError } from '../../../main/errors.js';
import type { JobStatus, SealdeskEvent, StampItem } from '../../../preload/api.js';
import { cliRunner, isolateTsas } from '../../helpers/cli.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { createTestPki } from '../../helpers/pki.js';
import { SOFTHSM_MODULE, createSoftHsmToken } from '../../helpers/softhsm.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('host');
let tsa: LoopbackTsa;
let host: ServiceHost;
const events: SealdeskEvent[] = [];
const waiters: { test: (e: SealdeskEvent) => boolean; resolve: (e: SealdeskEvent) => void }[] = [];

/** The first pushed event (from now on, or already received since `from`) that passes `test`. */
function nextEvent<K extends SealdeskEvent['kind']>(
  kind: K,
  test: (e: Extract<SealdeskEvent, { kind: K }>) => boolean,
  from = events.length,
): Promise<Extract<SealdeskEvent, { kind: K }>> {
  const ok = (e: SealdeskEvent) => e.kind === kind && test(e as Extract<SealdeskEvent, { kind: K }>);
  const seen = events.slice(from).find(ok);
  if (seen) return Promise.resolve(seen as Extract<SealdeskEvent, { kind: K }>);
  return new Promise((resolve) => waiters.push({ test: ok, resolve: resolve as (e: SealdeskEvent) => void }));
}

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  const sealdesk = cliRunner({ SEALDESK_HOME: work.path });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loop TSA')).code).toBe(0);
  // A loaded machine's OpenSSL can take seconds.
  host = await startServiceHost({ options: { dataDir: work.path, version: 'test', tsaTimeoutMs: 20_000 } });
  host.subscribeEvents((e) => {
    events.push(e);
    for (const w of waiters.splice(0)) {
      if (w.test(e)) w.resolve(e);
      else waiters.push(w);
    }
  });
});
afterAll(async () => {
  await host?.close();
  await tsa.close();
  work.remove();
});

function files(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => {
    const p = join(work.path, `${tag}-${i}.txt`);
    writeFileSync(p, `${tag} ${i} ${Math.random()}`);
    return p;
  });
}

it('answers calls from the host, errors with their stable code, bytes as bytes', async () => {
  expect(await host.services['app:info']({})).toMatchObject({ version: 'test', dataDir: work.path });
  const err = await Promise.resolve(host.services['jobs:status']({ id: 'no-such-job' })).then(
    () => null,
    (e: unknown) => e,
  );
  expect(toApiError(err)).toMatchObject({ code: 'NOT_FOUND', message: 'no job no-such-job' });
  const pdf = writeMinimalPdf(join(work.path, 'small.pdf'));
  const got = await host.services['pdf:bytes']({ path: pdf, offset: 0, length: 5 } as never);
  expect(got.bytes).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(got.bytes).toString('latin1')).toBe('%PDF-');
});

it('pushes the reachability of the enabled TSAs: online, then offline once the only TSA is disabled', async () => {
  const online = await nextEvent('online', (e) => e.state.online !== null, 0);
  expect(online.state).toMatchObject({
    online: true,
    tsas: [{ slug: 'loop', name: 'Loop TSA', reachable: true, message: null }],
  });
  await host.services['tsa:setEnabled']({ slug: 'loop', enabled: false });
  const offline = await nextEvent('online', (e) => e.state.online === false, 0);
  expect(offline.state.tsas).toEqual([]);
  await host.services['tsa:setEnabled']({ slug: 'loop', enabled: true });
  expect((await nextEvent('online', (e) => e.state.online === true)).state.tsas).toHaveLength(1);
});

it(
  'a stamp job: its start, progress and end, the running list and the new ledger count arrive as events',
  { timeout: 15000 },
  async () => {
    const before = await host.services['ledger:summary']({});
    const mark = events.length;
    const { id } = await host.services['jobs:stamp']({ paths: files(5, 'a') } as never);
    const listed = await nextEvent('jobs', (e) => e.running.some((j) => j.id === id), mark);
    expect(listed.running.find((j) => j.id === id)).toMatchObject({ kind: 'stamp', state: 'running', total: 5 });
    const end = await nextEvent('job', (e) => e.status.id === id && e.status.state !== 'running', mark);
    expect(end.status).toMatchObject({ state: 'done', done: 5, total: 5 });
    const progress = events
      .slice(mark)
      .filter((e): e is Extract<SealdeskEvent, { kind: 'job' }> => e.kind === 'job' && e.status.id === id)
      .map((e) => e.status.done);
    expect(progress).toEqual([...progress].sort((x, y) => x - y)); // in order, never backwards
    await nextEvent('jobs', (e) => !e.running.some((j) => j.id === id), mark);
    const final: JobStatus = await host.services['jobs:status']({ id });
    expect(final.results as StampItem[]).toHaveLength(5);
    for (const r of final.results as StampItem[])
      expect(r).toMatchObject({ tsaName: 'Loop TSA', tsrPath: expect.stringMatching(/\.tsr$/) });
    const ledger = await nextEvent('ledger', (e) => e.summary.stamped === before.stamped + 5, mark);
    expect(ledger.summary.stamped).toBe(before.stamped + 5);
  },
);

it('a job is cancelled from outside: the files not started are not stamped', async () => {
  const mark = events.length;
  const { id } = await host.services['jobs:stamp']({ paths: files(30, 'b') } as never);
  await host.services['jobs:cancel']({ id });
  const end = await nextEvent('job', (e) => e.status.id === id && e.status.state !== 'running', mark);
  expect(end.status.state).toBe('cancelled');
  const final = await host.services['jobs:status']({ id });
  if (final.kind !== 'stamp') throw new Error(`a ${final.kind} job`);
  expect(final.results.filter((r) => r.error?.code === 'CANCELLED').length).toBeGreaterThan(0);
});

it('a new subscriber first gets the latest state of each kind', async () => {
  const got: SealdeskEvent['kind'][] = [];
  host.subscribeEvents((e) => got.push(e.kind))();
  expect(new Set(got)).toEqual(new Set(['jobs', 'queue', 'ledger', 'online', 'sync']));
});

it('a host that died fails the calls under way and starts again at the next call', async () => {
  const proc = (host.client as unknown as { proc: { kill(): void } }).proc;
  const pending = Promise.resolve(host.services['restamp:due']({ withinDays: 30 }));
  proc.kill();
  const err = await pending.then(
    () => null,
    (e: unknown) => toApiError(e),
  );
  // Either it answered before the kill landed, or it failed with the stable code.
  if (err) expect(err.code).toBe('HOST_STOPPED');
  expect(await host.services['app:info']({})).toMatchObject({ version: 'test' });
  expect((await host.services['ledger:summary']({})).stamped).toBeGreaterThanOrEqual(5);
});

it('a report export runs as a job: it shows among the running jobs, and cancelling it writes nothing', async () => {
  const pdfs = Array.from({ length: 6 }, (_, i) => writeMinimalPdf(join(work.path, `report-${i}.pdf`)));
  const out = join(work.path, 'report.html');
  const mark = events.length;
  const call = Promise.resolve(host.services['verify:report']({ paths: pdfs, out } as never)).then(
    () => null,
    (e: unknown) => toApiError(e),
  );
  const listed = await nextEvent('jobs', (e) => e.running.some((j) => j.kind === 'report'), mark);
  const job = listed.running.find((j) => j.kind === 'report')!;
  expect(job).toMatchObject({ state: 'running', total: 6 });
  await host.services['jobs:cancel']({ id: job.id });
  expect(await call).toMatchObject({ code: 'CANCELLED' });
  expect(
    (await nextEvent('job', (e) => e.status.id === job.id && e.status.state !== 'running', mark)).status.state,
  ).toBe('cancelled');
  expect(existsSync(out)).toBe(false);
});

it.skipIf(!existsSync(SOFTHSM_MODULE))(
  'a PKCS#11 token is listed by the host (pkcs11js loaded by Node itself, not vitest)',
  async () => {
    const pki = await createTestPki(join(work.path, 'pki-hsm'));
    await createSoftHsmToken(join(work.path, 'hsm'), 'Host Token', [
      { label: 'host-seal', idHex: '0b', cert: pki.signerEc },
    ]);
    const other = await startServiceHost({
      options: { dataDir: join(work.path, 'hsm-data'), version: 'test' },
      timers: false,
    }); // started after SOFTHSM2_CONF is set
    try {
      const tokens = await other.services['tokens:list']({ module: SOFTHSM_MODULE } as never);
      expect(tokens.map((t) => [t.label, t.certificates.map((c) => c.label)])).toEqual([['Host Token', ['host-seal']]]);
    } finally {
      await other.close();
    }
  },
);

it('the same host runs in a child process: calls, bytes and events', async () => {
  const other = await startServiceHost({
    options: { dataDir: join(work.path, 'worker-data'), version: 'worker' },
    spawn: 'process',
    timers: false,
  });
  try {
    expect(await other.services['app:info']({})).toMatchObject({ version: 'worker' });
    const pdf = writeMinimalPdf(join(work.path, 'worker.pdf'));
    expect(
      Buffer.from((await other.services['pdf:bytes']({ path: pdf, offset: 0, length: 5 } as never)).bytes).toString(
        'latin1',
      ),
    ).toBe('%PDF-');
    const kinds = new Set<string>();
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = other.subscribeEvents((e) => {
        kinds.add(e.kind);
        if (kinds.has('ledger') && kinds.has('queue')) resolve();
      });
    });
    stop();
    expect([...kinds]).toEqual(expect.arrayContaining(['ledger', 'queue']));
  } finally {
    await other.close();
  }
});
