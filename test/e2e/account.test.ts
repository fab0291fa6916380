// Settings → Account and the sync indicator in Debian's Chromium (issue 17, "Desktop"): the real renderer, main's own
// account channels (the password and key reach main only; the keychain is a Map standing in for safeStorage) and the
// services in a worker host that runs background sync, against the real server on PGlite and a loopback OpenSSL TSA.
// Sign-in by API key, the status bar going synced → offline (server stopped, the stamp kept) → synced (server back)
// → sign-in needed (key revoked) → synced again after a new sign-in; History's origin column, a label edited here
// reaching the server and one edited on the server showing here; a stamp via the server. Screenshots land in
// test-results/screenshots (docs/screenshots keeps compressed copies).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceHost, type ServiceHost } from '../../main/host/start.js';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import type { SecretStore } from '../../main/services/index.js';
import { buildServer } from '../../server/app.js';
import { cliWithTsas } from '../helpers/cli.js';
import { createTestPki } from '../helpers/pki.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { call, newUser } from '../helpers/server-client.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

const shots = join(fileURLToPath(new URL('../..', import.meta.url)), 'test-results', 'screenshots');
const work = tempDir('e2e-account');
const files = join(work.path, 'files');
let tsa: LoopbackTsa;
let server: TestServer;
let again: FastifyInstance | null = null;
let user: Awaited<ReturnType<typeof newUser>>;
let apiKey: { key: string; id: string };
let colleagueStamp: string;
let serviceHost: ServiceHost;
let host: LoopbackHost;
let browser: Browser;
let page: Page;
let dialogs: TestDialogs;
const keychain = new Map<string, string>();
const violations: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  const rendererDir = buildRenderer(join(work.path, 'renderer'));
  mkdirSync(files);
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  server = await startTestServer(await openTestDatabase('pglite'), {
    tsas: tsaProviders([{ slug: 'loop', url: tsa.url }]),
  });
  user = await newUser(server.url, { organisation: 'Acme' });
  const made = await call(server.url, 'POST', '/api/keys', { token: user.token, body: { label: 'desktop' } });
  apiKey = made.body;
  // A colleague's stamp, made on the server: pulled into History as a remote record.
  const hashHex = createHash('sha256').update('the colleague’s invoice').digest('hex');
  const stamped = await call(server.url, 'POST', '/tsa/stamp-hash', {
    token: user.token,
    body: { hashHex, label: 'colleague invoice' },
  });
  expect(stamped.status, JSON.stringify(stamped.body)).toBe(200);
  const listed = await call(server.url, 'GET', `/api/transactions/details?tenantId=${user.tenantId}`, {
    token: user.token,
  });
  colleagueStamp = listed.body.items[0].id;
  const dataDir = join(work.path, 'data');
  await cliWithTsas({ SEALDESK_HOME: dataDir }, { loop: { url: tsa.url, name: 'Loopback TSA' } });
  const secrets: SecretStore = {
    get: (k) => keychain.get(k) ?? null,
    set: (k, v) => void (v === null ? keychain.delete(k) : keychain.set(k, v)),
  };
  serviceHost = await startServiceHost({
    options: { dataDir, version: '0.1.0-e2e', tsaTimeoutMs: 5000 },
    hooks: { secrets },
    timers: { syncEveryMs: 3_600_000 },
  });
  const test = testSide({ dataDir: join(work.path, 'main') });
  dialogs = test.dialogs;
  host = await startLoopbackHost({ services: serviceHost.services, rendererDir, side: test.side });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await watchCsp(page, violations);
  await page.goto(host.url);
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await serviceHost?.close();
  await again?.close();
  await server?.close();
  await tsa?.close();
  work.remove();
});

const syncStatus = () => page.getByRole('status', { name: 'Sync status', exact: true });
const waitSync = (text: RegExp) => expect.poll(() => syncStatus().textContent(), { timeout: 20_000 }).toMatch(text);

async function open(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: view }).waitFor();
}

/** `target` light then dark (an element's own screenshot). */
async function shoot(name: string, target: Locator): Promise<void> {
  await target.screenshot({ path: join(shots, `${name}-light.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await target.screenshot({ path: join(shots, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function stamp(name: string, viaServer = false): Promise<void> {
  await open('Stamp');
  const file = join(files, name);
  writeFileSync(file, `${name}\n`);
  const remove = page.getByRole('main').getByRole('button', { name: /^Remove / });
  while ((await remove.count()) > 0) await remove.first().click();
  await chooseFiles(page, dialogs, 'Files to stamp', file);
  const via = page.getByRole('checkbox', { name: /^Via the server/ });
  if (viaServer) await via.check();
  else if ((await via.count()) > 0) await via.uncheck();
  await page.getByRole('main').getByRole('button', { name: 'Stamp', exact: true }).click();
  const result = page.getByRole('list', { name: 'Stamp results' }).getByRole('listitem');
  const by = viaServer ? /stamped by loop at/ : /stamped by Loopback TSA/; // the server's TSA, or this computer's
  await expect.poll(() => result.first().textContent(), { timeout: 15_000 }).toMatch(by);
}

describe.skipIf(!CHROMIUM)('Settings → Account and the sync indicator', () => {
  it('signs in by API key: the key goes to main and the keychain, the status bar says synced', async () => {
    await open('Settings');
    const panel = page.getByRole('form', { name: 'Sign in to a Sealdesk server' });
    expect(await syncStatus().count()).toBe(0); // no account: no indicator
    await page.getByLabel('Server URL').fill(server.url);
    await panel.getByLabel('API key').check();
    await page.getByLabel('API key', { exact: true }).last().fill(apiKey.key);
    await page.getByRole('heading', { name: 'Account' }).evaluate((el: any) => el.scrollIntoView());
    await shoot('account-sign-in', panel);
    await panel.getByRole('button', { name: 'Sign in' }).click();
    await waitSync(/^Synced/);
    const account = page.getByLabel('Account', { exact: true });
    await expect.poll(() => account.textContent()).toContain(server.url);
    expect(await page.getByRole('status', { name: 'Account sync status' }).textContent()).toMatch(/^Synced/);
    expect(JSON.parse(keychain.get('sync-account')!).credential).toEqual({ scheme: 'api-key', key: apiKey.key });
    expect(await page.content()).not.toContain(apiKey.key); // the window never gets the key back
    await shoot('account', account);
    await shoot('status-synced', page.getByRole('contentinfo', { name: 'Status' }));
  });

  it("History: each record's origin; a label edited here reaches the server, one edited there shows here", async () => {
    await stamp('minutes.txt');
    await waitSync(/^Synced/);
    await open('History');
    const rows = page.getByRole('table').getByRole('row');
    const colleague = rows.filter({ hasText: 'colleague invoice' });
    await colleague.waitFor({ timeout: 20_000 });
    expect(await colleague.textContent()).toContain('server');
    const ours = rows.filter({ hasText: 'minutes.txt' });
    expect(await ours.textContent()).toContain('this computer');
    await ours.getByRole('button', { name: /^Edit the label of / }).click();
    await ours.getByRole('textbox').fill('minutes, approved');
    await ours.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => ours.textContent()).toContain('minutes, approved');
    const onServer = async (search: string) =>
      (
        await call(server.url, 'GET', `/api/transactions/details?tenantId=${user.tenantId}&search=${search}`, {
          token: user.token,
        })
      ).body.total;
    await expect.poll(() => onServer('approved'), { timeout: 20_000 }).toBe(1);
    // A colleague relabels their stamp on the server: the next sync shows it here.
    const put = await call(server.url, 'PUT', `/api/transactions/${colleagueStamp}/label`, {
      token: user.token,
      body: { label: 'colleague invoice, paid' },
    });
    expect(put.status).toBe(200);
    await page.getByRole('contentinfo', { name: 'Status' }).getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => rows.filter({ hasText: 'colleague invoice, paid' }).count(), { timeout: 20_000 }).toBe(1);
    await shoot('history-origin', page.getByRole('table'));
  });

  it('Stamp via the server: the hash goes to the server, the .tsr comes back beside the file', async () => {
    await stamp('via-server.txt', true);
    const found = await call(server.url, 'GET', `/api/transactions/details?tenantId=${user.tenantId}`, {
      token: user.token,
    });
    expect(found.body.total).toBe(3); // the colleague's, minutes.txt pushed, and this one made there
    expect(existsSync(join(files, 'via-server.txt.tsr'))).toBe(true);
  });

  it('the indicator: offline with the stamp kept when the server stops, synced once it is back', async () => {
    const port = Number(new URL(server.url).port);
    await server.close();
    await stamp('offline.txt');
    await waitSync(/^Sync offline: 1 record to send, kept/);
    await shoot('status-offline', page.getByRole('contentinfo', { name: 'Status' }));
    again = await buildServer(server.ctx); // the same database, on the same port
    await again.listen({ port, host: '127.0.0.1' });
    await page.getByRole('contentinfo', { name: 'Status' }).getByRole('button', { name: 'Sync now' }).click();
    await waitSync(/^Synced/);
  });

  it('sign-in needed once the server revokes the key; a new sign-in sends what waited', async () => {
    const revoked = await call(server.url, 'DELETE', `/api/keys/${apiKey.id}`, { token: user.token });
    expect(revoked.status).toBe(200);
    await stamp('after-revoke.txt');
    await waitSync(/sign-in needed/);
    await shoot('status-sign-in', page.getByRole('contentinfo', { name: 'Status' }));
    await open('Settings');
    const key2 = await call(server.url, 'POST', '/api/keys', { token: user.token, body: { label: 'desktop 2' } });
    const form = page.getByRole('form', { name: 'Sign in to a Sealdesk server' });
    expect(await form.getByLabel('Server URL').inputValue()).toBe(server.url);
    await form.getByLabel('API key').check();
    await form.getByLabel('API key', { exact: true }).last().fill(key2.body.key);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await waitSync(/^Synced/);
    const listed = await call(server.url, 'GET', `/api/transactions/details?tenantId=${user.tenantId}`, {
      token: user.token,
    });
    expect(listed.body.total).toBe(5); // after-revoke.txt, kept while signed out of the server, went now
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in to a Sealdesk server' }).waitFor();
    expect(keychain.has('sync-account')).toBe(false);
    expect(violations).toEqual([]);
  });
});
