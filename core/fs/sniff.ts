// What a file is, by its first bytes rather than its name.
import { open } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';

/** ISO 32000-1 §7.5.2: the %PDF- header may follow up to 1 KiB of junk, and readers accept it there. */
export async function isPdfFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  });
  try {
    const head = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(head, 0, 1024, 0);
    return head.subarray(0, bytesRead).includes('%PDF-');
  } finally {
    await handle.close();
  }
}
