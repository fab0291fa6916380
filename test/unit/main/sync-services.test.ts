// The desktop's account and background sync as services (issue 17, "Desktop"), in Node against the real server on
// PGlite with a loopback OpenSSL TSA: sign-in by password and by API key (the keychain keeps the session or the key,
// never the password), the pushed `sync` state going pending → synced after a stamp, a label edit reaching the
// server, sign-in needed once the server revokes the key, offline (the stamp kept) once the server stops; "via server":
// a stamp whose hash alone goes to the server, and a seal that main confirms (file, size, server) before it is sent;
// in the worker host, a password session refreshed during a run reaches main's keychain.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SECRET } from '../../../main/account-store.js';
import type { ConfirmOptions } from '../../../main/dialogs.js';
import { dispatch } from '../../../main/dispatch.js';
import { keychain } from '../../../main/keychain.js';
import { startServiceHost } from '../../../main/host/start.js';
import { createMainSide } from '../../../main/main-side.js';
import { createServices, type SecretStore, type Services } from '../../../main/services/index.js';
import type { RequestOf, SyncStatus } from '../../../preload/api.js';
import { cliWithTsas } from '../../helpers/cli.js';
import { createTestPki } from '../../helpers/pki.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../../helpers/server.js';
import { call, newUser } from '../../helpers/server-client.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const PASSWORD = 'correct horse battery'; // test/helpers/server-client.ts registers every user with it
const work = tempDir('sync-services');
let tsa: LoopbackTsa;
let server: TestServer;
let user: Awaited<ReturnType<typeof newUser>>;
let n = 0;

/** The keychain as main keeps it (a Map here: safeStorage exists only in Electron). */
function memoryKeychain(): SecretStore & { readonly map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, get: (k) => map.get(k) ?? null, set: (k, v) => void (v === null ? map.delete(k) : map.set(k, v)) };
}

/** Services on a fresh data folder whose only TSA is the loopback one, and every `sync` state they push. */
async function desktop(o: { timers?: boolean } = {}) {
  const dataDir = join(work.path, `data-${++n}`);
  await cliWithTsas({ SEALDESK_HOME: dataDir }, { loop: { url: tsa.url, name: 'Loopback TSA' } });
  const keychain = memoryKeychain();
  const services = createServices({ dataDir, version: 'test', tsaTimeoutMs: 5000 }, { secrets: keychain });
  const seen: SyncStatus[] = [];
  const waiters: { pred: (s: SyncStatus) => boolean; resolve: (s: SyncStatus) => void }[] = [];
  services.subscribeEvents((e) => {
    if (e.kind !== 'sync') return;
    seen.push(e.status);
    for (const w of [...waiters]) {
      if (!w.pred(e.status)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e.status);
    }
  });
  /** The first state from now on that `pred` accepts. */
  const next = (pred: (s: SyncStatus) => boolean) =>
    new Promise<SyncStatus>((resolve) => waiters.push({ pred, resolve }));
  const stop = o.timers === false ? () => undefined : services.startTimers({ syncEveryMs: 3_600_000 });
  const stamp = (name: string, label: string) => {
    const file = join(dataDir, name);
    writeFileSync(file, `${name}: ${label}\n`);
    return services['stamp:files']({ paths: [file], label });
  };
  return { dataDir, keychain, services, seen, next, stamp, close: () => (stop(), services.close()) };
}

const details = async (search: string) =>
  (
    await call(server.url, 'GET', `/api/transactions/details?tenantId=${user.tenantId}&search=${search}`, {
      token: user.token,
    })
  ).body as { total: number; items: { label: string | null }[] };

beforeAll(async () => {
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  server = await startTestServer(await openTestDatabase('pglite'), {
    tsas: tsaProviders([{ slug: 'loop', url: tsa.url, name: 'Server loopback TSA' }]),
  });
  user = await newUser(server.url, { organisation: 'Acme' });
}, 60_000);
afterAll(async () => {
  await server?.close().catch(() => undefined); // closed already by the offline test
  await tsa?.close();
  work.remove();
});

describe('account', () => {
  it('signs in by password: the keychain keeps the session, never the password; sign out forgets it', async () => {
    const d = await desktop({ timers: false });
    expect(await d.services['account:status']({})).toEqual({ account: null, keychain: true, keychainNote: null });
    const state = await d.services['account:login']({ serverUrl: server.url, email: user.email, password: PASSWORD });
    expect(state.account).toMatchObject({ serverUrl: server.url, scheme: 'password', email: user.email });
    expect(JSON.stringify(state)).not.toMatch(/token|correct horse/i);
    const kept = d.keychain.map.get(ACCOUNT_SECRET)!;
    expect(JSON.parse(kept).credential).toMatchObject({ scheme: 'password', email: user.email });
    expect(kept).not.toContain(PASSWORD);
    expect((await d.services['account:logout']({})).account).toBeNull();
    expect(d.keychain.map.has(ACCOUNT_SECRET)).toBe(false);
    d.close();
  });

  it("on Linux's basic_text backend, sign-in is refused with the reason, and nothing is kept", async () => {
    const dataDir = join(work.path, 'no-keychain');
    // Electron's safeStorage as Chromium sets it up without a keyring (main/keychain.ts decides from this).
    const basicText = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    };
    const k = keychain(join(dataDir, 'secrets'), basicText, 'linux');
    const hooks = { secrets: k.secrets, keychainProblem: k.problem ?? undefined };
    const services = createServices({ dataDir, version: 'test' }, hooks);
    const state = await services['account:status']({});
    expect(state).toMatchObject({ account: null, keychain: false });
    expect(state.keychainNote).toMatch(/"basic_text".*fixed password.*keyring/);
    expect(state.keychainNote).not.toMatch(/passphrase/);
    await expect(services['account:login']({ serverUrl: server.url, apiKey: 'sk_anything' })).rejects.toThrow(
      /"basic_text"/,
    );
    expect(existsSync(join(dataDir, 'secrets'))).toBe(false);
    services.close();
  });
});

describe('background sync', () => {
  it('by API key: a stamp goes pending → synced, a label edit reaches the server', async () => {
    const key = await call(server.url, 'POST', '/api/keys', { token: user.token, body: { label: 'desktop' } });
    expect(key.status).toBe(200);
    const d = await desktop();
    const signedIn = d.next((s) => s.state === 'synced' && s.lastRunAt !== null); // the first run's end
    const state = await d.services['account:login']({ serverUrl: server.url, apiKey: key.body.key });
    expect(state.account).toMatchObject({ scheme: 'api-key', tenantId: user.tenantId });
    await signedIn;
    const synced = d.next((s) => s.state === 'synced' && s.pending === 0);
    const from = d.seen.length;
    const [item] = await d.stamp('minutes.txt', 'board minutes');
    expect(item).toMatchObject({ tsaName: 'Loopback TSA', tsrPath: expect.stringMatching(/\.tsr$/) });
    await synced;
    const after = d.seen.slice(from).map((s) => `${s.state}:${s.pending}`);
    expect(after).toContain('pending:1');
    expect(after.indexOf('pending:1')).toBeLessThan(after.lastIndexOf('synced:0'));
    expect(await details('board')).toMatchObject({ total: 1, items: [{ label: 'board minutes' }] });

    const list = await d.services['history:list']({});
    const record = list.items.find((i) => i.label === 'board minutes')!;
    const relabelled = d.next((s) => s.state === 'synced' && s.pending === 0);
    expect(await d.services['label:set']({ kind: record.kind, id: record.id, label: 'minutes, approved' })).toEqual({
      kind: record.kind,
      id: record.id,
      label: 'minutes, approved',
    });
    await relabelled;
    expect(await details('approved')).toMatchObject({ total: 1, items: [{ label: 'minutes, approved' }] });

    // The server revokes the key: the next run stops at 401 and asks for a sign-in; the stamp stays queued.
    expect((await call(server.url, 'DELETE', `/api/keys/${key.body.id}`, { token: user.token })).status).toBe(200);
    const signIn = d.next((s) => s.state === 'sign-in-needed');
    await d.stamp('agenda.txt', 'agenda');
    expect(await signIn).toMatchObject({ state: 'sign-in-needed', pending: 1 });
    expect(await details('agenda')).toMatchObject({ total: 0 });
    d.close();
  });

  it('via the server: a stamp sends only the hash and keeps the .tsr; a seal is sent only after main asks', async () => {
    const d = await desktop({ timers: false });
    await d.services['account:login']({ serverUrl: server.url, email: user.email, password: PASSWORD });
    const note = join(work.path, 'remote.txt');
    writeFileSync(note, 'via the server\n');
    const [stamped] = await d.services['stamp:files']({ paths: [note], label: 'remote minutes', remote: true });
    expect(stamped).toMatchObject({ server: true, tsaName: 'Server loopback TSA' });
    expect(stamped!.tsrPath).toMatch(/remote\.txt\.tsr$/);
    expect(await details('remote')).toMatchObject({ total: 1, items: [{ label: 'remote minutes' }] });

    const asked: ConfirmOptions[] = [];
    let answer = false;
    const side = createMainSide({
      hooks: { confirm: async (o) => (asked.push(o), answer) },
      serverUrl: () => server.url,
    });
    const calls: unknown[] = [];
    const seen: Services = {
      ...d.services,
      'jobs:seal': (r: RequestOf<'jobs:seal'>) => (calls.push(r), d.services['jobs:seal'](r)),
    };
    const doc = join(work.path, 'contract.txt');
    writeFileSync(doc, 'x'.repeat(1234));
    const request = { files: [side.files.issue(doc).handle], remoteCert: 'no-such-certificate' };
    const ours = 'app://sealdesk/';
    const send = () => dispatch('jobs:seal', ours, request, seen, (u) => u === ours, side);
    expect(await send()).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(calls).toEqual([]); // a no: nothing reached the services, nothing left
    expect(asked[0]!.message).toBe(`Send "contract.txt" (1,234 bytes) to ${server.url} to be sealed?`);
    answer = true;
    const started = (await send()) as { ok: true; value: { id: string } };
    expect(started).toMatchObject({ ok: true });
    expect(calls).toEqual([{ paths: [doc], remoteCert: 'no-such-certificate' }]);
    // It went: the server, which has no such certificate, refused it.
    const ended = new Promise<void>((resolve) =>
      d.services.subscribeJobs((j) => j.id === started.value.id && j.state !== 'running' && resolve()),
    );
    if ((await d.services['jobs:status']({ id: started.value.id })).state === 'running') await ended;
    const job = await d.services['jobs:status']({ id: started.value.id });
    expect(job.results).toMatchObject([{ server: true, error: { code: 'REMOTE_REFUSED' } }]);
    d.close();
  });

  it("in the worker host: a session refreshed during a run is written back to main's keychain", async () => {
    const d = await desktop({ timers: false });
    await d.services['account:login']({ serverUrl: server.url, email: user.email, password: PASSWORD });
    const signedIn = JSON.parse(d.keychain.map.get(ACCOUNT_SECRET)!);
    d.close();
    // The stored access token no longer works: the host's run gets a 401, refreshes, and main keeps the new session.
    const stale = { ...signedIn, credential: { ...signedIn.credential, accessToken: 'revoked' } };
    const keychain = memoryKeychain();
    keychain.set(ACCOUNT_SECRET, JSON.stringify(stale));
    const host = await startServiceHost({
      options: { dataDir: d.dataDir, version: 'test' },
      hooks: { secrets: keychain },
      timers: false,
    });
    try {
      expect((await host.services['sync:now']({})).status).toMatchObject({ state: 'synced', pending: 0 });
      const kept = JSON.parse(keychain.map.get(ACCOUNT_SECRET)!).credential;
      expect(kept).toMatchObject({ scheme: 'password', email: user.email });
      expect(kept.accessToken).not.toBe('revoked');
      expect(kept.refreshToken).toEqual(expect.any(String));
    } finally {
      await host.close();
    }
  });

  it('offline once the server stops: the stamp is kept pending and the state says offline', async () => {
    const d = await desktop();
    const signedIn = d.next((s) => s.state === 'synced' && s.lastRunAt !== null); // the first run's end
    await d.services['account:login']({ serverUrl: server.url, email: user.email, password: PASSWORD });
    await signedIn;
    await server.close(); // the last test: afterAll's close finds it closed
    const offline = d.next((s) => s.state === 'offline' && s.pending === 1);
    const [item] = await d.stamp('offline.txt', 'made offline');
    expect(item).toMatchObject({ tsaName: 'Loopback TSA', tsrPath: expect.stringMatching(/\.tsr$/) });
    expect(await offline).toMatchObject({ state: 'offline', pending: 1, serverUrl: server.url });
    expect(await d.services['sync:status']({})).toMatchObject({ state: 'offline', pending: 1 });
    d.close();
  });
});
