// What only a desktop shell provides (native dialogs, the file manager, files opened with Sealdesk), behind an
// interface main.ts fills from Electron; the loopback host has none of it and says so.
import { extname, resolve } from 'node:path';
import { CoreError } from '../../core/errors.js';
import type { OpenedFiles } from '../../preload/api.js';

/** The OS keychain (Electron's safeStorage): secrets kept encrypted for this user, never in the ledger. */
export type SecretStore = { get(name: string): string | null; set(name: string, value: string | null): void };

export type DesktopHooks = {
  readonly chooseFiles?: () => Promise<string[]>;
  readonly showInFolder?: (path: string) => void;
  readonly secrets?: SecretStore;
};

export const DEFAULT_SEAL_SECRET = 'default-seal-passphrase';

/** The view a file opened with Sealdesk belongs in: a .tsr is inspected, anything else (PDF, file + .p7s) verified. */
export function viewFor(path: string): 'Verify' | 'Inspect' {
  return extname(path).toLowerCase() === '.tsr' ? 'Inspect' : 'Verify';
}

/** Files handed over by the OS (argv at start, a second instance, macOS open-file), until the window takes them. */
export class OpenedQueue {
  private pending: string[] = [];
  push(paths: readonly string[]): void {
    this.pending.push(...paths.map((p) => resolve(p)));
  }
  take(): OpenedFiles {
    const paths = this.pending;
    this.pending = [];
    return paths.map((path) => ({ path, view: viewFor(path) }));
  }
}

/** File arguments on a command line (skipping the executable, the app path and switches). */
export function fileArgs(argv: readonly string[], skip: number): string[] {
  return argv.slice(skip).filter((a) => !a.startsWith('-') && /\.(pdf|p7s|p7m|tsr)$/i.test(a));
}

export function desktopServices(hooks: DesktopHooks, opened: OpenedQueue) {
  const missing = (what: string) => new CoreError('NOT_SUPPORTED', `${what} is available in the desktop app only`);
  return {
    chooseFiles: async (): Promise<string[]> => {
      if (!hooks.chooseFiles) throw missing('the file chooser');
      return hooks.chooseFiles();
    },
    showInFolder: (r: { path: string }): { shown: boolean } => {
      if (!hooks.showInFolder) throw missing('"show in folder"');
      hooks.showInFolder(r.path);
      return { shown: true };
    },
    opened: (): OpenedFiles => opened.take(),
  };
}
