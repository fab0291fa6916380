// The UI stays responsive while the worker host works: the real renderer and the real preload in Chromium, the
// services in a worker thread behind the loopback host. During a bulk restamp (10,000 due chains by default; set
// SEALDESK_RESPONSIVE_CHAINS) against the loopback OpenSSL TSA, and while verifying a sealed 100 MB PDF, the test
// clicks through every view and measures in the page, for each click, the input delay (event timeStamp → handler) and
// the time to the next frame. Asserted structurally: each click switched the view while the job was still running
// (seen from the pushed events), the restamp is cancelled from the page, the verification ends with its result. The
// measured delays go to test-results/responsiveness.json and are printed (no timed assertion).
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStamp, openLedger } from '../../core/ledger/index.js';
import type { StampRecord } from '../../core/model/stamp.js';
import type { SealdeskApi } from '../../preload/api.js';
import { startServiceHost, type ServiceHost } from '../../main/host/start.js';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createMainSide } from '../../main/main-side.js';
import { insertChainCopies } from '../helpers/chain-fixtures.js';
import { cliWithTsas } from '../helpers/cli.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { createTestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';

const CHAINS = Number(process.env.SEALDESK_RESPONSIVE_CHAINS ?? 10_000);
const PDF_MB = Number(process.env.SEALDESK_RESPONSIVE_PDF_MB ?? 100);
const VIEWS = ['Stamp', 'Seal', 'Verify', 'Inspect', 'History', 'Restamp', 'Settings'] as const;
/** The page's window, with the api the real preload exposes (page.evaluate callbacks run in the page). */
type Win = { api: SealdeskApi };
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = tempDir('responsive');
const dataDir = join(work.path, 'data');
let soon: LoopbackTsa;
let one: LoopbackTsa;
let services: ServiceHost;
let host: LoopbackHost;
let browser: Browser;
let page: Page;
let sealedPdf = '';
const violations: string[] = [];
const report: Record<string, unknown> = { chains: CHAINS, pdfMb: PDF_MB };

/** A one-page PDF carrying `mb` MiB of random bytes in a stream the page does not draw (an attachment's weight). */
function bigPdf(path: string, mb: number): string {
  const fd = openSync(path, 'w');
  let size = 0;
  const offsets: number[] = [];
  const put = (b: Buffer | string) => (size += writeSync(fd, typeof b === 'string' ? Buffer.from(b, 'latin1') : b));
  const obj = (n: number, body: string) => ((offsets[n] = size), put(`${n} 0 obj\n${body}\nendobj\n`));
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  obj(1, '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(data.bin) 6 0 R] >> >> >>');
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  const text = 'BT /F1 18 Tf 72 760 Td (A large document) Tj ET';
  obj(
    3,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 7 0 R >> >> >>',
  );
  obj(4, `<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
  offsets[5] = size;
  put(`5 0 obj\n<< /Type /EmbeddedFile /Length ${mb * 1024 * 1024} >>\nstream\n`);
  for (let i = 0; i < mb; i++) put(randomBytes(1024 * 1024));
  put('\nendstream\nendobj\n');
  obj(6, '<< /Type /Filespec /F (data.bin) /EF << /F 5 0 R >> >>');
  obj(7, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const xref = size;
  put(
    `xref\n0 8\n0000000000 65535 f\r\n${offsets
      .slice(1)
      .map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`)
      .join('')}`,
  );
  put(`trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  closeSync(fd);
  return path;
}

/** In the page, before any script: every click's input delay and time to the next frame, long tasks, job states. */
const MEASURE = `(() => {
  const m = { clicks: [], longTasks: [], slowEvents: [], jobs: {} };
  window.__measure = m;
  document.addEventListener('click', (e) => {
    const start = performance.now();
    const label = e.target && e.target.textContent ? e.target.textContent.trim().slice(0, 40) : '';
    requestAnimationFrame(() => m.clicks.push({
      label, inputDelayMs: start - e.timeStamp, toNextFrameMs: performance.now() - e.timeStamp,
    }));
  }, { capture: true });
  try {
    new PerformanceObserver((l) => {
      for (const t of l.getEntries()) m.longTasks.push({ at: t.startTime, ms: t.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((l) => {
      for (const t of l.getEntries()) {
        m.slowEvents.push({ name: t.name, ms: t.duration, inputDelayMs: t.processingStart - t.startTime });
      }
    }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  } catch {}
  const follow = () => window.api && window.api.onEvent((e) => {
    if (e.kind === 'job') m.jobs[e.status.id] = { state: e.status.state, done: e.status.done, total: e.status.total };
  });
  if (!follow()) document.addEventListener('DOMContentLoaded', follow);
})();`;

type Measure = {
  clicks: { label: string; inputDelayMs: number; toNextFrameMs: number }[];
  longTasks: { at: number; ms: number }[];
  slowEvents: { name: string; ms: number; inputDelayMs: number }[];
  jobs: Record<string, { state: string; done: number; total: number }>;
};
const measure = () => page.evaluate(() => (globalThis as unknown as { __measure: Measure }).__measure);
const jobState = async (id: string) => (await measure()).jobs[id];

/**
 * Clicks through the views, each time waiting for its heading, for `rounds` rounds or, with `untilEnd`, for as long
 * as the job runs. Every view must have been switched to at least once while the job was still running.
 */
async function clickThrough(
  id: string,
  o: { rounds: number; untilEnd?: boolean },
): Promise<{ view: string; jobDone: number; running: boolean }[]> {
  const seen: { view: string; jobDone: number; running: boolean }[] = [];
  for (let i = 0; i < o.rounds * VIEWS.length || (o.untilEnd && (await jobState(id))?.state === 'running'); i++) {
    const view = VIEWS[i % VIEWS.length]!;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
    await page.getByRole('heading', { level: 2, name: view }).waitFor();
    const s = await jobState(id);
    seen.push({ view, jobDone: s?.done ?? 0, running: s?.state === 'running' });
  }
  const whileRunning = new Set(seen.filter((c) => c.running).map((c) => c.view));
  expect([...whileRunning].sort(), 'views switched to while the job was running').toEqual([...VIEWS].sort());
  return seen;
}

function summarize(before: Measure, after: Measure) {
  const clicks = after.clicks.slice(before.clicks.length);
  const longTasks = after.longTasks.slice(before.longTasks.length);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : 0);
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    clicks: clicks.length,
    inputDelayMs: {
      median: r(median(clicks.map((c) => c.inputDelayMs))),
      max: r(max(clicks.map((c) => c.inputDelayMs))),
    },
    toNextFrameMs: {
      median: r(median(clicks.map((c) => c.toNextFrameMs))),
      max: r(max(clicks.map((c) => c.toNextFrameMs))),
    },
    longTasks: { count: longTasks.length, maxMs: r(max(longTasks.map((t) => t.ms))) },
    slowEvents: after.slowEvents.slice(before.slowEvents.length).length,
    perClick: clicks.map((c) => ({ ...c, inputDelayMs: r(c.inputDelayMs), toNextFrameMs: r(c.toNextFrameMs) })),
  };
}

beforeAll(async () => {
  if (!CHROMIUM) return;
  const setup = Date.now();
  // Its own build: other e2e files may build in parallel.
  const rendererDir = buildRenderer(join(work.path, 'renderer'));
  const pki = await createTestPki(join(work.path, 'pki'));
  // TSA Soon's certificate expires in 30 days: its stamps are due in a 60-day window; TSA One (2040) extends them.
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 30 })) });
  one = await startTsa({ pki });
  const sealdesk = await cliWithTsas(
    { SEALDESK_HOME: dataDir, SEALDESK_TSA_TIMEOUT_MS: '20000' },
    { one: { url: one.url, name: 'TSA One' } },
  );
  expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'TSA Soon')).code).toBe(0);
  const seeds: StampRecord[] = [];
  for (const n of [1, 2]) {
    const f = join(work.path, `seed-${n}.txt`);
    writeFileSync(f, `seed ${n}\n`);
    const r = await sealdesk('stamp', f, '--tsa', 'soon', '--json');
    expect(r.code, r.stderr).toBe(0);
    const db = openLedger(join(dataDir, 'ledger.sqlite'));
    seeds.push(getStamp(db, r.json().id)!);
    db.close();
  }
  expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0);
  const db = openLedger(join(dataDir, 'ledger.sqlite'));
  insertChainCopies(db, seeds, CHAINS, { prefix: 'due', dir: join(work.path, 'files') });
  db.close();
  const big = bigPdf(join(work.path, 'big.pdf'), PDF_MB);
  sealedPdf = join(work.path, 'big-sealed.pdf');
  const sealed = await sealdesk(
    'seal',
    big,
    '--tsa',
    'none',
    '--key',
    pki.signer.keyPath,
    '--chain',
    pki.signer.chainPath,
    '--out',
    sealedPdf,
  );
  expect(sealed.code, sealed.stderr).toBe(0);

  services = await startServiceHost({ options: { dataDir, version: '0.1.0-e2e', tsaTimeoutMs: 20_000 } });
  const side = createMainSide({ hooks: { chooseFiles: async () => [sealedPdf] } });
  host = await startLoopbackHost({ services: services.services, rendererDir, side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await watchCsp(page, violations);
  await page.addInitScript({ content: MEASURE });
  await page.goto(host.url);
  await page.getByRole('heading', { level: 2, name: 'Stamp' }).waitFor();
  report.setupSeconds = (Date.now() - setup) / 1000;
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await services?.close();
  await soon?.close();
  await one?.close();
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(join(root, 'test-results', 'responsiveness.json'), `${JSON.stringify(report, null, 2)}\n`);
  work.remove();
});

describe.skipIf(!CHROMIUM)('the window stays responsive while the host works', () => {
  it(
    `clicks through every view during a bulk restamp of ${CHAINS} chains, then cancels it from the page`,
    { timeout: 240_000 },
    async () => {
      const ids = Array.from({ length: CHAINS }, (_, i) => `due-${i}`);
      const before = await measure();
      const started = Date.now();
      const id = (await page.evaluate(async (ids) => {
        const r = await (globalThis as unknown as Win).api.jobsRestamp({ ids, tsa: 'one' });
        if (!r.ok) throw new Error(r.error.message);
        return r.value.id;
      }, ids)) as string;
      // The status bar follows the job from pushed events.
      await page
        .getByRole('contentinfo', { name: 'Status' })
        .getByText(new RegExp(`restamp \\d+/${CHAINS}`))
        .waitFor();
      const clicks = await clickThrough(id, { rounds: 2 });
      expect(clicks.every((c) => c.running)).toBe(true); // it is cancelled below, so it ran all along
      const cancelled = await page.evaluate(
        async (id) => (await (globalThis as unknown as Win).api.jobsCancel({ id })).ok,
        id,
      );
      expect(cancelled).toBe(true);
      await expect.poll(async () => (await jobState(id))?.state, { timeout: 60_000 }).toBe('cancelled');
      const final = await jobState(id);
      expect(final!.done).toBeLessThan(CHAINS); // cancelled before the end
      await page.getByRole('contentinfo', { name: 'Status' }).getByText('no job running').waitFor();
      const summary = summarize(before, await measure());
      report.restamp = {
        ...summary,
        jobSeconds: (Date.now() - started) / 1000,
        chainsRestampedBeforeCancel: final!.done,
        doneAtEachClick: clicks,
      };
      console.log(
        `responsiveness, bulk restamp of ${CHAINS} chains: ${JSON.stringify({ ...summary, perClick: undefined })}`,
      );
    },
  );

  it(`clicks through every view while a sealed ${PDF_MB} MB PDF is verified`, { timeout: 240_000 }, async () => {
    const before = await measure();
    const started = Date.now();
    const id = (await page.evaluate(async () => {
      const chosen = await (globalThis as unknown as Win).api.desktopChooseFiles({});
      if (!chosen.ok) throw new Error(chosen.error.message);
      const r = await (globalThis as unknown as Win).api.jobsVerify({ files: chosen.value.map((f) => f.handle) });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.id;
    })) as string;
    await page
      .getByRole('contentinfo', { name: 'Status' })
      .getByText(/verify 0\/1/)
      .waitFor();
    const clicks = await clickThrough(id, { rounds: 1, untilEnd: true });
    await expect.poll(async () => (await jobState(id))?.state, { timeout: 180_000 }).toBe('done');
    const result = await page.evaluate(async (id) => await (globalThis as unknown as Win).api.jobsStatus({ id }), id);
    expect(result.ok && result.value.results).toHaveLength(1);
    expect(result.ok && result.value.results[0]).toMatchObject({ kind: 'pdf' });
    const summary = summarize(before, await measure());
    report.verify = { ...summary, jobSeconds: (Date.now() - started) / 1000, doneAtEachClick: clicks };
    console.log(`responsiveness, verifying a ${PDF_MB} MB PDF: ${JSON.stringify({ ...summary, perClick: undefined })}`);
    expect(violations).toEqual([]);
  });
});
