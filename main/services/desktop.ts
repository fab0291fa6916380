// What only a desktop shell provides (main's dialogs, the file manager, the keychain, files opened with Sealdesk), behind
// hooks main.ts fills from Electron and tests fill by hand; the loopback host has none of it and says so.
import { extname, resolve } from 'node:path';
import type { DialogHooks } from '../dialogs.js';

/** The OS keychain (Electron's safeStorage): secrets kept encrypted for this user, never in the ledger. */
export type SecretStore = { get(name: string): string | null; set(name: string, value: string | null): void };

/** The shell's parts: main's dialogs (open, save, confirm), the file manager, the keychain. Tests fill them by hand. */
export type DesktopHooks = DialogHooks & {
  readonly secrets?: SecretStore;
  /** Why there is no keychain (main/keychain.ts), shown where a passphrase would have been kept. */
  readonly keychainRefused?: string;
  /** The same reason without the passphrase's wording (the sync account's sign-in says it). */
  readonly keychainProblem?: string;
};

export const DEFAULT_SEAL_SECRET = 'default-seal-passphrase';

/** The view a file opened with Sealdesk belongs in: a .tsr is inspected, anything else (PDF, file + .p7s) verified. */
export function viewFor(path: string): 'Verify' | 'Inspect' {
  return extname(path).toLowerCase() === '.tsr' ? 'Inspect' : 'Verify';
}

/** Files handed over by the OS (argv at start, a second instance, macOS open-file), until the window takes them. */
export class OpenedQueue {
  private pending: string[] = [];
  /** Told when files arrive (the `opened` event: the window takes them, no polling). */
  onPush: (() => void) | null = null;
  push(paths: readonly string[]): void {
    this.pending.push(...paths.map((p) => resolve(p)));
    if (paths.length) this.onPush?.();
  }
  /** The files waiting (main's side issues handles for them: the window never sees these paths). */
  take(): { path: string; view: 'Verify' | 'Inspect' }[] {
    const paths = this.pending;
    this.pending = [];
    return paths.map((path) => ({ path, view: viewFor(path) }));
  }
}

/** File arguments on a command line (skipping the executable, the app path and switches). */
export function fileArgs(argv: readonly string[], skip: number): string[] {
  return argv.slice(skip).filter((a) => !a.startsWith('-') && /\.(pdf|p7s|p7m|tsr)$/i.test(a));
}
