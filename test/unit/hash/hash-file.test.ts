import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../../core/asn1/bytes.js';
import { hashFile } from '../../../core/hash/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sealdesk-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslDigest(alg: string, file: string): string {
  return execFileSync('openssl', ['dgst', `-${alg}`, '-r', file])
    .toString()
    .split(' ')[0]!;
}

describe('hashFile', () => {
  it('matches openssl dgst for every algorithm in one pass, across chunk boundaries', async () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, randomBytes(3 * 1024 * 1024 + 17)); // not a multiple of the 1 MiB chunk
    const seen: number[] = [];
    const { size, digests } = await hashFile(file, ['sha256', 'sha384', 'sha512'], (n) => seen.push(n));
    expect(size).toBe(3 * 1024 * 1024 + 17);
    expect(seen.at(-1)).toBe(size);
    for (const alg of ['sha256', 'sha384', 'sha512'] as const)
      expect(toHex(digests[alg])).toBe(opensslDigest(alg, file));
  });

  it('hashes an empty file', async () => {
    const file = join(dir, 'empty');
    writeFileSync(file, '');
    const { digests } = await hashFile(file, ['sha256']);
    expect(toHex(digests.sha256)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses a missing file and a folder with INPUT_UNREADABLE', async () => {
    await expect(hashFile(join(dir, 'nope'), ['sha256'])).rejects.toMatchObject({
      code: 'INPUT_UNREADABLE',
      message: expect.stringContaining('no such file'),
    });
    mkdirSync(join(dir, 'folder'));
    await expect(hashFile(join(dir, 'folder'), ['sha256'])).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
