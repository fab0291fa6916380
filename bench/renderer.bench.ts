// The desktop renderer in Chromium: time to first contentful and to first meaningful paint (the Stamp view ready),
// and long tasks on the UI thread while 1,000 files are stamped in a job (goal: none over 100 ms).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { addTsa, openLedger, listTsas, setTsaEnabled } from '../core/ledger/index.js';
import { startLoopbackHost } from '../main/loopback-host.js';
import { createServices } from '../main/services/index.js';
import { startTsaProcess } from './tsa-process.js';

const N = Number(process.env.BENCH_RENDERER_FILES ?? 1000);
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
if (!CHROMIUM) throw new Error('needs Debian chromium');
const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'renderer-'));
const tsa = await startTsaProcess(work);
try {
  execFileSync(process.execPath, [
    'node_modules/vite/bin/vite.js',
    'build',
    '--config',
    'renderer/vite.config.ts',
    '--logLevel',
    'warn',
  ]);
  const dataDir = join(work, 'data');
  const db = openLedger(join(dataDir, 'ledger.sqlite'));
  for (const t of listTsas(db)) if (t.enabled) setTsaEnabled(db, t.slug, false);
  addTsa(db, { slug: 'loop', url: tsa.url });
  db.close();
  const files = Array.from({ length: N }, (_, i) => {
    mkdirSync(join(work, 'files'), { recursive: true });
    const p = join(work, 'files', `doc-${i}.txt`);
    writeFileSync(p, `document ${i}\n`);
    return p;
  });
  const host = await startLoopbackHost({
    services: createServices({ dataDir, version: 'bench' }),
    rendererDir: 'renderer/dist',
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const page = await browser.newPage();
  const t0 = performance.now();
  await page.goto(host.url);
  await page.getByRole('heading', { level: 2, name: 'Stamp' }).waitFor();
  const meaningful = performance.now() - t0;
  const fcp = await page.evaluate(
    'performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint")?.startTime ?? -1',
  );
  console.log(
    `first contentful paint ${Number(fcp).toFixed(0)} ms; Stamp view ready ${meaningful.toFixed(0)} ms after navigation`,
  );

  // Long tasks while a 1,000-file job runs and the page polls it (as the Stamp view and the status bar do).
  const result = (await page.evaluate(`(async (paths) => {
    const long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
    const started = await window.api.jobsStamp({ paths });
    const t = performance.now();
    for (;;) {
      const s = await window.api.jobsStatus({ id: started.value.id });
      if (s.value.state !== 'running') return { long, ms: performance.now() - t, done: s.value.done };
      await new Promise((r) => setTimeout(r, 200));
    }
  })(${JSON.stringify(files)})`)) as { long: number[]; ms: number; done: number };
  console.log(
    `${result.done} files stamped in ${(result.ms / 1000).toFixed(1)} s; UI long tasks: ${result.long.length}, ` +
      `longest ${Math.max(0, ...result.long).toFixed(0)} ms (goal: none over 100 ms)`,
  );
  await browser.close();
  await host.close();
} finally {
  await tsa.stop();
  rmSync(work, { recursive: true, force: true });
}
