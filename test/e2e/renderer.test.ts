// The real renderer build in Debian's Chromium, talking to the real main-process services through the loopback host:
// every view driven as a user would, against a loopback OpenSSL TSA and the test CA; one screenshot per view.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackHost, type LoopbackHost } from '../../main/loopback-host.js';
import { startServiceHost, type ServiceHost } from '../../main/host/start.js';
import { OpenedQueue } from '../../main/services/index.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';
import { openssl } from '../helpers/openssl.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { tempDir } from '../helpers/tmp.js';
import { SOFTHSM_MODULE, createSoftHsmToken, type SoftHsmToken } from '../helpers/softhsm.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';
import { CHROMIUM, buildRenderer, launchChromium, watchCsp } from './chromium.js';
import { chooseFiles, testSide, type TestDialogs } from './dialogs.js';

if (!CHROMIUM) console.warn("SKIPPED: renderer e2e tests need Debian's chromium (apt-get install chromium)");
const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = join(root, 'test-results', 'screenshots');
const corpusAttack = join(
  root,
  '..',
  'shared',
  'corpus',
  'pdf',
  'attacks',
  'itext_isaValidPdf_incremental-saving-attack.pdf',
);
const work = tempDir('e2e');
const dataDir = join(work.path, 'data');
const files = join(work.path, 'files');
let host: LoopbackHost;
let serviceHost: ServiceHost;
let browser: Browser;
let page: Page;
let pki: TestPki;
let tsa: LoopbackTsa;
const violations: string[] = [];
const opened = new OpenedQueue(); // stands in for the OS handing files to the app (file associations)
let attack = '';
let token: SoftHsmToken | null = null;
let dialogs: TestDialogs; // main's native dialogs, answered by the test

beforeAll(async () => {
  if (!CHROMIUM) return;
  buildRenderer();
  mkdirSync(files, { recursive: true });
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  // The same data folder the CLI would use: its TSA list and a CA-issued certificate, as an admin would set them up.
  const sealdesk = cliRunner({ SEALDESK_HOME: dataDir, SEALDESK_TSA_TIMEOUT_MS: '1500' });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loopback TSA')).code).toBe(0);
  expect((await sealdesk('cert', 'import', '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath)).code).toBe(0);
  if (existsSync(corpusAttack)) {
    attack = join(files, 'isa-attack.pdf'); // a copy: extracting a revision writes beside it, never into the corpus
    copyFileSync(corpusAttack, attack);
  }
  if (existsSync(SOFTHSM_MODULE))
    token = await createSoftHsmToken(join(work.path, 'hsm'), 'Desk Token', [
      { label: 'desk-seal', idHex: '0a', cert: pki.signerEc },
    ]);
  // The services in the worker host, as in the app (a utilityProcess there): the page gets their pushed events.
  serviceHost = await startServiceHost({ options: { dataDir, version: '0.1.0-e2e', tsaTimeoutMs: 1500 } });
  const made = testSide({ dataDir, opened });
  dialogs = made.dialogs;
  host = await startLoopbackHost({
    services: serviceHost.services,
    rendererDir: join(root, 'renderer', 'dist'),
    side: made.side,
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await watchCsp(page, violations);
  await page.goto(host.url);
  mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await serviceHost?.close();
  await tsa?.close();
  work.remove();
});

async function open(view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 2, name: view }).waitFor();
}

/** A file chosen in main's open dialog (answered by the test): the picker shows its name. */
const addPath = (picker: string, path: string) => chooseFiles(page, dialogs, picker, path);

/** A button of the current view (the navigation has buttons with the same names). */
const action = (name: string) => page.getByRole('main').getByRole('button', { name, exact: true });
const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

describe.skipIf(!CHROMIUM)('the desktop views in Chromium', () => {
  it('Stamp: a file stamped by the loopback TSA, its .tsr beside it', async () => {
    const doc = join(files, 'minutes.txt');
    writeFileSync(doc, 'Board minutes, 2026-11-24\n');
    await open('Stamp');
    await addPath('Files to stamp', doc);
    await page.getByLabel('Label').fill('board');
    await action('Stamp').click();
    const result = page.getByRole('list', { name: 'Stamp results' }).getByRole('listitem');
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toMatch(/stamped by Loopback TSA at .* → .*minutes\.txt\.tsr/);
    expect(existsSync(`${doc}.tsr`)).toBe(true);
    await shot('stamp');
  });

  it('Stamp: when every TSA fails, each one tried is listed with how it failed (ALL_TSAS_FAILED details)', async () => {
    const doc = join(files, 'refused.txt');
    writeFileSync(doc, 'no TSA will stamp this\n');
    tsa.setMode('http503');
    try {
      await open('Stamp');
      await addPath('Files to stamp', doc);
      await action('Stamp').click();
      const tried = page.getByRole('list', { name: 'Time-stamping authorities tried' });
      await tried.waitFor({ timeout: 15_000 });
      expect(await tried.getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(/^Loopback TSA \(loop\): refused \(HTTP\) — .*503/),
      ]);
      expect(existsSync(`${doc}.tsr`)).toBe(false);
      await shot('stamp-all-tsas-failed');
    } finally {
      tsa.setMode('ok');
    }
  });

  it('job:progress is pushed to the page while a job runs (server-sent events here, IPC in the app)', async () => {
    const paths = [1, 2, 3].map((i) => {
      const p = join(files, `pushed-${i}.txt`);
      writeFileSync(p, `pushed ${i}`);
      return p;
    });
    dialogs.willChoose(...paths);
    const events = (await page.evaluate(`new Promise(async (resolve) => {
      const seen = [];
      const stop = window.api.onJobProgress((s) => {
        seen.push([s.state, s.done, s.total]);
        if (s.state !== 'running') { stop(); resolve(seen); }
      });
      await new Promise((r) => setTimeout(r, 200)); // the event stream is open
      const chosen = await window.api.desktopChooseFiles({});
      await window.api.jobsStamp({ files: chosen.value.map((f) => f.handle) });
    })`)) as [string, number, number][];
    expect(events.at(-1)).toEqual(['done', 3, 3]);
    expect(events.map((e) => e[1])).toEqual([...events.map((e) => e[1])].sort((a, b) => a - b)); // progress only grows
  });

  it('Stamp: "qualified time-stamps only" is refused, saying why, while no EU trusted list is loaded', async () => {
    const doc = join(files, 'qualified.txt');
    writeFileSync(doc, 'to be stamped by a qualified TSA only\n');
    await open('Inspect');
    await open('Stamp'); // a fresh view
    await addPath('Files to stamp', doc);
    await page.getByLabel('Qualified time-stamps only').check(); // `sealdesk stamp --qualified`
    const refused = page.getByRole('alert').filter({ hasText: 'no EU trusted list is loaded' });
    await action('Which TSAs qualify?').click(); // `--qualified --dry-run`
    await expect.poll(() => refused.count()).toBe(1);
    await action('Stamp').click();
    await expect.poll(() => refused.count(), { timeout: 15_000 }).toBe(2);
    expect(existsSync(`${doc}.tsr`)).toBe(false);
  });

  it('Seal: a labelled PDF with the CA-issued certificate (B-T), another with the default seal', async () => {
    await open('Seal');
    const contract = writeMinimalPdf(join(files, 'contract.pdf'));
    await addPath('Files to seal', contract);
    await page.getByLabel('Certificate').selectOption({ label: 'CN=Sealdesk Test Seal RSA, O=Sealdesk Tests, C=NO' });
    await page.getByLabel('Reason').fill('Approved');
    await page.getByLabel('Label', { exact: true }).fill('Contracts 2026'); // `sealdesk seal --label`
    await page.getByLabel('Visible seal on the page').check();
    await page.getByRole('img', { name: "Page 1 of 1 with the seal's box" }).waitFor();
    await page.getByLabel('x', { exact: true }).fill('60');
    await page.getByLabel('y', { exact: true }).fill('740'); // over the title: warned
    await page.getByRole('status').filter({ hasText: 'covers what the page already shows' }).waitFor();
    await page.getByLabel('x', { exact: true }).fill('340');
    await page.getByLabel('y', { exact: true }).fill('60');
    await page.getByRole('slider', { name: /Seal position/ }).focus();
    await page.keyboard.press('ArrowUp'); // 5 points up, still on blank space
    expect(await page.getByLabel('y', { exact: true }).inputValue()).toBe('65');
    expect(await page.getByRole('status').filter({ hasText: 'covers what' }).count()).toBe(0);
    await action('Seal').click();
    const results = page.getByRole('list', { name: 'Seal results' }).getByRole('listitem');
    await expect
      .poll(() => results.first().textContent(), { timeout: 15_000 })
      .toMatch(/sealed \(PAdES B-T, time-stamped by Loopback TSA\) → .*contract_sealed\.pdf/);
    expect(await results.first().textContent()).not.toMatch(/Warning/);
    // The label typed in the view is the operation's label in the ledger (read back by the CLI on the same folder).
    const sealdesk = cliRunner({ SEALDESK_HOME: dataDir });
    const listed = (await sealdesk('operations', '--search', 'Contracts 2026', '--json')).json() as {
      items: { label: string; filePath: string; outputPath: string }[];
    };
    expect(listed.items.map((o) => [o.label, o.filePath, o.outputPath])).toEqual([
      ['Contracts 2026', contract, join(files, 'contract_sealed.pdf')],
    ]);
    await shot('seal');
    await page.getByLabel('Visible seal on the page').uncheck();
    await page.getByRole('button', { name: /^Remove / }).click();
    await addPath('Files to seal', writeMinimalPdf(join(files, 'memo.pdf')));
    await page.getByLabel('Certificate').selectOption({ label: 'Default seal of this computer (self-signed)' });
    await action('Seal').click();
    await expect.poll(() => results.first().textContent(), { timeout: 15_000 }).toMatch(/memo_sealed\.pdf/);
  });

  it('Settings: the test CA becomes a trust anchor; the TSAs are listed', async () => {
    await open('Settings');
    dialogs.willChoose(pki.root.certPath);
    dialogs.willConfirm(true);
    await action('Add a CA certificate…').click();
    await page
      .getByRole('list', { name: 'Trust anchors' })
      .getByText(/Sealdesk Test Root CA/)
      .waitFor();
    expect(dialogs.confirmAsked.at(-1)?.detail).toMatch(
      /Subject: .*Sealdesk Test Root CA[\s\S]*SHA-256: ([0-9A-F]{2}:){31}[0-9A-F]{2}/,
    );
    expect(await page.getByLabel('Loopback TSA', { exact: true }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Move Loopback TSA earlier' }).click();
    const order = async () => (await page.getByRole('list', { name: /round-robin order/ }).textContent()) ?? '';
    await expect
      .poll(async () => (await order()).indexOf('Loopback TSA') < (await order()).indexOf('SK ID Solutions (RSA'))
      .toBe(true);
    await page.getByRole('button', { name: 'Test Loopback TSA' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /OK \(\d+ ms\): answered with a valid token/ })
            .count(),
        { timeout: 10_000 },
      )
      .toBe(1);
    await shot('settings');
    // `sealdesk tsa add spare <url> --name "Spare TSA" --hash sha256 --qualified`, then disabled again.
    const add = page.getByRole('form', { name: 'Add a time-stamping authority' });
    await add.getByLabel('Short name').fill('spare');
    await add.getByLabel('URL').fill(tsa.url);
    await add.getByLabel('Display name').fill('Spare TSA');
    await add.getByLabel('Hash').selectOption('sha256');
    await add.getByLabel('Qualified (eIDAS) service').check();
    await add.getByRole('button', { name: 'Add TSA' }).click();
    await page.getByLabel('Spare TSA', { exact: true }).click(); // checked as the list main returns says
    await expect.poll(() => page.getByLabel('Spare TSA', { exact: true }).isChecked()).toBe(false);
    const listed = (await cliRunner({ SEALDESK_HOME: dataDir })('tsa', 'list', '--json')).json() as {
      proxySlug: string;
      name: string;
      preferredHashOid: string;
      qualified: boolean;
      isActive: boolean;
    }[];
    expect(listed.find((t) => t.proxySlug === 'spare')).toMatchObject({
      name: 'Spare TSA',
      preferredHashOid: '2.16.840.1.101.3.4.2.1', // SHA-256
      qualified: true,
      isActive: false,
    });
    // `sealdesk tsa remove spare`: asked once more in the list, then gone from the ledger.
    await page.getByRole('button', { name: 'Remove Spare TSA', exact: true }).click();
    await page.getByRole('group', { name: 'Remove Spare TSA?' }).getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => page.getByLabel('Spare TSA', { exact: true }).count()).toBe(0);
    const left = (await cliRunner({ SEALDESK_HOME: dataDir })('tsa', 'list', '--json')).json() as {
      proxySlug: string;
    }[];
    expect(left.map((t) => t.proxySlug)).not.toContain('spare');
    // `sealdesk trust remove <id>`: a second anchor added, then removed in Settings; the test CA stays.
    dialogs.willChoose(pki.signerEc.certPath);
    dialogs.willConfirm(true);
    await action('Add a CA certificate…').click();
    const anchors = page.getByRole('list', { name: 'Trust anchors' }).getByRole('listitem');
    await expect.poll(() => anchors.count()).toBe(2);
    await page.getByRole('button', { name: /^Remove the trust anchor .*Sealdesk Test Seal EC/ }).click();
    await expect.poll(() => anchors.count()).toBe(1);
    expect(await anchors.textContent()).toMatch(/Sealdesk Test Root CA/);
    const kept = (await cliRunner({ SEALDESK_HOME: dataDir })('trust', 'list', '--json')).json() as {
      subject: string;
    }[];
    expect(kept.map((k) => k.subject)).toEqual([expect.stringMatching(/Sealdesk Test Root CA/)]);
    // `sealdesk tsa enable <slug> --url`: a built-in TSA that needs your contract's address, then disabled again.
    const sk = 'SK ID Solutions (ECC, qualified)';
    await page.getByLabel(`Contract URL for ${sk}`).fill(tsa.url);
    await page.getByRole('button', { name: `Enable ${sk} with this URL` }).click();
    await expect.poll(() => page.getByLabel(sk, { exact: true }).isChecked()).toBe(true);
    await page.getByLabel(sk, { exact: true }).click();
    await expect.poll(() => page.getByLabel(sk, { exact: true }).isChecked()).toBe(false);
    const all = (await cliRunner({ SEALDESK_HOME: dataDir })('tsa', 'list', '--json')).json() as { name: string }[];
    expect(all.find((t) => t.name === sk)).toMatchObject({ endpointUrl: tsa.url, isActive: false });
  });

  it('Settings → certificates: a key made here, its CSR signed by OpenSSL as the CA, activated, then revoked', async () => {
    await open('Settings');
    const form = page.getByRole('form', { name: 'New certificate' });
    await form.getByLabel('Name (CN)').fill('Desk Seal CN');
    await form.getByLabel('Organisation').fill('Sealdesk Tests');
    await form.getByLabel('Country').fill('no');
    // `cert provision --ou --locality --state --label --key ec-p384`
    await form.getByLabel('Unit (optional)').fill('Archive');
    await form.getByLabel('Locality (optional)').fill('Bergen');
    await form.getByLabel('State or province (optional)').fill('Vestland');
    await form.getByLabel('Label (optional)').fill('Desk Seal');
    await form.getByLabel('Key').selectOption('ec-p384');
    dialogs.willSave(join(files, 'desk.csr'));
    await form.getByRole('button', { name: 'Create key and save the request…' }).click();
    await page.getByRole('status').filter({ hasText: 'request is saved to' }).waitFor();
    const csr = await openssl([
      'req',
      '-in',
      join(files, 'desk.csr'),
      '-noout',
      '-subject',
      '-nameopt',
      'RFC2253',
      '-text',
    ]);
    expect(csr.stdout).toContain('subject=CN=Desk Seal CN,OU=Archive,O=Sealdesk Tests,L=Bergen,ST=Vestland,C=NO\n');
    expect(csr.stdout).toContain('NIST CURVE: P-384');
    const leaf = join(files, 'desk.pem');
    const ca = await openssl([
      'x509',
      '-req',
      '-in',
      join(files, 'desk.csr'),
      '-CA',
      pki.root.certPath,
      '-CAkey',
      pki.root.keyPath,
      '-set_serial',
      '77',
      '-days',
      '365',
      '-out',
      leaf,
    ]);
    expect(ca.code, ca.stderr).toBe(0);
    writeFileSync(join(files, 'desk-chain.pem'), readFileSync(leaf, 'utf8') + pki.root.certPem);
    dialogs.willChoose(join(files, 'desk-chain.pem'));
    await page.getByRole('button', { name: 'Activate Desk Seal with the chain from the CA' }).click();
    await page.getByRole('status').filter({ hasText: '"Desk Seal" is active' }).waitFor();
    await page.getByRole('button', { name: 'Revoke Desk Seal' }).click();
    await page.getByRole('status').filter({ hasText: '"Desk Seal" is revoked' }).waitFor();
    // the status is set before the list is read again: wait for the list, not for the status alone
    const certificates = page.getByRole('list', { name: 'Certificates' });
    await expect.poll(() => certificates.textContent()).toMatch(/Desk Seal.*file · revoked/);
  });

  it('Settings → tokens, then Seal with the token key: the PIN is asked and not kept', async () => {
    if (!token) return void console.warn(`SoftHSM2 absent (${SOFTHSM_MODULE}): the token flow is not checked`);
    await open('Settings');
    await page.getByLabel('PKCS#11 module').selectOption({ label: 'SoftHSM 2' }); // found at its usual place
    await action('List tokens').click();
    await page.getByRole('button', { name: 'Use desk-seal on Desk Token for sealing' }).click();
    await page.getByRole('status').filter({ hasText: 'Ready to seal with "Desk Token / id:0a"' }).waitFor();
    await open('Seal');
    await addPath('Files to seal', writeMinimalPdf(join(files, 'token.pdf')));
    await page.getByLabel('Certificate').selectOption({ label: 'Desk Token / id:0a' });
    expect(await action('Seal').isDisabled()).toBe(true); // no PIN yet
    await page.getByLabel('Token PIN').fill(token.pin);
    await action('Seal').click();
    const results = page.getByRole('list', { name: 'Seal results' }).getByRole('listitem');
    await expect
      .poll(() => results.first().textContent(), { timeout: 15_000 })
      .toMatch(/sealed \(PAdES B-T.*token_sealed\.pdf/);
    expect(await page.getByLabel('Token PIN').inputValue()).toBe('');
  });

  it('Verify: green for the CA-issued seal, amber (self-signed, explained) for the default seal, red with the reason for an attack', async () => {
    await open('Verify');
    await addPath('Files to verify', join(files, 'contract_sealed.pdf'));
    await addPath('Files to verify', join(files, 'memo_sealed.pdf'));
    if (attack) await addPath('Files to verify', attack);
    await action('Verify').click();
    const card = (file: string) => page.getByRole('article', { name: `Report for ${file}` });
    await card(join(files, 'contract_sealed.pdf')).waitFor({ timeout: 15_000 });
    expect(await card(join(files, 'contract_sealed.pdf')).getAttribute('class')).toMatch(/\bgood\b/);
    expect(await card(join(files, 'contract_sealed.pdf')).textContent()).toMatch(/Valid \(TOTAL-PASSED\)/);
    expect(await card(join(files, 'memo_sealed.pdf')).getAttribute('class')).toMatch(/\bwarn\b/);
    expect(await card(join(files, 'memo_sealed.pdf')).textContent()).toMatch(/self-signed/);
    if (attack) {
      expect(await card(attack).getAttribute('class')).toMatch(/\bbad\b/);
      expect(await card(attack).textContent()).toMatch(
        /Invalid \(TOTAL-FAILED \/ FORMAT_FAILURE\).*changed after signing/s,
      );
      await card(attack).getByText('Details').click();
      dialogs.willSave(join(files, 'isa-attack_revision-1.pdf'));
      await card(attack).getByRole('button', { name: 'Extract signed revision 1' }).click();
      await card(attack).getByRole('status').waitFor();
      expect(existsSync(join(files, 'isa-attack_revision-1.pdf'))).toBe(true);
    } else console.warn(`corpus absent: the attack card is not checked (${corpusAttack})`);
    await shot('verify');
    dialogs.willSave(join(files, 'audit.pdf'));
    await action('Export report (.pdf or .html)…').click();
    await page.getByRole('status').filter({ hasText: 'Report saved' }).waitFor();
    expect(existsSync(join(files, 'audit.pdf'))).toBe(true);
  });

  it("Inspect: every field of the stamp's token", async () => {
    await open('Inspect');
    await addPath('Token (.tsr)', join(files, 'minutes.txt.tsr'));
    await action('Inspect').click();
    const fields = page.getByRole('article', { name: 'Token fields' });
    await expect
      .poll(() => fields.textContent(), { timeout: 10_000 })
      .toMatch(/Sealdesk Test TSA.*verifies with the TSA certificate/s);
    dialogs.willSave(join(files, 'token.der'));
    await action('Save token (DER)…').click();
    await page.getByRole('status').filter({ hasText: 'token.der' }).waitFor();
    const printed = await openssl(['ts', '-reply', '-token_in', '-in', join(files, 'token.der'), '-text']);
    expect(printed.stdout).toMatch(/TSA: .*Sealdesk Test TSA/);
    await shot('inspect');
  });

  it('History: the stamp and the seals, searchable', async () => {
    await open('History');
    const rows = page.locator('table.records tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(token ? 7 : 6); // 4 stamps (1 + 3 pushed-progress files), 2 or 3 seals
    await page.getByLabel('Search').fill('board');
    await action('Search').click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/stamp.*board/);
    await page.getByRole('button', { name: /^Details of stamp board/ }).click();
    const details = page.getByRole('article', { name: 'Record details' });
    await expect.poll(() => details.textContent()).toMatch(/File SHA-512[0-9a-f]{128}.*TSALoopback TSA/s);
    await shot('history');
    // `sealdesk lookup <file>`: the board minutes were stamped once (labelled "board"); a new file never was.
    await page.getByText('Was this file stamped?').click();
    await addPath('File to look up', join(files, 'minutes.txt'));
    await action('Look up').click();
    const found = page.getByRole('status', { name: 'Lookup result' });
    await expect
      .poll(() => found.textContent())
      .toMatch(/^Stamped 1 time\(s\).*Loopback TSA at .* · record .* · "board"$/);
    const fresh = join(files, 'never-stamped.txt');
    writeFileSync(fresh, `never stamped ${Math.random()}`);
    await addPath('File to look up', fresh);
    await action('Look up').click();
    await expect
      .poll(() => found.textContent())
      .toMatch(/^Not stamped: no record of this content \(SHA-512 [0-9a-f]{16}…\)$/);
    expect(violations, violations.join('\n')).toEqual([]);
  });

  it('Restamp: chains due counted and listed, the chosen restamped with progress; History shows the 2-link chain', async () => {
    // A second TSA whose certificate ends in 20 days: what it stamps comes due within 30 days.
    const soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 20 })) });
    const sealdesk = cliRunner({ SEALDESK_HOME: dataDir, SEALDESK_TSA_TIMEOUT_MS: '1500' });
    try {
      expect((await sealdesk('tsa', 'add', 'soon', soon.url, '--name', 'Soon TSA')).code).toBe(0);
      const docs = ['aging-a', 'aging-b', 'aging-c', 'aging-d'].map((name) => {
        const p = join(files, `${name}.txt`);
        writeFileSync(p, `${name} ${Math.random()}`);
        return p;
      });
      for (const [i, p] of docs.entries())
        expect((await sealdesk('stamp', p, '--tsa', 'soon', '--label', `aging-${'abcd'[i]}`)).code).toBe(0);
      expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0); // restamps go to the loopback TSA (certificate to 2040)
      await open('Restamp');
      const summary = page.getByRole('main').getByRole('status').filter({ hasText: 'due before' });
      // `--expiring-within 10d`, then `25d`: any window; the Soon TSA's certificate ends in 20 days.
      await page.getByLabel('Other window, in days').fill('10');
      await page.getByLabel('Other', { exact: true }).check();
      await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toMatch(/^0 chain\(s\) due before/);
      await page.getByLabel('Other window, in days').fill('25');
      await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toMatch(/^4 chain\(s\) due before/);
      await page.getByLabel('30 days').check();
      await expect.poll(() => summary.textContent(), { timeout: 10_000 }).toMatch(/^4 chain\(s\) due before/);
      expect(await page.getByRole('list', { name: 'By TSA' }).textContent()).toMatch(/Soon TSA\s*4/);
      const rows = page.getByRole('table', { name: 'Chains due' }).locator('tbody tr');
      expect(await rows.count()).toBe(4);
      await action('Select none').click();
      expect(await action('Restamp 0 chain(s)').isDisabled()).toBe(true);
      for (const p of docs.slice(0, 3)) await page.getByLabel(`Restamp ${p}`).check(); // some: aging-d stays due
      expect(await page.evaluate('document.querySelector(\'[aria-label="Select all chains"]\').indeterminate')).toBe(
        true,
      ); // runs in the page
      await page.getByLabel('Restamp with').selectOption('auto');
      expect(await page.getByLabel('Restamp even if validation data is missing').isChecked()).toBe(false); // EU DSS's default: refuse
      await shot('restamp');
      await action('Restamp 3 chain(s)').click();
      const status = page.getByRole('group', { name: 'Restamp run' }).getByRole('status');
      await expect
        .poll(() => status.textContent(), { timeout: 20_000 })
        .toBe('3 done · 0 failed · 0 remaining — All done.');
      const results = page.getByRole('list', { name: 'Restamp results' }).getByRole('listitem');
      await expect.poll(() => results.count()).toBe(3); // the results arrive with jobs:status, just after the last progress event
      for (const i of [0, 1, 2])
        expect(await results.nth(i).textContent()).toMatch(/aging-[abc]\.txt — new link [0-9a-f-]{36}/);
      await expect.poll(() => summary.textContent()).toMatch(/^1 chain\(s\) due before/); // aging-d, not chosen
      expect(await page.getByRole('progressbar', { name: 'Restamp progress' }).getAttribute('value')).toBe('3');
      await shot('restamp-done');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot('restamp-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      // Readable at 125% zoom in a narrower window, the table shown.
      await page.setViewportSize({ width: 900, height: 800 });
      await page.evaluate('document.documentElement.style.zoom = "1.25"');
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
      await page.evaluate('document.documentElement.style.zoom = ""');
      await page.setViewportSize({ width: 1100, height: 900 });
      expect(overflow, `Restamp overflows by ${overflow}px at 125%`).toBeLessThanOrEqual(0);

      await open('History');
      await page.getByLabel('Search').fill('aging-a');
      await action('Search').click();
      const history = page.locator('table.records tbody tr');
      await expect.poll(() => history.count()).toBe(2); // the stamp and its new link
      await page
        .getByRole('button', { name: /^Details of stamp aging-a/ })
        .first()
        .click();
      const chain = page.getByRole('region', { name: 'Archive chain' });
      await expect.poll(() => chain.getByRole('heading').textContent()).toBe('Archive chain (2 links)');
      expect(await chain.getByRole('listitem').allTextContents()).toEqual([
        expect.stringMatching(/Soon TSA · SHA512 · until \d{4}-\d\d-\d\d$/),
        expect.stringMatching(/Loopback TSA · SHA512 · until 2040-01-01$/),
      ]);
      const protectedUntil = chain.getByRole('status');
      expect(await protectedUntil.textContent()).toBe('Protected until 2040-01-01 (restamp due)');
      expect(await protectedUntil.getAttribute('class')).toMatch(/\bgood\b/);
      await shot('history-chain');
      // The test CA taken out of the trust store: the same chain is intact, but not trusted — said in its own tone.
      const anchors = (await sealdesk('trust', 'list', '--json')).json() as { id: string }[];
      for (const a of anchors) expect((await sealdesk('trust', 'remove', a.id)).code).toBe(0);
      try {
        await page
          .getByRole('button', { name: /^Details of stamp aging-a/ })
          .first()
          .click();
        await expect.poll(() => protectedUntil.getAttribute('class')).toMatch(/\buntrusted\b/);
        expect(await protectedUntil.textContent()).toMatch(
          /^Chain intact, but not trusted: .*protected until 2040-01-01/,
        );
        expect(await chain.locator('li.untrusted').allTextContents()).toEqual([
          expect.stringMatching(/^Not trusted: its TSA certificate does not chain to an anchor of the trust store/),
          expect.stringMatching(/^Not trusted: /),
        ]);
        expect(await chain.locator('li.error').count()).toBe(0);
        await shot('history-chain-untrusted');
      } finally {
        expect((await sealdesk('trust', 'add', pki.root.certPath)).code).toBe(0);
      }
      // The chain left out is due in 20 days: amber.
      await page.getByLabel('Search').fill('aging-d');
      await action('Search').click();
      await expect.poll(() => history.count()).toBe(1);
      await page.getByRole('button', { name: /^Details of stamp aging-d/ }).click();
      await expect.poll(() => chain.getByRole('heading').textContent()).toBe('Archive chain (1 link)');
      expect(await chain.getByRole('status').getAttribute('class')).toMatch(/\bwarn\b/);
      // A run whose TSA fails stays open in the journal; the view shows the error and offers to resume the run.
      expect((await sealdesk('tsa', 'enable', 'soon')).code).toBe(0);
      soon.setMode('http503');
      await open('Restamp');
      await page.getByLabel('Restamp with').selectOption({ label: 'Soon TSA' });
      await action('Restamp 1 chain(s)').click();
      await expect
        .poll(() => status.textContent(), { timeout: 20_000 })
        .toBe('0 done · 1 failed · 0 remaining — Finished with 1 failure(s): the run stays open to retry them.');
      expect(await results.first().getAttribute('class')).toBe('bad');
      const unfinished = page.getByRole('region', { name: 'Unfinished run' });
      await expect
        .poll(() => unfinished.textContent())
        .toMatch(/did not finish: 0 of 1 chain\(s\) have their new link, 1 failed/);
      soon.setMode('ok');
      await unfinished.getByRole('button', { name: 'Resume the unfinished run' }).click();
      await expect
        .poll(() => status.textContent(), { timeout: 20_000 })
        .toBe('1 done · 0 failed · 0 remaining — All done.');
      expect(await results.first().textContent()).toMatch(/aging-d\.txt — new link/);
      await expect.poll(() => unfinished.count()).toBe(0); // the journal closed the run
      expect((await sealdesk('tsa', 'disable', 'soon')).code).toBe(0);
      expect(violations, violations.join('\n')).toEqual([]);
    } finally {
      await soon.close();
    }
  });

  it('Settings → Import a PKCS#12, then Seal with it: its password asked in each view, never kept', async () => {
    const p12 = join(work.path, 'ec-seal.p12');
    const { keyPath, certPath } = pki.signerEc;
    const pass = ['-passout', 'pass:p12-secret'];
    const made = await openssl(['pkcs12', '-export', '-inkey', keyPath, '-in', certPath, ...pass, '-out', p12]);
    expect(made.code, made.stderr).toBe(0);
    await open('Settings'); // `sealdesk cert import --p12 <file> --password-env VAR`
    const form = page.getByRole('form', { name: 'Import a PKCS#12' });
    const importWith = async (password: string, said: string) => {
      dialogs.willChoose(p12);
      await form.getByRole('button', { name: 'Import a PKCS#12 (.p12, .pfx)…' }).click();
      await form.getByLabel('Its password').fill(password);
      await form.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('status').filter({ hasText: said }).waitFor();
    };
    await importWith('wrong', 'the password does not open this PKCS#12 file');
    await importWith('p12-secret', 'Sealdesk Test Seal EC, O=Sealdesk Tests, C=NO" is imported');
    const listed = (await cliRunner({ SEALDESK_HOME: dataDir })('cert', 'list', '--json')).json() as {
      certSubject: string;
      kind: string;
    }[];
    expect(listed.filter((c) => c.kind === 'file' && /Seal EC/.test(c.certSubject))).toHaveLength(1);
    await open('Seal'); // its certificates are read as it opens
    await addPath('Files to seal', writeMinimalPdf(join(files, 'p12.pdf')));
    await page.getByLabel('Certificate').selectOption({ label: 'CN=Sealdesk Test Seal EC, O=Sealdesk Tests, C=NO' });
    expect(await page.getByLabel('Key password').count()).toBe(0); // not asked before the key says it needs one
    await action('Seal').click();
    await page.getByRole('alert').filter({ hasText: 'the PKCS#12 password is needed' }).waitFor();
    await page.getByLabel('Key password').fill('p12-secret');
    await action('Seal').click();
    const results = page.getByRole('list', { name: 'Seal results' }).getByRole('listitem');
    await expect
      .poll(() => results.first().textContent(), { timeout: 15_000 })
      .toMatch(/sealed \(PAdES B-T, time-stamped by Loopback TSA\) → .*p12_sealed\.pdf/);
    expect(await page.getByLabel('Key password').inputValue()).toBe(''); // sent with that request only
  });

  it('History lists what waits for a time-stamp (queue list): a stamp made while its TSA did not answer', async () => {
    const sealdesk = cliRunner({ SEALDESK_HOME: dataDir, SEALDESK_TSA_TIMEOUT_MS: '1500' });
    expect((await sealdesk('tsa', 'add', 'dead', 'http://127.0.0.1:9/', '--name', 'Dead TSA')).code).toBe(0);
    try {
      const doc = join(files, 'waiting.txt');
      writeFileSync(doc, `waits for a TSA ${Math.random()}`);
      await sealdesk('stamp', doc, '--tsa', 'dead', '--label', 'offline minutes'); // nothing answers: queued
      const listed = (await sealdesk('queue', 'list', '--json')).json() as { file: string }[];
      expect(listed.map((q) => q.file)).toContain(doc);
      await open('History');
      await page.getByText(`Waiting for a time-stamp (${listed.length})`, { exact: true }).click();
      const waiting = page.getByRole('list', { name: 'Waiting for a time-stamp' }).getByRole('listitem');
      expect(await waiting.allTextContents()).toContainEqual(
        expect.stringMatching(/ · stamp \(TSA dead\) · .*waiting\.txt · "offline minutes"$/),
      );
    } finally {
      expect((await sealdesk('tsa', 'disable', 'dead')).code).toBe(0);
    }
  });

  it('a .tsr opened with Sealdesk (file association) lands in Inspect, ready, as a handle shown by its name', async () => {
    opened.push([join(files, 'minutes.txt.tsr')]);
    await page.getByRole('heading', { level: 2, name: 'Inspect' }).waitFor({ timeout: 5_000 });
    await page
      .getByRole('list', { name: 'Token (.tsr): chosen files' })
      .getByText('minutes.txt.tsr', { exact: true })
      .waitFor();
  });

  it('every view is readable at 125% zoom (nothing wider than the window) and reachable by keyboard', async () => {
    const narrow = await browser.newPage({ viewport: { width: 900, height: 800 } });
    await narrow.goto(host.url);
    await narrow.evaluate('document.documentElement.style.zoom = "1.25"'); // runs in the page
    for (const view of ['Stamp', 'Seal', 'Verify', 'Inspect', 'History', 'Settings']) {
      await narrow.keyboard.press('Tab'); // focus moves into the page; the views are buttons in one navigation
      await narrow.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).focus();
      await narrow.keyboard.press('Enter');
      await narrow.getByRole('heading', { level: 2, name: view }).waitFor();
      const overflow = Number(
        await narrow.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      );
      expect(overflow, `${view} overflows by ${overflow}px at 125%`).toBeLessThanOrEqual(0);
    }
    await narrow.close();
  });

  it('follows the OS theme: dark when the OS is dark', async () => {
    const dark = await browser.newPage({ colorScheme: 'dark' });
    await dark.goto(host.url);
    await dark.getByRole('heading', { level: 1 }).waitFor();
    expect(await dark.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 25, 29)'); // runs in the page
    await dark.screenshot({ path: join(shots, 'stamp-dark.png') });
  });

  it('the host refuses API calls from another origin, like IPC refuses other frames', async () => {
    const res = await fetch(`${host.url}api/app:info`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
