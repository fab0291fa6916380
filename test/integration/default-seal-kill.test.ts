// The default seal's key and certificate are one unit: `sealdesk seal` creating it is killed (SIGKILL) at several
// points, and no kill ever leaves a key without its certificate; the next start signs with the key and the certificate
// that belong together (the copy for OpenSSL restored if the kill came before it). Also: a key alone (what the old
// two-file write could leave) gets a certificate for that key; two processes creating it at once agree on one seal.
import Database from 'better-sqlite3';
import { execFileSync, spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../core/asn1/x509.js';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { openssl } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';

const work = tempDir('seal-kill');
// Our own build of the CLI (inside node_modules so it finds its packages), so no other build can swap it mid-test.
const outdir = resolve('node_modules/.cache/sealdesk-seal-kill');
const bin = join(outdir, 'sealdesk.js');

beforeAll(() => {
  mkdirSync(outdir, { recursive: true });
  // The CLI exactly as shipped (scripts/build.mjs: its bundles, code cache and entry), into this test's own folder.
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only', '--cli-out', outdir], { stdio: 'pipe' });
}, 120_000);
afterAll(() => {
  work.remove();
  rmSync(outdir, { recursive: true, force: true });
});

type Run = { code: number | null; stdout: string; stderr: string };

/** `sealdesk seal <file> --tsa none --json` in `home`; `killWhen` is polled as fast as the loop turns: true → SIGKILL. */
function seal(home: string, file: string, killWhen?: () => boolean): Promise<Run & { killed: boolean }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, 'seal', file, '--tsa', 'none', '--json'], {
      env: { ...process.env, SEALDESK_HOME: home },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = () => {
      if (child.exitCode !== null || killed) return;
      if (killWhen?.()) {
        killed = child.kill('SIGKILL');
        return;
      }
      setImmediate(poll);
    };
    if (killWhen) poll();
    child.on('close', (code) => done({ code, stdout, stderr, killed }));
  });
}

const keysOf = (home: string) => join(home, 'keys');
const list = (home: string) => (existsSync(keysOf(home)) ? readdirSync(keysOf(home)) : []);

/** The key file, if published, carries a certificate for exactly its key. */
function assertKeyHasItsCertificate(home: string): void {
  const keyPath = join(keysOf(home), 'default-seal.key.pem');
  if (!existsSync(keyPath)) return;
  const pem = readFileSync(keyPath);
  const certs = parsePemCertificates(pem.toString('utf8'));
  expect(certs.length, `${keyPath} has no certificate`).toBe(1);
  const publicFromKey = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'der' });
  expect(Buffer.from(new x509.X509Certificate(certs[0]!).publicKey.rawData).equals(publicFromKey)).toBe(true);
}

/** A signature made now verifies with the certificate copy, which is the key file's certificate (when it carries one). */
async function assertSealsWithItsCertificate(home: string, n: number): Promise<void> {
  const doc = join(home, `after-${n}.txt`);
  writeFileSync(doc, `after ${n}`);
  const r = await seal(home, doc);
  expect(r.code, r.stderr).toBe(0);
  const certPem = join(keysOf(home), 'default-seal.cert.pem');
  const carried = parsePemCertificates(readFileSync(join(keysOf(home), 'default-seal.key.pem'), 'utf8'));
  if (carried.length > 0) expect(parsePemCertificates(readFileSync(certPem, 'utf8'))).toEqual(carried); // else the old layout: key alone
  const v = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    `${doc}.p7s`,
    '-content',
    doc,
    '-CAfile',
    certPem,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  expect(v.stderr).toMatch(/Verification successful/);
}

describe('the default seal under kill -9', () => {
  it('no kill leaves a key without its certificate; the next start seals with the pair (copy restored)', async () => {
    // Kill points, each polled from the first moment it can be seen: the keys folder made, a temp being written, the
    // key file published (its certificate copy perhaps not yet), and right at start.
    const points: [string, (home: string) => boolean][] = [
      ['start', () => true],
      ['keys folder', (h) => existsSync(keysOf(h))],
      ['temp written', (h) => list(h).some((f) => f.endsWith('.tmp'))],
      ['key published', (h) => list(h).includes('default-seal.key.pem')],
      [
        'key published, no copy yet',
        (h) => list(h).includes('default-seal.key.pem') && !list(h).includes('default-seal.cert.pem'),
      ],
    ];
    const seen = new Set<string>();
    let n = 0;
    for (let round = 0; round < 2; round++) {
      for (const [name, when] of points) {
        const home = join(work.path, `home-${++n}`);
        mkdirSync(home);
        const doc = join(home, 'doc.txt');
        writeFileSync(doc, `doc ${n}`);
        const r = await seal(home, doc, () => when(home));
        seen.add(`${name}: ${r.killed ? 'killed' : 'finished'} with ${list(home).sort().join(',') || 'nothing'}`);
        assertKeyHasItsCertificate(home);
        await assertSealsWithItsCertificate(home, n);
        assertKeyHasItsCertificate(home);
      }
    }
    console.info([...seen].sort().join('\n')); // which states the kills left, for the record
  }, 600_000);

  it('a key file alone (the old layout, killed before its certificate) gets a certificate for that same key', async () => {
    const home = join(work.path, 'legacy');
    mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
    const key = (await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])).stdout;
    writeFileSync(join(home, 'keys', 'default-seal.key.pem'), key, { mode: 0o600 });
    await assertSealsWithItsCertificate(home, 1);
    const cert = new x509.X509Certificate(
      parsePemCertificates(readFileSync(join(home, 'keys', 'default-seal.cert.pem'), 'utf8'))[0]!,
    );
    expect(
      Buffer.from(cert.publicKey.rawData).equals(createPublicKey(key).export({ type: 'spki', format: 'der' })),
    ).toBe(true);
  });

  it('two processes creating it at once: both seal, with the same key and certificate', async () => {
    const home = join(work.path, 'twins');
    mkdirSync(home);
    const docs = ['a', 'b'].map((x) => {
      const p = join(home, `${x}.txt`);
      writeFileSync(p, x);
      return p;
    });
    const runs = await Promise.all(docs.map((d) => seal(home, d)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    assertKeyHasItsCertificate(home);
    const db = new Database(join(home, 'ledger.sqlite'), { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM certificates WHERE kind = 'default'").get()).toEqual({ n: 1 });
    db.close();
    const certPem = join(keysOf(home), 'default-seal.cert.pem');
    for (const d of docs) {
      const v = await openssl([
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        `${d}.p7s`,
        '-content',
        d,
        '-CAfile',
        certPem,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      expect(v.stderr).toMatch(/Verification successful/);
    }
  });
});
