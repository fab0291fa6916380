// The desktop's default seal protected by a passphrase the OS keychain keeps (a stand-in store here: the keychain is
// Electron's safeStorage, unavailable without Electron); the app seals without asking, the CLI needs the passphrase.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createServices, type SecretStore } from '../../../main/services/index.js';
import { cliRunner } from '../../helpers/cli.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('default-seal');
afterAll(() => work.remove());

it('protects the key file, keeps the passphrase in the keychain, seals without asking; the CLI needs it', async () => {
  const kept = new Map<string, string>();
  const secrets: SecretStore = {
    get: (n) => kept.get(n) ?? null,
    set: (n, v) => (v === null ? kept.delete(n) : kept.set(n, v)),
  };
  const services = createServices({ dataDir: work.path, version: 'test' }, { secrets });
  const sealdesk = cliRunner({ SEALDESK_HOME: work.path, PASS: 'correct horse battery' });
  expect((await sealdesk('tsa', 'list')).code).toBe(0);
  const pdf = writeMinimalPdf(join(work.path, 'a.pdf'));
  const [first] = await services['seal:files']({ paths: [pdf], level: 'B-B' });
  expect(first!.error).toBeUndefined();
  expect(services['defaultSeal:state']({})).toEqual({ exists: true, protected: false, keychain: true });
  const withoutKeychain = createServices({ dataDir: work.path, version: 'test' });
  await expect(withoutKeychain['defaultSeal:protect']({ passphrase: 'correct horse battery' })).rejects.toMatchObject({
    code: 'NOT_SUPPORTED',
  });
  expect(await services['defaultSeal:protect']({ passphrase: 'correct horse battery' })).toEqual({
    exists: true,
    protected: true,
    keychain: true,
  });
  const key = join(work.path, 'keys', 'default-seal.key.pem');
  expect(readFileSync(key, 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
  expect(statSync(key).mode & 0o777).toBe(0o600);
  expect(kept.get('default-seal-passphrase')).toBe('correct horse battery');
  const [second] = await services['seal:files']({ paths: [writeMinimalPdf(join(work.path, 'b.pdf'))], level: 'B-B' });
  expect(second!.error).toBeUndefined();
  const doc = join(work.path, 'c.txt');
  writeFileSync(doc, 'cli');
  expect((await sealdesk('seal', doc, '--tsa', 'none', '--json')).json()).toMatchObject({ code: 'KEY_LOCKED' });
  expect((await sealdesk('seal', doc, '--tsa', 'none', '--passphrase-env', 'PASS')).code).toBe(0);
});
