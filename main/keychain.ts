// Secrets kept by the OS keychain through Electron's safeStorage, one encrypted file each, readable by this user alone.
// Refused where safeStorage would not really protect them: no encryption at all, or Linux's `basic_text` backend
// (no keyring: Chromium encrypts with a fixed, public password). Then nothing is stored and the app asks for the
// default seal's passphrase each time it seals. The backend is passed in, so the decision is tested without Electron.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempBeside } from '../core/fs/atomic.js';
import type { SecretStore } from './services/desktop.js';

/** The part of Electron's safeStorage used here. */
export type SafeStorage = {
  isEncryptionAvailable(): boolean;
  /** Linux only (Electron ≥ 28): which store Chromium chose; meaningful once the app is ready. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

export type Keychain =
  | { readonly secrets: SecretStore; readonly refused: null; readonly problem: null }
  | { readonly secrets: undefined; readonly refused: string; readonly problem: string };

const KEYRING_HINT = 'Unlock or install a keyring (GNOME Keyring, KWallet) to keep it.';

/** What is wrong with safeStorage here, whatever the secret (null: nothing): the sync account's sign-in says it. */
export function keychainProblem(safe: SafeStorage, platform: NodeJS.Platform): string | null {
  if (!safe.isEncryptionAvailable()) return 'no OS keychain is available here';
  if (platform !== 'linux') return null;
  const backend = safe.getSelectedStorageBackend?.() ?? 'unknown';
  if (backend === 'basic_text' || backend === 'unknown')
    return (
      `no keyring answers here (Electron's safeStorage backend is "${backend}", which encrypts with a fixed ` +
      'password anyone can read)'
    );
  return null;
}

/** Why safeStorage cannot keep the default seal's passphrase safely here (null: it can). */
export function keychainRefusal(safe: SafeStorage, platform: NodeJS.Platform): string | null {
  const problem = keychainProblem(safe, platform);
  if (problem === null) return null;
  const asked = 'so no passphrase is kept: Sealdesk asks for it each time it seals';
  return safe.isEncryptionAvailable() ? `${problem}, ${asked}. ${KEYRING_HINT}` : `${problem}, ${asked}`;
}

/** The keychain of `dir`, or why there is none. */
export function keychain(dir: string, safe: SafeStorage, platform: NodeJS.Platform = process.platform): Keychain {
  const refused = keychainRefusal(safe, platform);
  if (refused !== null) return { secrets: undefined, refused, problem: keychainProblem(safe, platform)! };
  const file = (name: string) => join(dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.bin`);
  const secrets: SecretStore = {
    get: (name) => (existsSync(file(name)) ? safe.decryptString(readFileSync(file(name))) : null),
    set: (name, value) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (value === null) rmSync(file(name), { force: true });
      else {
        const temp = tempBeside(file(name)); // replaced whole: a crash leaves the old secret or the new one
        writeFileSync(temp, safe.encryptString(value), { mode: 0o600 });
        renameSync(temp, file(name));
      }
    },
  };
  return { secrets, refused: null, problem: null };
}
