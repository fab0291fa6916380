// `sealdesk stamp | inspect | verify | lookup | history | queue` against real OpenSSL TSAs on loopback.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startTsa, type LoopbackTsa, type TsaOptions } from '../helpers/tsa-server.js';
import { tsText, tsVerify } from '../helpers/openssl.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { closedPortUrl } from '../helpers/net.js';

let pki: TestPki;
let work: string;
const servers: LoopbackTsa[] = [];
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sealdesk-stamp-'));
  pki = await createTestPki(join(work, 'pki'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  const home = join(work, `home-${n++}`);
  sealdesk = cliRunner({ SEALDESK_HOME: home, SEALDESK_TSA_TIMEOUT_MS: '1500' });
  await isolateTsas(sealdesk);
});

async function tsa(slug: string, opts: Partial<TsaOptions> = {}, ...extra: string[]): Promise<LoopbackTsa> {
  const server = await startTsa({ pki, ...opts });
  servers.push(server);
  const added = await sealdesk('tsa', 'add', slug, server.url, '--name', `TSA ${slug}`, ...extra);
  expect(added.code).toBe(0);
  return server;
}

function file(name: string, content = `content of ${name} ${Math.random()}`): string {
  const dir = join(work, `files-${n}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('stamp', () => {
  it('stamps a file, writes <file>.tsr that openssl ts -verify accepts, and records it', async () => {
    await tsa('one');
    const doc = file('report.csv');
    const r = await sealdesk('stamp', doc, '--label', 'Q3 report', '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out).toMatchObject({
      tsaName: 'TSA one',
      hashAlgorithmOid: '2.16.840.1.101.3.4.2.3',
      qualified: false,
      tsrPath: `${doc}.tsr`,
    });
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(out.tsrBase64, 'base64').equals(readFileSync(`${doc}.tsr`))).toBe(true);
    const v = await tsVerify({ data: doc, tsr: `${doc}.tsr`, caFile: pki.caFile, untrusted: pki.tsa.certPath });
    expect(v.ok, v.output).toBe(true);
    const text = await tsText(`${doc}.tsr`);
    expect(text.serialHex).toBe(out.serial);
    expect(text.genTime.toISOString()).toBe(out.genTime);
    expect(out.hashHex).toBe(readFileSync(doc).length ? text.messageImprintHex : '');

    const look = await sealdesk('lookup', doc, '--json');
    expect(look.code).toBe(0);
    expect(look.json()).toMatchObject({
      found: true,
      count: 1,
      latest: { id: out.id, tsaName: 'TSA one', label: 'Q3 report', tsrBase64: out.tsrBase64 },
    });
    const hist = await sealdesk('history', '--search', 'Q3', '--json');
    expect(hist.json()).toMatchObject({
      total: 1,
      page: 1,
      pageSize: 50,
      items: [{ id: out.id, label: 'Q3 report', status: 'stamped' }],
    });
  });

  it('does not stamp known content again: reports the record, restores a missing .tsr; --force stamps to <file>.1.tsr', async () => {
    await tsa('one');
    const doc = file('a.txt');
    const first = (await sealdesk('stamp', doc, '--json')).json();
    const tsr = readFileSync(`${doc}.tsr`);
    const again = await sealdesk('stamp', doc, '--json');
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ id: first.id, alreadyStamped: true });
    rmSync(`${doc}.tsr`);
    const restored = await sealdesk('stamp', doc);
    expect(restored.stdout).toMatch(/already stamped.*wrote its token/);
    expect(readFileSync(`${doc}.tsr`).equals(tsr)).toBe(true);
    const forced = await sealdesk('stamp', doc, '--force', '--json');
    expect(forced.code).toBe(0);
    expect(forced.json().tsrPath).toBe(`${doc}.1.tsr`);
    expect(forced.json().id).not.toBe(first.id);
    expect(readFileSync(`${doc}.tsr`).equals(tsr)).toBe(true);
    expect((await sealdesk('lookup', doc, '--json')).json().count).toBe(2);
  });

  it('never overwrites: an existing --out target is refused and left as it was', async () => {
    await tsa('one');
    const doc = file('b.txt');
    const target = file('taken.tsr', 'precious');
    const r = await sealdesk('stamp', doc, '--out', target, '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ code: 'OUTPUT_EXISTS', file: doc });
    expect(readFileSync(target, 'utf8')).toBe('precious');
    expect(r.json().message).toMatch(/safe in the ledger/);
  });

  it("with a pinned slug uses that TSA's preferred hash", async () => {
    await tsa('sha256-tsa', {}, '--hash', 'sha256');
    const doc = file('c.txt');
    const r = await sealdesk('stamp', doc, '--tsa', 'sha256-tsa', '--json');
    expect(r.code).toBe(0);
    expect(r.json().hashAlgorithmOid).toBe('2.16.840.1.101.3.4.2.1');
    const v = await tsVerify({ data: doc, tsr: `${doc}.tsr`, caFile: pki.caFile, untrusted: pki.tsa.certPath });
    expect(v.ok, v.output).toBe(true);
  });

  it('stamps several files: one array in input order, --out as a folder, exit code of the worst input', async () => {
    await tsa('one');
    const a = file('x1.txt');
    const b = file('x2.txt');
    const outDir = join(work, `out-${n}`);
    mkdirSync(outDir);
    const r = await sealdesk('stamp', a, join(work, 'missing.txt'), b, '--out', outDir, '--json');
    expect(r.code).toBe(2);
    const arr = r.json();
    expect(arr).toHaveLength(3);
    expect(arr[0].tsrPath).toBe(join(outDir, 'x1.txt.tsr'));
    expect(arr[1]).toMatchObject({ code: 'INPUT_UNREADABLE' });
    expect(arr[2].tsrPath).toBe(join(outDir, 'x2.txt.tsr'));
    expect(r.stderr).toMatch(/missing\.txt.*no such file/);
  });

  it('stamps identical content once even when a batch holds it twice (the others report the record)', async () => {
    const server = await tsa('one');
    const files = ['d1.txt', 'd2.txt', 'd3.txt', 'd4.txt', 'd5.txt'].map((name, i) =>
      file(name, i % 2 ? 'same bytes' : `unique ${i}`),
    );
    const r = await sealdesk('stamp', ...files, '--json');
    expect(r.code).toBe(0);
    const out = r.json();
    expect(out.map((o: { file: string }) => o.file)).toEqual(files);
    expect(out[1].alreadyStamped ?? out[3].alreadyStamped).toBe(true);
    expect(out[1].id).toBe(out[3].id);
    expect(server.requestCount()).toBe(4);
  });

  it('verifies ECDSA TSAs and SHA-1 ESSCertID tokens too', async () => {
    await tsa('ec', { signer: 'tsaEc', essCertIdAlg: 'sha1' });
    const doc = file('ec.txt');
    const r = await sealdesk('stamp', doc, '--json');
    expect(r.code, r.stderr).toBe(0);
    const v = await tsVerify({ data: doc, tsr: `${doc}.tsr`, caFile: pki.caFile, untrusted: pki.tsaEc.certPath });
    expect(v.ok, v.output).toBe(true);
  });
});

describe('failover and round-robin', () => {
  it('fails over from a failing TSA to the next and logs the failure with its class', async () => {
    await tsa('broken', { mode: 'http503' });
    await tsa('good');
    const r = await sealdesk('stamp', file('f.txt'), '--json');
    expect(r.code).toBe(0);
    expect(r.json().tsaName).toBe('TSA good');
    const log = (await sealdesk('tsa', 'failures', '--json')).json();
    expect(log[0]).toMatchObject({ tsa: 'TSA broken', tsaSlug: 'broken', errorClass: 'http_status', statusCode: 503 });
  });

  it('rotates consecutive stamps across enabled TSAs', async () => {
    await tsa('r1');
    await tsa('r2');
    await tsa('r3');
    const names: string[] = [];
    for (let i = 0; i < 4; i++) names.push((await sealdesk('stamp', file(`rr${i}.txt`), '--json')).json().tsaName);
    expect(names).toEqual(['TSA r1', 'TSA r2', 'TSA r3', 'TSA r1']);
  });

  it("when every TSA fails: exit 3 with the seed's 502 body, each failure classified", async () => {
    await tsa('s503', { mode: 'http503' });
    await tsa('garbage', { mode: 'garbage' });
    await tsa('slow', { mode: 'timeout' });
    const doc = file('g.txt');
    const r = await sealdesk('stamp', doc, '--json');
    expect(r.code).toBe(3);
    const body = r.json();
    expect(body).toMatchObject({
      code: 'ALL_TSAS_FAILED',
      message: 'All enabled TSAs failed.',
      attemptsTried: 3,
      file: doc,
    });
    expect(
      body.failures.map((f: { tsa: string; errorClass: string; statusCode: number | null }) => [
        f.tsa,
        f.errorClass,
        f.statusCode,
      ]),
    ).toEqual([
      ['TSA s503', 'http_status', 503],
      ['TSA garbage', 'parse', 200],
      ['TSA slow', 'timeout', null],
    ]);
    expect(body.failures[2].latencyMs).toBeGreaterThanOrEqual(1400);
    expect(existsSync(`${doc}.tsr`)).toBe(false);
    expect(r.stderr).toMatch(/all 3 TSA\(s\) failed/);
  });

  it.each([
    ['rejection', /refused the request: rejection/],
    ['wrong-imprint', /another document/],
    ['wrong-nonce', /nonce/],
    ['html200', /malformed TSR/],
  ] as const)('a TSA answering %s is a parse failure with a precise message', async (mode, message) => {
    await tsa('bad', { mode });
    const r = await sealdesk('stamp', file('m.txt'), '--json');
    expect(r.code).toBe(3);
    expect(r.json().failures[0]).toMatchObject({ errorClass: 'parse', message: expect.stringMatching(message) });
  });

  it.each([
    ['tsaNonCriticalEku', /not marked critical/],
    ['tsaNoEku', /no extended key usage/],
    ['tsaExpired', /outside the TSA certificate's validity/],
  ] as const)('refuses a token signed by %s', async (signer, message) => {
    await tsa('odd', { signer });
    const r = await sealdesk('stamp', file('e.txt'), '--json');
    expect(r.code).toBe(3);
    expect(r.json().failures[0]).toMatchObject({ errorClass: 'parse', message: expect.stringMatching(message) });
  });
});

describe('offline queue', () => {
  it('queues when no TSA can be reached (exit 4) and completes with `queue run` once one answers', async () => {
    await sealdesk('tsa', 'add', 'later', await closedPortUrl());
    const doc = file('offline.txt');
    const q = await sealdesk('stamp', doc, '--label', 'offline', '--json');
    expect(q.code).toBe(4);
    expect(q.json()).toEqual({ queued: true, id: expect.any(String), file: doc });
    expect(existsSync(`${doc}.tsr`)).toBe(false);
    expect((await sealdesk('queue', 'list', '--json')).json()).toMatchObject([{ id: q.json().id, file: doc }]);
    expect((await sealdesk('stamp', doc)).code).toBe(4);

    const stillOffline = await sealdesk('queue', 'run', '--json');
    expect(stillOffline.code).toBe(4);

    await sealdesk('tsa', 'disable', 'later');
    await tsa('online');
    const run = await sealdesk('queue', 'run', '--json');
    expect(run.code).toBe(0);
    expect(run.json()[0]).toMatchObject({
      status: 'stamped',
      id: q.json().id,
      tsaName: 'TSA online',
      tsrPath: `${doc}.tsr`,
    });
    const v = await tsVerify({ data: doc, tsr: `${doc}.tsr`, caFile: pki.caFile, untrusted: pki.tsa.certPath });
    expect(v.ok, v.output).toBe(true);
    expect((await sealdesk('queue', 'list', '--json')).json()).toEqual([]);
    expect((await sealdesk('lookup', doc, '--json')).json().latest).toMatchObject({
      label: 'offline',
      status: 'stamped',
    });
  });
});

describe('inspect and verify', () => {
  it('inspects our token with the serial, genTime and policy OpenSSL prints', async () => {
    await tsa('one', { policyOid: '1.3.6.1.4.1.99999.7.7' });
    const doc = file('i.txt');
    await sealdesk('stamp', doc);
    const r = await sealdesk('inspect', `${doc}.tsr`, '--json');
    expect(r.code).toBe(0);
    const ours = r.json();
    const theirs = await tsText(`${doc}.tsr`);
    expect(ours).toMatchObject({
      serial: theirs.serialHex,
      genTime: theirs.genTime.toISOString(),
      policyOid: '1.3.6.1.4.1.99999.7.7',
      hashAlg: '2.16.840.1.101.3.4.2.3',
      signatureValid: true,
      problems: [],
    });
    expect(ours.tsaName).toMatch(/Sealdesk Test TSA/);
    expect(new Date(ours.certNotAfter).getUTCFullYear()).toBe(2040);
  });

  it('verify: the original file is valid (exit 0); a modified one fails (exit 1, hashMatch false)', async () => {
    await tsa('one');
    const doc = file('v.txt', 'the original text');
    await sealdesk('stamp', doc);
    const ok = await sealdesk('verify', doc, '--tsr', `${doc}.tsr`, '--json');
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({
      valid: true,
      message: 'File matches the timestamp.',
      details: { hashMatch: true },
    });
    writeFileSync(doc, 'the original text, amended');
    const bad = await sealdesk('verify', doc, '--tsr', `${doc}.tsr`, '--json');
    expect(bad.code).toBe(1);
    expect(bad.json()).toMatchObject({ valid: false, details: { hashMatch: false } });
    expect(bad.json().details.claimedHashHex).not.toBe(bad.json().details.providedHashHex);
  });

  it('a token without certificates is inspected, and verified once the TSA certificate is given with --tsa-cert', async () => {
    const server = await tsa('nocerts');
    const doc = file('nc.txt', 'hello\n');
    const query = join(work, `nc-${n}.tsq`);
    const { openssl } = await import('../helpers/openssl.js');
    expect((await openssl(['ts', '-query', '-data', doc, '-sha256', '-out', query])).code).toBe(0); // no -cert: certReq false
    const res = await fetch(server.url, {
      method: 'POST',
      body: readFileSync(query),
      headers: { 'content-type': 'application/timestamp-query' },
    });
    const tsr = join(work, `nc-${n}.tsr`);
    writeFileSync(tsr, Buffer.from(await res.arrayBuffer()));
    const inspected = (await sealdesk('inspect', tsr, '--json')).json();
    expect(inspected).toMatchObject({ certificateCount: 0, certNotAfter: null, signatureValid: false });
    expect(inspected.problems[0]).toMatch(/--tsa-cert/);
    const without = await sealdesk('verify', doc, '--tsr', tsr, '--json');
    expect(without.code).toBe(1);
    expect(without.json().details.hashMatch).toBe(true);
    const withCert = await sealdesk('verify', doc, '--tsr', tsr, '--tsa-cert', pki.tsa.certPath, '--json');
    expect(withCert.code).toBe(0);
    expect(withCert.json()).toMatchObject({ valid: true, details: { signer: { source: 'external' } } });
    const wrongCert = await sealdesk('verify', doc, '--tsr', tsr, '--tsa-cert', pki.tsaEc.certPath, '--json');
    expect(wrongCert.code).toBe(1);
  });

  it('a TSA that leaves out its certificate although we asked for it is refused', async () => {
    await tsa('shy', { certs: false });
    const r = await sealdesk('stamp', file('shy.txt'), '--json');
    expect(r.code).toBe(3);
    expect(r.json().failures[0].message).toMatch(/asked for the TSA certificate/);
  });

  it('verify --trust: chained to the test root at genTime; another anchor makes it untrusted and not valid', async () => {
    await tsa('one');
    const doc = file('t.txt');
    await sealdesk('stamp', doc);
    const trusted = await sealdesk('verify', doc, '--tsr', `${doc}.tsr`, '--trust', pki.caFile, '--json');
    expect(trusted.code).toBe(0);
    expect(trusted.json().details).toMatchObject({
      tsaTrust: 'chained',
      tsaTrustPath: [expect.stringMatching(/Sealdesk Test TSA/), expect.stringMatching(/Sealdesk Test Root CA/)],
    });
    const { openssl } = await import('../helpers/openssl.js');
    const otherCa = join(work, `other-ca-${n}.pem`);
    expect(
      (
        await openssl([
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          `${otherCa}.key`,
          '-out',
          otherCa,
          '-subj',
          '/CN=Unrelated CA',
          '-days',
          '30',
        ])
      ).code,
    ).toBe(0);
    const untrusted = await sealdesk('verify', doc, '--tsr', `${doc}.tsr`, '--trust', otherCa, '--json');
    expect(untrusted.code).toBe(1);
    expect(untrusted.json()).toMatchObject({ valid: false, details: { hashMatch: true, tsaTrust: 'untrusted' } });
    const plain = await sealdesk('verify', doc, '--tsr', `${doc}.tsr`);
    expect(plain.stdout).toMatch(/not checked against a trust anchor/);
  });

  it('a file that is not a token is a clear error (exit 2, TOKEN_MALFORMED)', async () => {
    const junk = file('junk.tsr', 'not a token at all');
    const r = await sealdesk('inspect', junk, '--json');
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ code: 'TOKEN_MALFORMED', file: junk });
  });
});

describe('usage', () => {
  it('an unknown option or command is a usage error (exit 2) with a one-line message', async () => {
    const r = await sealdesk('stamp', 'x', '--frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sealdesk: stamp: Unknown option '--frobnicate'/);
    expect((await sealdesk('nonsense')).code).toBe(2);
    const pinned = await sealdesk('stamp', file('p.txt'), '--tsa', 'nosuch', '--json');
    expect(pinned.code).toBe(2);
    expect(pinned.json()).toMatchObject({ code: 'TSA_UNKNOWN' });
  });
});
