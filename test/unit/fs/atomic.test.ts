// Outputs beside a user's file: a taken name is never overwritten, the next free one is used, and no temp file stays.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleTemps, tempBeside, writeBesideFile, writeNewFile } from '../../../core/fs/atomic.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const fresh = () => (dir = mkdtempSync(join(tmpdir(), 'sealdesk-atomic-')));

describe('atomic outputs', () => {
  it('writeBesideFile takes <file>.tsr, then <file>.1.tsr, <file>.2.tsr, leaving the taken ones as they were', async () => {
    const doc = join(fresh(), 'contract.pdf');
    writeFileSync(`${doc}.tsr`, "someone else's");
    expect(await writeBesideFile(doc, 'tsr', Uint8Array.of(1))).toBe(`${doc}.1.tsr`);
    expect(await writeBesideFile(doc, 'tsr', Uint8Array.of(2))).toBe(`${doc}.2.tsr`);
    expect(readFileSync(`${doc}.tsr`, 'utf8')).toBe("someone else's");
    expect([...readFileSync(`${doc}.1.tsr`)]).toEqual([1]);
    expect([...readFileSync(`${doc}.2.tsr`)]).toEqual([2]);
    expect(readdirSync(dir).sort()).toEqual(['contract.pdf.1.tsr', 'contract.pdf.2.tsr', 'contract.pdf.tsr']);
  });

  it('writeNewFile refuses an existing path (OUTPUT_EXISTS), keeps it, and leaves no temp file', async () => {
    const out = join(fresh(), 'seal.p7s');
    writeFileSync(out, 'mine');
    await expect(writeNewFile(out, Uint8Array.of(9))).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readFileSync(out, 'utf8')).toBe('mine');
    expect(readdirSync(dir)).toEqual(['seal.p7s']);
  });

  it('a folder that does not exist is OUTPUT_UNWRITABLE', async () => {
    await expect(writeNewFile(join(fresh(), 'missing', 'x.tsr'), Uint8Array.of(1))).rejects.toMatchObject({
      code: 'OUTPUT_UNWRITABLE',
    });
  });

  it('removeStaleTemps deletes the temp files left beside the named files, and nothing else', async () => {
    const [deed, lease] = [join(fresh(), 'deed.pdf'), join(dir, 'lease.p7s')];
    const keep = ['deed.pdf', 'lease.p7s', 'other.pdf', '.deed.pdf.notatemp.tmp', '.deed.pdf.0123456789ab.tmp.bak'];
    for (const name of keep) writeFileSync(join(dir, name), name);
    for (const temp of [tempBeside(deed), tempBeside(deed), tempBeside(lease), tempBeside(join(dir, 'other.pdf'))])
      writeFileSync(temp, '');
    expect(await removeStaleTemps([deed, lease, join(dir, 'gone', 'x.pdf')])).toBe(3);
    expect(readdirSync(dir).filter((n) => !keep.includes(n))).toEqual([
      expect.stringMatching(/^\.other\.pdf\.[0-9a-f]{12}\.tmp$/),
    ]);
    expect(
      readdirSync(dir)
        .filter((n) => keep.includes(n))
        .sort(),
    ).toEqual([...keep].sort());
  });
});
