// `sealdesk account` against the real sealdesk-server (PGlite, loopback): sign-in with each of the four schemes (a
// password, an API key, seed 004's HMAC key, seed 000's client-JWT key, all made through the server's own routes),
// `account status` and `logout`, the 0600 account file (and a readable one refused), a password session refreshed
// before it expires and an expired one asking for sign-in, and the CLI as built, run under libfaketime ±10 minutes,
// signing HMAC and JWT requests that the server accepts (the server's Date header sets the client's clock).
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountStatus, login } from '../../core/app/account.js';
import { openLedger, syncAccount } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { closeConnections } from '../../core/sync/transport.js';
import type { Database } from '../../server/db/sql.js';
import { cliRunner } from '../helpers/cli.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const work = tempDir('sync-account');
const PASSWORD = 'correct horse battery'; // newUser's
// The CLI exactly as shipped, in this file's own folder (inside node_modules so it finds its packages; no other
// build can swap it mid-test). Started at once: the build runs while the server starts and the first tests run.
const outdir = resolve(`node_modules/.cache/sealdesk-sync-account-${process.pid}`);
mkdirSync(outdir, { recursive: true });
const built = run(process.execPath, ['scripts/build.mjs', '--cli-only', '--cli-out', outdir]);
built.catch(() => undefined); // awaited (and reported) by the libfaketime tests

let db: Database;
let server: TestServer;
let owner: Awaited<ReturnType<typeof newUser>>;

beforeAll(async () => {
  db = await openTestDatabase('pglite');
  server = await startTestServer(db);
  owner = await newUser(server.url, { organisation: 'Sync accounts' });
}, 180_000);
afterAll(async () => {
  await closeConnections();
  await server?.close();
  await db?.close();
  await built.catch(() => undefined);
  rmSync(outdir, { recursive: true, force: true });
  work.remove();
});

let homes = 0;
function home(): { path: string; sealdesk: ReturnType<typeof cliRunner>; file: string } {
  const path = join(work.path, `home-${++homes}`);
  return { path, file: join(path, 'account.json'), sealdesk: cliRunner({ SEALDESK_HOME: path, ...secrets }) };
}
const secrets: Record<string, string> = { SD_PASSWORD: PASSWORD };

async function clientKey(kind: 'jwt' | 'hmac'): Promise<{ keyId: string; secret: string }> {
  const made = await call(server.url, 'POST', '/api/client-keys', { token: owner.token, body: { kind } });
  expect(made.status).toBe(200);
  return made.body;
}

const mode = (file: string) => statSync(file).mode & 0o777;
function ledgerAccount(homePath: string): string | null {
  const ledger = openLedger(join(homePath, 'ledger.sqlite'));
  try {
    return syncAccount(ledger);
  } finally {
    ledger.close();
  }
}

describe('account login, status and logout with each scheme', () => {
  it('signs in with a password, keeps only the session (0600), shows it and signs out', async () => {
    const h = home();
    const r = await h.sealdesk('account', 'login', server.url, '--email', owner.email, '--password-env', 'SD_PASSWORD');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`as ${owner.email} by password`);
    expect(mode(h.file)).toBe(0o600);
    expect(ledgerAccount(h.path)).toBe(server.url); // the outbox is on
    const stored = readFileSync(h.file, 'utf8');
    expect(stored).not.toContain(PASSWORD);
    const status = await h.sealdesk('account', 'status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(status.json()).toEqual({
      state: 'signed-in',
      account: {
        serverUrl: server.url,
        scheme: 'password',
        keyId: null,
        user: { email: owner.email, tenantId: owner.tenantId, role: 'owner' },
        capabilities: expect.arrayContaining(['client-keys', 'transactions-import']),
      },
    });
    const token = JSON.parse(stored).credential.accessToken as string;
    expect(status.stdout).not.toContain(token);
    const out = await h.sealdesk('account', 'logout');
    expect(out.code).toBe(0);
    expect(() => statSync(h.file)).toThrow();
    expect(ledgerAccount(h.path)).toBeNull();
    expect((await h.sealdesk('account', 'status', '--json')).json()).toEqual({ state: 'no-account' });
  });

  it('refuses a wrong password (AUTH_REQUIRED) and stores nothing', async () => {
    const h = home();
    secrets.SD_WRONG = 'not the password';
    const r = await cliRunner({ SEALDESK_HOME: h.path, ...secrets })(
      ...['account', 'login', server.url, '--email', owner.email, '--password-env', 'SD_WRONG'],
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refused the email or password');
    expect(r.stderr).not.toContain('not the password');
    expect(() => statSync(h.file)).toThrow();
  });

  it('signs in with an API key, an HMAC key and a JWT key; status --json names no secret', async () => {
    const key = (await call(server.url, 'POST', '/api/keys', { token: owner.token, body: { label: 'sync' } })).body;
    const hmac = await clientKey('hmac');
    const jwt = await clientKey('jwt');
    Object.assign(secrets, { SD_KEY: key.key, SD_HMAC_ID: hmac.keyId, SD_HMAC: hmac.secret, SD_JWT: jwt.secret });
    const ways: [string, string | null, string[]][] = [
      ['api-key', null, ['--api-key-env', 'SD_KEY']],
      ['hmac', hmac.keyId, ['--hmac-key-env', 'SD_HMAC_ID', '--hmac-secret-env', 'SD_HMAC']],
      ['jwt', jwt.keyId, ['--jwt-kid', jwt.keyId, '--jwt-secret-env', 'SD_JWT']],
    ];
    for (const [scheme, keyId, flags] of ways) {
      const h = home();
      const r = await h.sealdesk('account', 'login', `${server.url}/`, ...flags, '--json');
      expect(r.code, `${scheme}: ${r.stderr}`).toBe(0);
      expect(mode(h.file)).toBe(0o600);
      for (const out of [r, await h.sealdesk('account', 'status', '--json')]) {
        expect(out.json()).toMatchObject({
          state: 'signed-in',
          account: { serverUrl: server.url, scheme, keyId, user: { email: owner.email, tenantId: owner.tenantId } },
        });
        for (const secret of [key.key, hmac.secret, jwt.secret]) expect(out.stdout).not.toContain(secret);
      }
    }
  });

  it('refuses an account file that others can read, and says how to fix it', async () => {
    const h = home();
    const r = await h.sealdesk('account', 'login', server.url, '--api-key-env', 'SD_KEY');
    expect(r.code, r.stderr).toBe(0);
    chmodSync(h.file, 0o644);
    const status = await h.sealdesk('account', 'status');
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/other users can read it \(mode 644\).*chmod 600/);
    expect((await h.sealdesk('account', 'logout')).code).toBe(0); // signing out still removes it
    expect(() => statSync(h.file)).toThrow();
  });
});

describe('password sessions', () => {
  it('refreshes a session shortly before it expires, keeps the new one, asks for sign-in once expired', async () => {
    let shiftMs = -58 * 60_000; // the server's clock: the session is issued 58 minutes "ago"
    const node = await startTestServer(db, { ctx: { now: () => new Date(Date.now() + shiftMs) } });
    try {
      const h = home();
      const store = fileAccountStore(h.path);
      const first = await login(store, { serverUrl: node.url, email: owner.email, password: PASSWORD });
      if (first.credential.scheme !== 'password') throw new Error('not a password session');
      const oldExp = decodeJwt(first.credential.accessToken).exp!;
      expect(oldExp * 1000 - Date.now()).toBeLessThan(3 * 60_000);
      shiftMs = 0;
      expect((await accountStatus(store, { check: true })).state).toBe('signed-in');
      const kept = (await store.read())!.credential;
      if (kept.scheme !== 'password') throw new Error('not a password session');
      expect(kept.accessToken).not.toBe(first.credential.accessToken);
      expect(decodeJwt(kept.accessToken).exp! - oldExp).toBeGreaterThan(50 * 60);
      expect(mode(join(h.path, 'account.json'))).toBe(0o600);
      shiftMs = 61 * 60_000; // an hour later: the session has run out, and a refresh cannot revive it
      expect((await accountStatus(store, { check: true })).state).toBe('sign-in-needed');
      expect((await store.read())!.credential).toEqual(kept); // nothing dropped
    } finally {
      await closeConnections();
      await node.close();
    }
  });
});

describe('clock skew under libfaketime (the CLI as built)', () => {
  beforeAll(async () => {
    await built;
  }, 120_000);

  const skewed = (offset: string, path: string, ...args: string[]) =>
    run('faketime', ['-f', offset, process.execPath, join(outdir, 'sealdesk.js'), ...args], {
      env: { ...process.env, ...secrets, SEALDESK_HOME: path },
    });

  it.each(['+10m', '-10m'])('signs HMAC and JWT requests the server accepts with the clock %s', async (offset) => {
    // The child's clock is off by the offset (ours is not): the server's ±5-minute window would refuse it as is.
    const child = await run('faketime', ['-f', offset, process.execPath, '-p', 'Date.now()']);
    expect(Math.abs(Number(child.stdout) - Date.now() - (offset === '+10m' ? 600_000 : -600_000))).toBeLessThan(30_000);
    const hmac = await clientKey('hmac');
    const jwt = await clientKey('jwt');
    Object.assign(secrets, { SD_HMAC_ID: hmac.keyId, SD_HMAC: hmac.secret, SD_JWT: jwt.secret });
    const ways = [
      ['--hmac-key-env', 'SD_HMAC_ID', '--hmac-secret-env', 'SD_HMAC'],
      ['--jwt-kid', jwt.keyId, '--jwt-secret-env', 'SD_JWT'],
    ];
    for (const flags of ways) {
      const h = home();
      const signedIn = await skewed(offset, h.path, 'account', 'login', server.url, ...flags, '--json');
      expect(JSON.parse(signedIn.stdout)).toMatchObject({
        state: 'signed-in',
        account: { user: { email: owner.email } },
      });
      const status = await skewed(offset, h.path, 'account', 'status', '--json');
      expect(JSON.parse(status.stdout)).toMatchObject({
        state: 'signed-in',
        account: { keyId: flags[1] === 'SD_HMAC_ID' ? hmac.keyId : jwt.keyId },
      });
    }
  });
});
