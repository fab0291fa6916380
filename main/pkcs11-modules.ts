// The PKCS#11 libraries the desktop may load: those found at known install locations (SoftHSM2, OpenSC, vendors) and
// the ones the user picked in main's open dialog (kept by path in the data folder). The renderer names a module by
// its id; main never loads a library the window named by path.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { tempBeside } from '../core/fs/atomic.js';
import type { Pkcs11Module } from '../preload/api.js';
import { CapabilityError } from './capabilities.js';

type Known = { readonly name: string; readonly paths: readonly string[] };

const PF = process.env.ProgramFiles ?? 'C:\\Program Files';
const SYS = join(process.env.SystemRoot ?? 'C:\\Windows', 'System32');
/** Where the usual modules install, per platform (the first path found per name is offered). */
export const KNOWN_MODULES: Readonly<Record<string, readonly Known[]>> = {
  linux: [
    {
      name: 'SoftHSM 2',
      paths: [
        '/usr/lib/softhsm/libsofthsm2.so',
        '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
        '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
        '/usr/lib64/pkcs11/libsofthsm2.so',
        '/usr/local/lib/softhsm/libsofthsm2.so',
      ],
    },
    {
      name: 'OpenSC (smart cards)',
      paths: [
        '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib/aarch64-linux-gnu/opensc-pkcs11.so',
        '/usr/lib64/opensc-pkcs11.so',
        '/usr/lib/opensc-pkcs11.so',
        '/usr/lib64/pkcs11/opensc-pkcs11.so',
      ],
    },
    {
      name: 'YubiKey (ykcs11)',
      paths: [
        '/usr/lib/x86_64-linux-gnu/libykcs11.so',
        '/usr/lib/aarch64-linux-gnu/libykcs11.so',
        '/usr/lib64/libykcs11.so',
        '/usr/local/lib/libykcs11.so',
      ],
    },
    { name: 'SafeNet eToken', paths: ['/usr/lib/libeTPkcs11.so', '/usr/lib64/libeTPkcs11.so'] },
    { name: 'Thales Luna', paths: ['/usr/safenet/lunaclient/lib/libCryptoki2_64.so'] },
  ],
  darwin: [
    { name: 'SoftHSM 2', paths: ['/opt/homebrew/lib/softhsm/libsofthsm2.so', '/usr/local/lib/softhsm/libsofthsm2.so'] },
    {
      name: 'OpenSC (smart cards)',
      paths: [
        '/Library/OpenSC/lib/opensc-pkcs11.so',
        '/opt/homebrew/lib/opensc-pkcs11.so',
        '/usr/local/lib/opensc-pkcs11.so',
      ],
    },
    { name: 'YubiKey (ykcs11)', paths: ['/usr/local/lib/libykcs11.dylib', '/opt/homebrew/lib/libykcs11.dylib'] },
    { name: 'SafeNet eToken', paths: ['/usr/local/lib/libeTPkcs11.dylib'] },
  ],
  win32: [
    {
      name: 'SoftHSM 2',
      paths: ['C:\\SoftHSM2\\lib\\softhsm2-x64.dll', join(PF, 'SoftHSM2', 'lib', 'softhsm2-x64.dll')],
    },
    {
      name: 'OpenSC (smart cards)',
      paths: [join(PF, 'OpenSC Project', 'OpenSC', 'pkcs11', 'opensc-pkcs11.dll'), join(SYS, 'opensc-pkcs11.dll')],
    },
    { name: 'YubiKey (ykcs11)', paths: [join(PF, 'Yubico', 'Yubico PIV Tool', 'bin', 'libykcs11.dll')] },
    { name: 'SafeNet eToken', paths: [join(SYS, 'eTPKCS11.dll')] },
  ],
};

/** The dialog's filter for picking a module. */
export const MODULE_FILTER = { name: 'PKCS#11 module', extensions: ['so', 'dylib', 'dll'] } as const;

const idOf = (path: string) => `m${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export class Pkcs11Modules {
  private memory: string[] = [];
  /** `file`: the list of picked modules (JSON, by path; null: in memory); `known`: the locations to look at. */
  constructor(private readonly o: { readonly file: string | null; readonly known?: readonly Known[] }) {}

  list(): Pkcs11Module[] {
    const known = (this.o.known ?? KNOWN_MODULES[process.platform] ?? []).flatMap((k) => {
      const at = k.paths.find(isFile);
      return at ? [{ id: idOf(at), name: k.name, location: at, source: 'known' as const }] : [];
    });
    const seen = new Set(known.map((m) => m.location));
    const picked = this.picked()
      .filter((p) => !seen.has(p) && isFile(p))
      .map((p) => ({ id: idOf(p), name: basename(p), location: p, source: 'picked' as const }));
    return [...known, ...picked];
  }

  /** The library's path for an id from list(); anything else (a path, a stale id) is refused. */
  pathOf(id: string): string {
    const m = this.list().find((x) => x.id === id);
    if (!m)
      throw new CapabilityError(
        'CAPABILITY_UNKNOWN',
        'unknown PKCS#11 module: pick it in Settings → Tokens ("Add a module…")',
      );
    return m.location;
  }

  /** Keeps a module the user picked in main's dialog. */
  add(path: string): Pkcs11Module[] {
    const full = resolve(path);
    if (!isFile(full)) throw new CapabilityError('CAPABILITY_REFUSED', `${basename(full)} is not a file`);
    const next = [...new Set([...this.picked(), full])];
    if (this.o.file) {
      const temp = tempBeside(this.o.file);
      writeFileSync(temp, JSON.stringify(next, null, 2), { mode: 0o600 });
      renameSync(temp, this.o.file);
    } else this.memory = next;
    return this.list();
  }

  private picked(): string[] {
    if (!this.o.file) return this.memory;
    try {
      const list: unknown = JSON.parse(readFileSync(this.o.file, 'utf8'));
      return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
    } catch {
      return [];
    }
  }
}
