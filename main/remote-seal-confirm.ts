// Before files leave this computer to be sealed by the account's server (the Seal view's "via server",
// `seal --remote-cert`), main asks in its own dialog, naming each file, its size and the server. The renderer can
// neither skip nor word the question: without the user's yes the request never reaches the services.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { expandInputs } from '../core/app/expand-inputs.js';
import { CoreError } from '../core/errors.js';
import { CapabilityError } from './capabilities.js';
import type { MainSide } from './main-side.js';

const MAX_LISTED = 20;

/** "1,234,567 bytes" (and MB past a megabyte). */
function size(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return bytes < 1024 * 1024 ? exact : `${(bytes / (1024 * 1024)).toFixed(1)} MB, ${exact}`;
}

/** Resolves on the user's yes; CANCELLED on a no, ACCOUNT_NONE without an account. */
export async function confirmRemoteSeal(side: MainSide, paths: readonly string[], certificate: string): Promise<void> {
  const server = side.serverUrl();
  if (!server)
    throw new CoreError('ACCOUNT_NONE', 'no account: sign in under Settings → Account to seal via the server');
  if (!side.hooks.confirm)
    throw new CoreError('NOT_SUPPORTED', 'a seal via the server is sent only after a confirmation in the desktop app');
  const files = expandInputs(paths, { skip: 'companions' }).entries.filter((e) => !e.error);
  const sizes = files.map((f) => {
    try {
      return statSync(f.path).size;
    } catch {
      return 0; // gone since: the seal reports it
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const listed = files.slice(0, MAX_LISTED).map((f, i) => `${basename(f.path)} (${size(sizes[i]!)})`);
  if (files.length > MAX_LISTED) listed.push(`… and ${files.length - MAX_LISTED} more`);
  const one = files.length === 1;
  const yes = await side.hooks.confirm({
    title: 'Seal via the server',
    message: one
      ? `Send "${basename(files[0]!.path)}" (${size(total)}) to ${server} to be sealed?`
      : `Send these ${files.length} files (${size(total)} in all) to ${server} to be sealed?`,
    detail:
      `${listed.join('\n')}\n\nThe whole ${one ? 'file leaves' : 'files leave'} this computer: the server seals ` +
      `${one ? 'it' : 'them'} with its certificate ${certificate} and sends the result back.`,
    confirm: 'Send and seal',
  });
  if (!yes) throw new CapabilityError('CANCELLED', 'not sent: nothing left this computer');
}
