// The CLI's account store (core/sync/account-file.ts) on a real folder: written 0600 whatever the umask, replaced
// atomically (no temp left behind), read back as written; a file that others can read, or that is not an account
// file, is refused with a clear message; clear() removes it and is quiet when there is none. Also the retry
// arithmetic (core/sync/retry.ts): full jitter's bounds and Retry-After in both of its forms.
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT_FILE, fileAccountStore } from '../../../core/sync/account-file.js';
import { backoffMs, retryAfterMs } from '../../../core/sync/retry.js';
import type { Account } from '../../../core/sync/types.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('account-file');
afterAll(() => work.remove());

const account = (key: string): Account => ({
  serverUrl: 'https://seal.example.org/api-prefix',
  credential: { scheme: 'api-key', key },
  user: { email: 'ana@example.org', tenantId: 't-1', role: 'owner' },
  capabilities: ['idempotency'],
});

describe('fileAccountStore', () => {
  it('writes 0600 even under a permissive umask, replaces atomically and reads back', async () => {
    const home = join(work.path, 'a', 'nested'); // made on first write
    const store = fileAccountStore(home);
    expect(await store.read()).toBeNull();
    const before = process.umask(0);
    try {
      await store.write(account('sk_live_one'));
      await store.write(account('sk_live_two'));
    } finally {
      process.umask(before);
    }
    expect(statSync(join(home, ACCOUNT_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(home)).toEqual([ACCOUNT_FILE]);
    expect(await store.read()).toEqual(account('sk_live_two'));
    await store.clear();
    expect(await store.read()).toBeNull();
    await store.clear(); // nothing to remove: quiet
  });

  it('refuses a file that group or others can read, naming the mode and the fix', async () => {
    const store = fileAccountStore(join(work.path, 'b'));
    await store.write(account('sk_live_three'));
    for (const m of [0o640, 0o604]) {
      chmodSync(join(work.path, 'b', ACCOUNT_FILE), m);
      const err = await store.read().catch((e: Error & { code: string }) => e);
      expect(err).toMatchObject({ code: 'INPUT_UNREADABLE' });
      expect((err as Error).message).toContain(`mode ${m.toString(8)}`);
      expect((err as Error).message).not.toContain('sk_live_three');
    }
  });

  it('refuses a file that is not an account file', async () => {
    const home = join(work.path, 'c');
    await fileAccountStore(home).write(account('k'));
    for (const text of ['not json', JSON.stringify({ serverUrl: 'x', credential: { scheme: 'magic' } })]) {
      writeFileSync(join(home, ACCOUNT_FILE), text, { mode: 0o600 });
      await expect(fileAccountStore(home).read()).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
    }
  });
});

describe('retry arithmetic', () => {
  const policy = { attempts: 5, baseMs: 100, maxMs: 1_000 };
  it('draws full jitter in [0, min(max, base·2^n)]', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, policy, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });
  it('reads Retry-After as seconds or as an HTTP date on the server clock', () => {
    const server = Date.parse('2026-03-01T10:00:00Z');
    expect(retryAfterMs('120', server)).toBe(120_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 10:00:30 GMT', server)).toBe(30_000);
    expect(retryAfterMs('Sun, 01 Mar 2026 09:00:00 GMT', server)).toBe(0);
    expect(retryAfterMs('soon', server)).toBeNull();
    expect(retryAfterMs(undefined, server)).toBeNull();
  });
});
