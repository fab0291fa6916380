// A write that fails for a full disk (a real ENOSPC from a 64 KiB tmpfs) leaves no temp file and nothing published;
// every atomic writer is tried. Needs root for the mount: skipped, saying so, without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceOwnFile, writeBesideFile, writeNewFile } from '../../../core/fs/atomic.js';
import { StagedFile } from '../../../core/fs/staged.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'sealdesk-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn('disk-full tests skipped: cannot mount a tmpfs here (needs root)');
}

beforeAll(() => {
  if (mounted) writeFileSync(join(mountPoint, 'contract.pdf'), Buffer.alloc(8 * 1024, 1));
});
afterAll(() => {
  if (mounted) {
    try {
      execFileSync('umount', [mountPoint]);
    } catch {
      execFileSync('umount', ['-l', mountPoint]); // still busy: detach it now, freed when released
    }
  }
  rmSync(mountPoint, { recursive: true, force: true });
});

const big = () => new Uint8Array(256 * 1024).fill(7); // four times the whole file system
const listing = () => readdirSync(mountPoint).sort();

describe.runIf(mounted)('a full disk', () => {
  it('writeNewFile: OUTPUT_UNWRITABLE naming ENOSPC, no temp, no output', async () => {
    const err = await writeNewFile(join(mountPoint, 'report.json'), big()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    expect(String((err as Error).message)).toMatch(/ENOSPC/);
    expect(listing()).toEqual(['contract.pdf']);
  });

  it('writeBesideFile: no temp, no .tsr', async () => {
    await expect(writeBesideFile(join(mountPoint, 'contract.pdf'), 'tsr', big())).rejects.toMatchObject({
      code: 'OUTPUT_UNWRITABLE',
    });
    expect(listing()).toEqual(['contract.pdf']);
  });

  it('replaceOwnFile: the old version stays whole, no temp', async () => {
    const path = join(mountPoint, 'seal.p7s');
    const old = Buffer.from('old version');
    writeFileSync(path, old);
    const sha = createHash('sha256').update(old).digest('hex');
    await expect(replaceOwnFile(path, big(), sha)).rejects.toMatchObject({ code: 'OUTPUT_UNWRITABLE' });
    expect(listing()).toEqual(['contract.pdf', 'seal.p7s']);
    rmSync(path);
  });

  it('StagedFile: an append that fails, then discard() as every caller does, leaves nothing', async () => {
    const staged = await StagedFile.create(join(mountPoint, 'contract_sealed.pdf'));
    await staged.copyFrom(join(mountPoint, 'contract.pdf'));
    const err = await staged.append(big()).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    await staged.discard();
    expect(listing()).toEqual(['contract.pdf']);
  });
});
