// The real renderer build in Debian's Chromium, talking to the real main-process services through the loopback host.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertStamp, openLedger } from '../../core/ledger/index.js';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { createServices } from '../../main/services.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
if (!CHROMIUM) console.warn('SKIPPED: renderer e2e tests need Debian\'s chromium (apt-get install chromium)');
const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(root, 'test-results', 'screenshots');
const work = tempDir('e2e');
let host: LoopbackHost;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root });
  const dataDir = join(work.path, 'data');
  const db = openLedger(join(dataDir, 'ledger.sqlite'));
  insertStamp(db, { id: 'queued-1', fileSha512: 'e'.repeat(128), imprintAlgorithm: 'sha512', imprint: new Uint8Array(64), label: 'offline', filePath: null, tsrPath: null, requestedTsa: 'auto', createdAt: '2026-01-01T00:00:00Z' });
  db.close();
  host = await startLoopbackHost({ services: createServices({ dataDir, version: '0.1.0-e2e' }), rendererDir: join(root, 'renderer', 'dist') });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  work.remove();
});

describe.skipIf(!CHROMIUM)('renderer', () => {
  it('shows the version, data folder and ledger from the real services, under a strict CSP', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    await page.goto(host.url);
    await expect.poll(() => page.locator('dd').allTextContents(), { timeout: 10_000 }).toEqual(['0.1.0-e2e', join(work.path, 'data'), '0 stamped, 1 queued']);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sealdesk');
    expect(violations, violations.join('\n')).toEqual([]);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'home.png') });
  });

  it('follows the OS theme: dark when the OS is dark', async () => {
    const page = await browser.newPage({ colorScheme: 'dark' });
    await page.goto(host.url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor'); // runs in the page
    expect(bg).toBe('rgb(22, 25, 29)');
    await page.screenshot({ path: join(shots, 'home-dark.png') });
  });

  it('the host refuses API calls from another origin, like IPC refuses other frames', async () => {
    const res = await fetch(`${host.url}api/app:info`, { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
