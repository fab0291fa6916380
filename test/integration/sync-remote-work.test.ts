// Remote work (issue 17) against the real server on PGlite with a loopback OpenSSL TSA and the platform seal
// certificate: `stamp --remote` writes a .tsr that `openssl ts -verify` accepts for the file (only the hash was sent);
// `seal --remote-cert` of a PDF is seen by pdfsig and our verify, of a .txt gives a .p7s `openssl cms -verify` accepts;
// with the server stopped each is queued (exit 4) and `sealdesk sync` sends it once the server is back; a file changed
// meanwhile is refused with the reason; without a terminal and without --yes nothing is sent; `restamp --remote`
// extends the chain with the server's link.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteSealInputs } from '../../core/app/remote-seal.js';
import { openLedger } from '../../core/ledger/index.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { openRemoteClient } from '../../core/sync/http.js';
import type { RemoteClient } from '../../core/sync/types.js';
import { main } from '../../cli/main.js';
import { buildServer } from '../../server/app.js';
import type { Database as ServerDb } from '../../server/db/sql.js';
import { platformId } from '../../server/sealing/keystore.js';
import { cliRunner, cliWithTsas, type CliRun } from '../helpers/cli.js';
import { openssl } from '../helpers/openssl.js';
import { createNssDb, pdfsigVerify } from '../helpers/pdf-judges.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const dir = tempDir('remote-work');
const home = join(dir.path, 'home');
let pki: TestPki;
let tsa: LoopbackTsa;
let db: ServerDb;
let server: TestServer;
let port: number;
let certId: string;
let sealdesk: (...args: string[]) => Promise<CliRun>;
let chainId: string;
/** Every request the server received (method and path), in order. */
const seen: string[] = [];

const file = (name: string, content: string | Buffer) => {
  const path = join(dir.path, name);
  writeFileSync(path, content);
  return path;
};
const outbox = () => {
  const ledger = new Database(join(home, 'ledger.sqlite'), { readonly: true });
  try {
    return ledger.prepare('SELECT kind, state, last_error AS lastError FROM sync_outbox ORDER BY seq').all() as {
      kind: string;
      state: string;
      lastError: string | null;
    }[];
  } finally {
    ledger.close();
  }
};

async function listen(s: TestServer): Promise<void> {
  s.app.server.on('request', (req: { method?: string; url?: string }) => seen.push(`${req.method} ${req.url}`));
}

/** The server again, on the same port and database (the account's URL stays valid). */
async function restart(): Promise<void> {
  const app = await buildServer(server.ctx);
  await app.listen({ port, host: '127.0.0.1' });
  server = { ...server, app, close: () => app.close() };
  await listen(server);
}

beforeAll(async () => {
  pki = await createTestPki(join(dir.path, 'pki'));
  tsa = await startTsa({ pki });
  db = await openTestDatabase('pglite');
  const platform = {
    label: 'Sealdesk platform seal',
    chainPem: pki.signer.certPem + pki.root.certPem,
    key: { kind: 'pem' as const, keyPem: pki.signer.keyPem },
  };
  server = await startTestServer(db, {
    tsas: tsaProviders([{ slug: 'tsa-a', name: 'TSA A', url: tsa.url }]),
    ctx: { sealing: { store: null, platform, trustDev: [pki.root.der] } },
  });
  port = Number(new URL(server.url).port);
  await listen(server);
  certId = platformId(platform);
  const owner = await newUser(server.url, { organisation: 'Remote Work AS' });
  const key = await call(server.url, 'POST', '/api/keys', { token: owner.token, body: { label: 'cli' } });
  expect(key.status).toBe(200);
  const env = { SEALDESK_HOME: home, REMOTE_KEY: key.body.key, SEALDESK_SYNC_ATTEMPTS: '1' };
  sealdesk = await cliWithTsas(env, { 'tsa-a': { url: tsa.url, name: 'TSA A' } });
  const login = await sealdesk('account', 'login', server.url, '--api-key-env', 'REMOTE_KEY');
  expect(login.stderr).toBe('');
  expect(login.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await tsa?.close();
  dir.remove();
});

describe('remote work through the account', () => {
  it('stamp --remote: only the hash is sent, the .tsr beside the file verifies with openssl', async () => {
    const doc = file('minutes.txt', 'minutes of the board, 5 December\n');
    const before = seen.length;
    const r = await sealdesk('stamp', doc, '--remote', '--label', 'board', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({ remote: true, tsaName: 'TSA A', tsrPath: `${doc}.tsr`, remoteId: expect.any(String) });
    expect(seen.slice(before)).toEqual(['POST /tsa/stamp-hash', `GET /api/lookup/${sha512(doc)}`]);
    const v = await openssl(['ts', '-verify', '-data', doc, '-in', `${doc}.tsr`, '-CAfile', pki.root.certPath]);
    expect(v.stdout).toMatch(/Verification: OK/);
    // The server keeps the same token under the id the ledger recorded; the outbox pushes nothing for it.
    const found = await call(server.url, 'GET', `/api/lookup/${sha512(doc)}`);
    expect(found.body.latest.id).toBe(out.remoteId);
    expect(found.body.latest.tsrBase64).toBe(readFileSync(`${doc}.tsr`).toString('base64'));
    expect(outbox().filter((o) => o.state === 'pending')).toEqual([]);
    // Again: the server gives its proof of this hash again, which is the same record here.
    const again = await sealdesk('stamp', doc, '--remote', '--json');
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ alreadyStamped: true, id: out.id, tsrPath: `${doc}.tsr` });
    expect(existsSync(`${doc}.1.tsr`)).toBe(false);
  });

  it('without an account: ACCOUNT_NONE, naming the login command', async () => {
    const other = cliRunner({ SEALDESK_HOME: join(dir.path, 'no-account') });
    const r = await other('stamp', file('alone.txt', 'x\n'), '--remote', '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({
      code: 'ACCOUNT_NONE',
      message: expect.stringContaining('sealdesk account login'),
    });
  });

  it('seal --remote-cert: a PDF comes back sealed (pdfsig and our verify see it), a .txt with a .p7s', async () => {
    const pdf = file('offer.pdf', minimalPdf());
    const r = await sealdesk('seal', pdf, '--remote-cert', certId, '--yes', '--json');
    const size = readFileSync(pdf).length;
    expect(r.stderr).toBe(`${pdf} (${size} bytes) will be sent to ${server.url} to be sealed with ${certId}\n`);
    expect(r.code).toBe(0);
    const sealed = join(dir.path, 'offer_sealed.pdf');
    expect(r.json()).toMatchObject({ format: 'pades', outputPath: sealed, timestampedBy: 'TSA A', remote: true });
    const sigs = await pdfsigVerify(sealed, await createNssDb(pki.root.certPath));
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ signatureValid: true, certificateTrusted: true, wholeDocument: true });
    const ours = await sealdesk('verify', sealed, '--trust', pki.root.certPath, '--json');
    expect(ours.json()).toMatchObject({ indication: 'TOTAL-PASSED' });
    // Sealed again: its output is taken, so the file is not even sent.
    const before = seen.length;
    const again = await sealdesk('seal', pdf, '--remote-cert', certId, '--yes', '--json');
    expect(again.code).toBe(2);
    expect(again.json()).toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(seen.slice(before)).toEqual([]);

    const txt = file('notes.txt', 'notes to be sealed by the server\n');
    const c = await sealdesk('seal', txt, '--remote-cert', certId, '--yes', '--json');
    expect(c.code).toBe(0);
    expect(c.json()).toMatchObject({ format: 'cades', outputPath: `${txt}.p7s` });
    const v = await openssl([
      ...['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${txt}.p7s`, '-content', txt],
      ...['-CAfile', pki.root.certPath, '-purpose', 'any', '-out', '/dev/null'],
    ]);
    expect(v.stderr).toMatch(/Verification successful/);
  });

  it('a seal that does not verify is not written: one byte of the signed revision changed on the way', async () => {
    const pdf = file('tampered.pdf', minimalPdf());
    const real = openRemoteClient((await fileAccountStore(home).read())!);
    const tampering: RemoteClient = {
      account: real.account,
      has: (e) => real.has(e),
      json: (req, signal) => real.json(req, signal),
      send: async (req, signal) => {
        const res = await real.send(req, signal);
        const body = Buffer.from(res.body);
        const at = body.indexOf('(Approved)', readFileSync(pdf).length);
        expect(at).toBeGreaterThan(0);
        body[at + 1] = 'B'.charCodeAt(0);
        return { ...res, body };
      },
    };
    const ledger = openLedger(join(home, 'ledger.sqlite'));
    try {
      const ctx = { db: ledger, now: () => new Date() };
      const [item] = await remoteSealInputs(ctx, tampering, [pdf], { certificateId: certId, reason: 'Approved' });
      expect(item).toMatchObject({ error: { code: 'SIGNATURE_BROKEN' } });
      expect((item as { error: Error }).error.message).toMatch(/not kept: its last signature is not intact/);
    } finally {
      ledger.close();
    }
    expect(existsSync(join(dir.path, 'tampered_sealed.pdf'))).toBe(false);
  });

  it('seal --remote-cert asks first: refused without a terminal and --yes, nothing sent unless agreed', async () => {
    const txt = file('secret.txt', 'not to leave the machine unasked\n');
    const before = seen.length;
    const r = await sealdesk('seal', txt, '--remote-cert', certId);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sends the file to the server: pass --yes/);
    expect(seen.slice(before)).toEqual([]);
    expect(existsSync(`${txt}.p7s`)).toBe(false);
    // At a terminal: the notice, then the question; "no" sends nothing, "yes" seals.
    for (const answer of [false, true]) {
      let stderr = '';
      const asked: string[] = [];
      const io = {
        stdout: () => undefined,
        stderr: (t: string) => void (stderr += t),
        env: { SEALDESK_HOME: home },
        isTTY: true,
        confirm: async (q: string) => (asked.push(`${stderr}${q}`), answer),
      };
      const code = await main(['seal', txt, '--remote-cert', certId], io);
      const notice = `${txt} (${readFileSync(txt).length} bytes) will be sent to ${server.url} to be sealed with ${certId}`;
      expect(asked).toEqual([`${notice}\nSend? [y/N] `]);
      expect(code).toBe(answer ? 0 : 2);
      expect(existsSync(`${txt}.p7s`)).toBe(answer);
    }
    expect(seen.slice(before)).toEqual(['POST /seal/sign']);
  });

  it('restamp --remote: the server makes the new link, the chain goes on beside the file', async () => {
    const doc = file('chain.txt', 'a record to keep for a long time\n');
    const first = (await sealdesk('stamp', doc, '--remote', '--json')).json();
    chainId = first.id;
    const r = await sealdesk('restamp', first.id, '--remote', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ parentTransactionId: first.id, tsrPath: `${doc}.1.tsr`, remote: true });
    const chain = await sealdesk('chain', first.id, '--json');
    expect(chain.json().links).toHaveLength(2);
    // A stamp made here, not pushed yet: the outbox goes first, then the server restamps it.
    const local = file('local.txt', 'stamped at the local TSA\n');
    const own = (await sealdesk('stamp', local, '--json')).json();
    expect(outbox().at(-1)).toMatchObject({ kind: 'stamp', state: 'pending' });
    const pushed = await sealdesk('restamp', own.id, '--remote', '--json');
    expect(pushed.code).toBe(0);
    expect(pushed.json()).toMatchObject({ parentTransactionId: own.id, tsrPath: `${local}.1.tsr` });
    expect(outbox().filter((o) => o.state === 'pending')).toEqual([]);
  });

  it('offline: queued with exit 4; back online, sync sends them; a file changed meanwhile is refused', async () => {
    await server.close();
    const doc = file('offline.txt', 'stamped while the server was down\n');
    const stamp = await sealdesk('stamp', doc, '--remote');
    expect(stamp.code).toBe(4);
    expect(stamp.stdout).toMatch(/queued/);
    const txt = file('later.txt', 'sealed later\n');
    const changed = file('changed.txt', 'the first version\n');
    expect((await sealdesk('seal', txt, '--remote-cert', certId, '--yes')).code).toBe(4);
    expect((await sealdesk('seal', changed, '--remote-cert', certId, '--yes')).code).toBe(4);
    const moved = file('moved.txt', 'stamped offline, then edited\n');
    expect((await sealdesk('stamp', moved, '--remote')).code).toBe(4);
    expect((await sealdesk('restamp', chainId, '--remote')).code).toBe(4);
    expect(existsSync(`${doc}.tsr`)).toBe(false);
    const pending = outbox().filter((o) => o.state === 'pending');
    expect(pending.map((o) => o.kind)).toEqual([
      'remote-stamp',
      'remote-seal',
      'remote-seal',
      'remote-stamp',
      'remote-restamp',
    ]);
    writeFileSync(changed, 'the second version\n');
    writeFileSync(moved, 'edited after it was stamped\n');

    await restart();
    const sync = await sealdesk('sync', '--json');
    expect(sync.code).toBe(0);
    const v = await openssl(['ts', '-verify', '-data', doc, '-in', `${doc}.tsr`, '-CAfile', pki.root.certPath]);
    expect(v.stdout).toMatch(/Verification: OK/);
    expect(existsSync(`${txt}.p7s`)).toBe(true);
    expect(existsSync(`${changed}.p7s`)).toBe(false);
    const rows = outbox()
      .filter((o) => o.kind.startsWith('remote-'))
      .slice(-5);
    expect(rows.map((o) => o.state)).toEqual(['sent', 'sent', 'refused', 'sent', 'sent']);
    expect(rows[2]!.lastError).toMatch(/changed since the seal was asked for/);
    // The edited file's token is kept in the ledger, no .tsr is written beside a file it does not cover.
    expect(rows[3]!.lastError).toMatch(/moved\.txt changed since it was stamped: the token is kept in the ledger/);
    expect(existsSync(`${moved}.tsr`)).toBe(false);
    expect(existsSync(join(dir.path, 'chain.txt.2.tsr'))).toBe(true);
    expect((await sealdesk('chain', chainId, '--json')).json().links).toHaveLength(3);
  });
});

function sha512(path: string): string {
  return createHash('sha512').update(readFileSync(path)).digest('hex');
}
