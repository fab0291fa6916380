// The keychain refuses to keep a secret where safeStorage would not protect it (no encryption; Linux's basic_text
// backend, a fixed password), and keeps it encrypted, one file per secret, readable by this user alone, elsewhere.
// safeStorage itself needs Electron: a reversible stand-in encryption plays it, the decision is the code under test.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { keychain, keychainRefusal, type SafeStorage } from '../../../main/keychain.js';
import { createServices } from '../../../main/services/index.js';
import { setDefaultSealPassphrase } from '../../../core/signers/index.js';
import { writeMinimalPdf } from '../../helpers/pdfs.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('keychain');
afterAll(() => work.remove());

const storage = (available: boolean, backend?: string): SafeStorage => ({
  isEncryptionAvailable: () => available,
  ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
  encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (encrypted) => Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString('utf8'),
});

it("refuses Linux's basic_text backend (and an undetermined one) with a message saying why and what to do", () => {
  expect(keychainRefusal(storage(true, 'basic_text'), 'linux')).toMatch(
    /"basic_text".*fixed password.*asks for it each time.*keyring/,
  );
  expect(keychainRefusal(storage(true, 'unknown'), 'linux')).toMatch(/"unknown"/);
  expect(keychainRefusal(storage(false, 'gnome_libsecret'), 'linux')).toMatch(/no OS keychain/);
  expect(keychainRefusal(storage(true, 'gnome_libsecret'), 'linux')).toBeNull();
  expect(keychainRefusal(storage(true, 'kwallet5'), 'linux')).toBeNull();
  expect(keychainRefusal(storage(true), 'darwin')).toBeNull();
  expect(keychainRefusal(storage(true), 'win32')).toBeNull();
});

it('stores nothing when refused, and the default seal says why instead of offering a passphrase to keep', async () => {
  const dir = join(work.path, 'refused');
  const k = keychain(dir, storage(true, 'basic_text'), 'linux');
  expect(k.secrets).toBeUndefined();
  expect(existsSync(dir)).toBe(false);
  const services = createServices(
    { dataDir: work.path, version: 'test' },
    { secrets: k.secrets, keychainRefused: k.refused ?? undefined },
  );
  expect(services['defaultSeal:state']({})).toMatchObject({
    keychain: false,
    keychainNote: expect.stringMatching(/basic_text/),
  });
  await expect(services['defaultSeal:protect']({ passphrase: 'correct horse battery' })).rejects.toMatchObject({
    code: 'NOT_SUPPORTED',
    message: expect.stringMatching(/basic_text/),
  });
});

it('keeps a secret encrypted in a file of its own, mode 0600, replaced whole and removed on null', () => {
  const dir = join(work.path, 'kept');
  const k = keychain(dir, storage(true, 'gnome_libsecret'), 'linux');
  expect(k.refused).toBeNull();
  k.secrets!.set('default-seal-passphrase', 'correct horse battery');
  const file = join(dir, 'default-seal-passphrase.bin');
  expect(readFileSync(file).toString('utf8')).not.toContain('correct horse');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  k.secrets!.set('default-seal-passphrase', 'another passphrase');
  expect(k.secrets!.get('default-seal-passphrase')).toBe('another passphrase');
  expect(readdirSync(dir)).toEqual(['default-seal-passphrase.bin']); // no temp left behind
  k.secrets!.set('default-seal-passphrase', null);
  expect(k.secrets!.get('default-seal-passphrase')).toBeNull();
});

it('without a keychain, a protected default seal seals with the passphrase given with the request, never kept', async () => {
  const dataDir = join(work.path, 'ask-each-time');
  const services = createServices({ dataDir, version: 'test' }, { keychainRefused: 'no keyring (basic_text)' });
  const pdf = (name: string) => writeMinimalPdf(join(work.path, `${name}.pdf`));
  const [made] = await services['seal:files']({ paths: [pdf('first')], level: 'B-B', tsa: 'none' }); // makes the seal
  expect(made!.error).toBeUndefined();
  await setDefaultSealPassphrase(dataDir, 'correct horse battery');
  expect(services['defaultSeal:state']({})).toMatchObject({ protected: true, keychain: false });
  const locked = services['seal:files']({ paths: [pdf('locked')], level: 'B-B', tsa: 'none' });
  await expect(locked).rejects.toMatchObject({ code: 'KEY_LOCKED' }); // the signer opens once, for the batch
  const given = { paths: [pdf('given')], level: 'B-B' as const, tsa: 'none', password: 'correct horse battery' };
  const [sealed] = await services['seal:files'](given);
  expect(sealed).toMatchObject({ format: 'pades', outputPath: expect.stringMatching(/given_sealed\.pdf$/) });
  expect(existsSync(join(dataDir, 'secrets'))).toBe(false);
});
