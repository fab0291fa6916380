// `sealdesk tl` on synthetic lists signed with test keys (T1a's builder): an "OJ" certificate added as the user's
// anchor, a LOTL whose signing key was rotated twice (pivots 10 and 11), a national list past its next update and a
// tampered one. Import, status, anchors; refresh from a loopback HTTP server, a failing refresh keeping the last good
// copy, and the caps on lists, pivots and bytes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlStatusRow } from '../../core/app/trusted-lists.js';
import { cliRunner } from '../helpers/cli.js';
import { createTestPki, issueCertificate, type TestCert, type TestPki } from '../helpers/pki.js';
import { buildLotl, buildTl, signList } from '../helpers/tl-builder.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('tl-cli');
let pki: TestPki;
let oj: TestCert; // the "Official Journal" certificate: signs pivot 10
let keyA: TestCert; // announced by pivot 10, signs pivot 11
let keyB: TestCert; // announced by pivot 11, signs the current LOTL 12
let ojNew: TestCert; // a "new OJ publication": signs LOTL 13, which names no pivot
let server: Server;
let base = '';
const served = new Map<string, Buffer>();
const files: Record<string, string> = {};
const lists: Record<string, Buffer> = {};

const NOW = new Date();
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

/** The lists, pointing at `origin` (the loopback server). */
async function buildAll(origin: string): Promise<void> {
  const pointer = (territory: string, cert: TestCert, name = territory.toLowerCase()) => ({
    territory,
    location: `${origin}/${name}.xml`,
    certificates: [cert.der],
  });
  const self = (cert: TestCert) => pointer('EU', cert, 'eu-lotl');
  const p10 = `${origin}/eu-lotl-pivot-10.xml`;
  const p11 = `${origin}/eu-lotl-pivot-11.xml`;
  lists.p10 = await signList(buildLotl({ sequence: 10, pointers: [self(keyA)] }), oj);
  lists.p11 = await signList(buildLotl({ sequence: 11, pivots: [p10], pointers: [self(keyB)] }), keyA);
  const nationals = [pointer('EE', pki.signer), pointer('SK', pki.signerEc)];
  lists.lotl = await signList(
    buildLotl({ sequence: 12, pivots: [p11, p10], pointers: [self(keyB), ...nationals] }),
    keyB,
  );
  lists.lotl13 = await signList(buildLotl({ sequence: 13, pointers: [self(ojNew), ...nationals] }), ojNew);
  const service = { serviceName: 'Test QTSA', type: 'tsaQtst', certificates: [pki.tsa.der] };
  lists.ee = await signList(
    buildTl({ territory: 'EE', sequence: 3, nextUpdate: day(-2), services: [service] }),
    pki.signer,
  );
  lists.sk = await signList(
    buildTl({ territory: 'SK', sequence: 5, nextUpdate: day(90), services: [service] }),
    pki.signerEc,
  );
  lists.skTampered = Buffer.from(lists.sk.toString('utf8').replace('Test QTSA', 'Test QTSB'));
  lists.sk6Tampered = Buffer.from(
    (await signList(buildTl({ territory: 'SK', sequence: 6, services: [service] }), pki.signerEc))
      .toString('utf8')
      .replace('Test QTSA', 'Evil QTSA'),
  );
  for (const [name, bytes] of Object.entries(lists))
    writeFileSync((files[name] = join(tmp.path, `${name}.xml`)), bytes);
  served.clear();
  served
    .set('/eu-lotl.xml', lists.lotl)
    .set('/eu-lotl-pivot-10.xml', lists.p10)
    .set('/eu-lotl-pivot-11.xml', lists.p11);
  served.set('/ee.xml', lists.ee).set('/sk.xml', lists.sk);
}

beforeAll(async () => {
  pki = await createTestPki(join(tmp.path, 'pki'));
  const at = { notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z') };
  oj = await issueCertificate(pki.root, join(tmp.path, 'pki'), {
    name: 'oj',
    cn: 'Test OJ LOTL signer',
    serial: '71',
    ...at,
  });
  keyA = await issueCertificate(pki.root, join(tmp.path, 'pki'), {
    name: 'ka',
    cn: 'Test LOTL key A',
    serial: '72',
    ...at,
  });
  keyB = await issueCertificate(pki.root, join(tmp.path, 'pki'), {
    name: 'kb',
    cn: 'Test LOTL key B',
    serial: '73',
    ...at,
  });
  ojNew = await issueCertificate(pki.root, join(tmp.path, 'pki'), {
    name: 'oj2',
    cn: 'Test OJ 2',
    serial: '74',
    ...at,
  });
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/vnd.etsi.tsl+xml' }).end(body ?? 'not here');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await buildAll(base);
}, 60_000);
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  tmp.remove();
});

/** A CLI on a fresh data folder where the test "OJ" certificate is an anchor. */
async function freshCli(name: string) {
  const sealdesk = cliRunner({ SEALDESK_HOME: join(tmp.path, name) });
  const asked = await sealdesk('tl', 'anchors', 'add', oj.certPath);
  expect(asked.code).toBe(2); // not added before the fingerprint is confirmed
  const fp = /SHA-256 ([0-9a-f]{64})/.exec(asked.stderr)?.[1];
  expect(asked.stderr).toContain('Test OJ LOTL signer');
  expect((await sealdesk('tl', 'anchors', 'add', oj.certPath, '--sha256', fp!)).code).toBe(0);
  return sealdesk;
}

const byTerritory = (rows: TlStatusRow[]): Record<string, TlStatusRow> =>
  Object.fromEntries(rows.map((r) => [r.territory, r]));
const refresh = (sealdesk: ReturnType<typeof cliRunner>, ...caps: string[]) =>
  sealdesk('tl', 'refresh', '--lotl-url', `${base}/eu-lotl.xml`, '--allow-private-network', '--json', ...caps);

describe('sealdesk tl (synthetic lists)', () => {
  it('anchors: the 8 bundled OJ certificates, then the confirmed user one, each with its source', async () => {
    const sealdesk = cliRunner({ SEALDESK_HOME: join(tmp.path, 'anchors') });
    const before = (await sealdesk('tl', 'anchors', '--json')).json();
    expect(before.map((a: { source: string }) => a.source)).toEqual(Array(8).fill('bundled'));
    const wrong = await sealdesk('tl', 'anchors', 'add', oj.certPath, '--sha256', 'ab'.repeat(32));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('does not match');
    expect((await sealdesk('tl', 'status', '--json')).json()).toEqual([]);
    await freshCli('anchors');
    const after = (await sealdesk('tl', 'anchors', '--json')).json();
    expect(after).toHaveLength(9);
    expect(after[8]).toMatchObject({ source: 'user', subject: expect.stringContaining('Test OJ LOTL signer') });
  });

  it('import: LOTL valid through two pivots, one list stale, the tampered one invalid, anchor count', async () => {
    const sealdesk = await freshCli('import');
    const r = await sealdesk('tl', 'import', files.lotl!, files.p11!, files.p10!, files.ee!, files.skTampered!);
    expect(r.code).toBe(1); // a list is not valid
    const rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(Object.keys(rows).sort()).toEqual(['EE', 'EU', 'SK']);
    expect(rows.EU).toMatchObject({ signature: 'valid', sequenceNumber: 12, anchorCount: 9, stale: false });
    expect(rows.EU!.signedBy).toContain('Test LOTL key B');
    expect(rows.EE).toMatchObject({ signature: 'valid', sequenceNumber: 3, stale: true });
    expect(rows.EE!.signedBy).toContain('Sealdesk Test Seal RSA');
    expect(rows.SK).toMatchObject({ signature: 'invalid', stale: false, signedBy: null });
    expect(rows.SK!.reason).toMatch(/changed after it was signed/);
    const text = (await sealdesk('tl', 'status')).stdout;
    expect(text).toContain('checked against 9 OJ anchors');
    expect(text).toContain('(PASSED: stale)');
  });

  it('a LOTL whose pivots are missing is unverified, and so is every national list under it', async () => {
    const sealdesk = await freshCli('no-pivots');
    expect((await sealdesk('tl', 'import', files.lotl!, files.ee!)).code).toBe(1);
    const rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.EU).toMatchObject({ signature: 'unverified', anchorCount: 9 });
    expect(rows.EU!.reason).toContain('eu-lotl-pivot-10.xml is not available');
    expect(rows.EE).toMatchObject({ signature: 'unverified' });
    expect(rows.EE!.reason).toMatch(/its LOTL is unverified/);
  });

  it('without the OJ anchor the chain fails at the oldest pivot: invalid, never trusted by default', async () => {
    const sealdesk = cliRunner({ SEALDESK_HOME: join(tmp.path, 'bundled-only') });
    expect((await sealdesk('tl', 'import', files.lotl!, files.p11!, files.p10!, files.ee!)).code).toBe(1);
    const rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.EU).toMatchObject({ signature: 'invalid', anchorCount: 8 });
    expect(rows.EU!.reason).toMatch(/pivot 10 .* does not verify/);
    expect(rows.EE!.signature).toBe('unverified');
  });

  it('a new OJ publication: its LOTL is invalid until its certificate is added; older LOTLs refused', async () => {
    const sealdesk = await freshCli('reanchor');
    expect((await sealdesk('tl', 'import', files.lotl13!, files.ee!)).code).toBe(1);
    let rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.EU).toMatchObject({ sequenceNumber: 13, signature: 'invalid', anchorCount: 9 });
    expect(rows.EU!.reason).toContain('Test OJ 2');
    expect(rows.EE).toMatchObject({ signature: 'unverified' });
    const asked = await sealdesk('tl', 'anchors', 'add', ojNew.certPath);
    const fp = /SHA-256 ([0-9a-f]{64})/.exec(asked.stderr)![1]!;
    const added = await sealdesk('tl', 'anchors', 'add', ojNew.certPath, '--sha256', fp.match(/../g)!.join(':'));
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^EU +#13 valid \(rechecked\)/m);
    rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.EU).toMatchObject({ sequenceNumber: 13, signature: 'valid', anchorCount: 10 });
    expect(rows.EE).toMatchObject({ signature: 'valid' });
    const older = await sealdesk('tl', 'import', files.lotl!, files.p11!, files.p10!, '--json');
    expect(older.json()[0]).toMatchObject({ sequenceNumber: 12, outcome: 'kept-last-good' });
    expect(older.json()[0].reason).toContain('older than the cached 13');
    expect(byTerritory((await sealdesk('tl', 'status', '--json')).json()).EU!.sequenceNumber).toBe(13);
  });

  it('refresh from a loopback server; a refresh bringing a tampered list keeps the last good copy', async () => {
    const sealdesk = await freshCli('refresh');
    const first = await refresh(sealdesk);
    expect(first.code).toBe(0);
    expect(first.json().failures).toEqual([]);
    let rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.EU).toMatchObject({ signature: 'valid', source: `${base}/eu-lotl.xml` });
    expect(rows.SK).toMatchObject({ signature: 'valid', sequenceNumber: 5, source: `${base}/sk.xml` });
    expect(rows.EE).toMatchObject({ signature: 'valid', stale: true });

    served.set('/sk.xml', lists.sk6Tampered!);
    served.delete('/ee.xml');
    const second = await refresh(sealdesk);
    expect(second.code).toBe(1);
    const out = second.json();
    expect(out.fetchedBytes).toBe(lists.lotl!.length + lists.sk6Tampered!.length); // cached pivots are not fetched
    expect(out.failures).toEqual([{ territory: 'EE', url: `${base}/ee.xml`, reason: expect.stringContaining('404') }]);
    const sk = out.lists.find((l: { territory: string }) => l.territory === 'SK');
    expect(sk).toMatchObject({ outcome: 'kept-last-good', signature: 'invalid', sequenceNumber: 6 });
    rows = byTerritory((await sealdesk('tl', 'status', '--json')).json());
    expect(rows.SK).toMatchObject({ signature: 'valid', sequenceNumber: 5 });
    expect(rows.SK!.refused!.reason).toMatch(/changed after it was signed/);
    expect(rows.EE).toMatchObject({ signature: 'valid', sequenceNumber: 3 }); // the cached copy stays
    // The cache holds the lists in use (LOTL, 2 pivots, EE, SK 5) and the refused SK 6, nothing else.
    const raw = readdirSync(join(tmp.path, 'refresh', 'trusted-lists')).filter((f) => f.endsWith('.xml'));
    expect(raw).toHaveLength(6);
    served.set('/sk.xml', lists.sk!).set('/ee.xml', lists.ee!);
  });

  it('caps: lists, pivots and bytes stop the refresh and say so', async () => {
    const sealdesk = await freshCli('caps');
    const few = await refresh(sealdesk, '--max-lists', '3');
    expect(few.code).toBe(1);
    expect(few.json().failures.map((f: { reason: string }) => f.reason)).toEqual([
      expect.stringContaining('cap of 3 lists'),
      expect.stringContaining('cap of 3 lists'),
    ]);
    const pivots = await refresh(sealdesk, '--max-pivots', '1');
    expect(pivots.code).toBe(1);
    expect(pivots.json().failures[0].reason).toContain('over the cap of 1 pivots');
    const lotlBytes = lists.lotl!.length + lists.p10!.length + lists.p11!.length;
    const bytes = await refresh(await freshCli('caps-bytes'), '--max-bytes', String(lotlBytes + 10));
    expect(bytes.code).toBe(1);
    const reasons = bytes.json().failures.map((f: { reason: string }) => f.reason);
    expect(reasons).toHaveLength(2);
    for (const r of reasons) expect(r).toMatch(/byte cap|bytes is spent/);
    const tiny = await refresh(sealdesk, '--max-bytes', '100');
    expect(tiny.code).not.toBe(0);
    expect(tiny.stderr).toContain('byte cap');
  });
});
