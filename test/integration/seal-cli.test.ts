// `sealdesk seal` (CAdES .p7s) and `verify --p7s`, judged by `openssl cms -verify`, with a loopback OpenSSL TSA.
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { openssl } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { closedPortUrl } from '../helpers/net.js';

const work = tempDir('seal');
let pki: TestPki;
let tsa: LoopbackTsa;
let home: string;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
});
afterAll(async () => {
  await tsa.close();
  work.remove();
});
beforeEach(async () => {
  home = join(work.path, `home-${++n}`);
  sealdesk = cliRunner({
    SEALDESK_HOME: home,
    SEALDESK_TSA_TIMEOUT_MS: '1500',
    SEAL_PASS: 'correct horse',
    WRONG_PASS: 'battery staple',
  });
  await isolateTsas(sealdesk);
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url, '--name', 'Loopback TSA')).code).toBe(0);
});

function file(name: string, content = `content of ${name} ${Math.random()}`): string {
  const dir = join(work.path, `files-${n}`);
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function cmsVerify(p7s: string, content: string, caFile: string): Promise<boolean> {
  const r = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    p7s,
    '-content',
    content,
    '-CAfile',
    caFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  return r.code === 0 && /Verification successful/.test(r.stderr);
}

describe('seal with the default seal', () => {
  it('creates the key on first use (readable by the user alone), writes <file>.p7s that OpenSSL verifies, and says self-signed', async () => {
    const doc = file('report.json');
    const r = await sealdesk('seal', doc, '--label', 'Q3', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      format: 'cades',
      timestampedBy: 'Loopback TSA',
      qualified: false,
      p7sPath: `${doc}.p7s`,
      queued: false,
    });
    expect(statSync(join(home, 'keys', 'default-seal.key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'keys')).mode & 0o777).toBe(0o700);
    expect(await cmsVerify(`${doc}.p7s`, doc, join(home, 'keys', 'default-seal.cert.pem'))).toBe(true);
    const v = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--json');
    expect(v.code).toBe(1); // intact, but a self-signed seal is not a trusted one
    expect(v.json()).toMatchObject({
      format: 'cades',
      cades: {
        signaturePresent: true,
        hashMatch: true,
        tsrSource: 'embedded',
        certificate: { trust: 'self_signed' },
        timestamp: { tsaName: expect.stringMatching(/Sealdesk Test TSA/) },
        problems: [],
        indication: 'INDETERMINATE',
        subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
        revocation: { status: 'no-source' },
      },
    });
    const again = await sealdesk('seal', doc, '--json');
    expect(again.json().certificateId).toBe(r.json().certificateId);
    expect(again.json().p7sPath).toBe(`${doc}.1.p7s`);
    const ops = (await sealdesk('operations', '--json')).json();
    expect(ops).toMatchObject({
      total: 2,
      items: [{ signatureType: 'cades', hasP7s: true, tsaName: 'Loopback TSA' }, { label: 'Q3' }],
    });
  });

  it('a passphrase given at creation protects the key: missing → KEY_LOCKED, wrong → PASSPHRASE_INCORRECT', async () => {
    const doc = file('secret.txt');
    expect((await sealdesk('seal', doc, '--passphrase-env', 'SEAL_PASS')).code).toBe(0);
    expect(readFileSync(join(home, 'keys', 'default-seal.key.pem'), 'utf8')).toMatch(/ENCRYPTED PRIVATE KEY/);
    expect((await sealdesk('seal', file('b.txt'), '--json')).json()).toMatchObject({ code: 'KEY_LOCKED' });
    expect((await sealdesk('seal', file('c.txt'), '--passphrase-env', 'WRONG_PASS', '--json')).json()).toMatchObject({
      code: 'PASSPHRASE_INCORRECT',
    });
    expect((await sealdesk('seal', file('d.txt'), '--passphrase-env', 'SEAL_PASS')).code).toBe(0);
  });
});

describe('seal with a key file and its chain', () => {
  it.each(['signer', 'signerEc'] as const)(
    '%s: OpenSSL verifies it with the test root; we report chained with --trust, dev_ca with --trust-dev',
    async (which) => {
      const doc = file('contract.txt');
      const r = await sealdesk('seal', doc, '--key', pki[which].keyPath, '--chain', pki[which].chainPath, '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
      const trusted = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
      expect(trusted.code).toBe(0);
      expect(trusted.json().cades).toMatchObject({
        valid: true,
        certificate: { trust: 'chained', subject: expect.stringMatching(/Sealdesk Test Seal/) },
      });
      const dev = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust-dev', pki.caFile, '--json');
      expect(dev.json().cades.certificate.trust).toBe('dev_ca');
      expect(dev.code).toBe(1);
      writeFileSync(doc, 'contract text, amended');
      const changed = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
      expect(changed.code).toBe(1);
      expect(changed.json().cades).toMatchObject({ hashMatch: false, valid: false });
    },
  );

  it('--rsa-pss with an RSA key file: RSASSA-PSS that OpenSSL verifies', async () => {
    const doc = file('pss.txt');
    expect(
      (await sealdesk('seal', doc, '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--rsa-pss', '--json'))
        .code,
    ).toBe(0);
    expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
    expect(
      (await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json')).json().cades,
    ).toMatchObject({ valid: true, signatureAlgorithmOid: '1.2.840.113549.1.1.10' });
  });

  it('refuses to seal with a certificate that is not valid now (CERT_NOT_VALID), writing nothing', async () => {
    const doc = file('late.txt');
    const r = await sealdesk(
      'seal',
      doc,
      '--key',
      pki.tsaExpired.keyPath,
      '--chain',
      pki.tsaExpired.chainPath,
      '--json',
    );
    expect(r.code).toBe(2);
    expect(r.json()).toMatchObject({ code: 'CERT_NOT_VALID', message: expect.stringMatching(/not valid now/) });
    expect(existsSync(`${doc}.p7s`)).toBe(false);
  });

  it('the chain is registered once and can be named with --cert afterwards', async () => {
    const a = (
      await sealdesk('seal', file('a.txt'), '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--json')
    ).json();
    const b = (await sealdesk('seal', file('b.txt'), '--cert', a.certificateId, '--json')).json();
    expect(b.certificateId).toBe(a.certificateId);
    expect(b.timestampedBy).toBe('Loopback TSA');
  });
});

describe('seal --tsa none', () => {
  it('makes a CAdES-B-B seal with nothing queued (exit 0)', async () => {
    const doc = file('bb.txt');
    const r = await sealdesk(
      'seal',
      doc,
      '--tsa',
      'none',
      '--key',
      pki.signer.keyPath,
      '--chain',
      pki.signer.chainPath,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ timestampedBy: 'none', queued: false });
    expect((await sealdesk('queue', 'list', '--json')).json()).toEqual([]);
    expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
    expect(
      (await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json')).json().cades,
    ).toMatchObject({ valid: true, timestamp: null });
  });
});

describe('seal with a PKCS#12 file', () => {
  it('opens an AES PKCS#12 made by OpenSSL with its password; a wrong one and a legacy (RC2) file get clear errors', async () => {
    const p12 = join(work.path, `seal-${n}.p12`);
    const legacy = join(work.path, `legacy-${n}.p12`);
    const base = [
      'pkcs12',
      '-export',
      '-inkey',
      pki.signerEc.keyPath,
      '-in',
      pki.signerEc.certPath,
      '-certfile',
      pki.caFile,
      '-passout',
      'pass:correct horse',
    ];
    expect((await openssl([...base, '-out', p12])).code).toBe(0);
    expect((await openssl([...base, '-legacy', '-out', legacy])).code).toBe(0);
    const doc = file('p12.txt');
    const r = await sealdesk('seal', doc, '--p12', p12, '--password-env', 'SEAL_PASS', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
    const again = await sealdesk(
      'seal',
      file('p12b.txt'),
      '--cert',
      r.json().certificateId,
      '--password-env',
      'SEAL_PASS',
      '--json',
    );
    expect(again.json().certificateId).toBe(r.json().certificateId);
    expect((await sealdesk('seal', doc, '--p12', p12, '--password-env', 'WRONG_PASS', '--json')).json()).toMatchObject({
      code: 'PASSPHRASE_INCORRECT',
    });
    expect((await sealdesk('seal', doc, '--p12', p12, '--json')).json()).toMatchObject({ code: 'KEY_LOCKED' });
    expect(
      (await sealdesk('seal', doc, '--p12', legacy, '--password-env', 'SEAL_PASS', '--json')).json(),
    ).toMatchObject({ code: 'KEY_UNSUPPORTED', message: expect.stringMatching(/re-export it with AES/) });
  });
});

describe('verifying CAdES made by OpenSSL', () => {
  it('reads `openssl cms -sign -cades` output: intact, ESS bound, chained to the root', async () => {
    const doc = file('ossl.txt');
    const p7s = `${doc}.p7s`;
    const s = await openssl([
      'cms',
      '-sign',
      '-binary',
      '-in',
      doc,
      '-signer',
      pki.signer.certPath,
      '-inkey',
      pki.signer.keyPath,
      '-certfile',
      pki.caFile,
      '-md',
      'sha256',
      '-nosmimecap',
      '-outform',
      'DER',
      '-out',
      p7s,
      '-cades',
    ]);
    expect(s.code, s.stderr).toBe(0);
    const v = await sealdesk('verify', doc, '--p7s', p7s, '--trust', pki.caFile, '--json');
    expect(v.json().cades).toMatchObject({
      hashMatch: true,
      valid: true,
      certificate: { trust: 'chained' },
      timestamp: null,
      problems: [],
    });
  });
});

describe('enveloping (attached) signatures', () => {
  it('verify <file.p7m> checks its own content; --extract writes it only when intact, never over a file', async () => {
    const doc = file('inner.txt', 'the enveloped content');
    const p7m = `${doc}.p7m`;
    const s = await openssl([
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-in',
      doc,
      '-signer',
      pki.signer.certPath,
      '-inkey',
      pki.signer.keyPath,
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-out',
      p7m,
      '-cades',
    ]);
    expect(s.code, s.stderr).toBe(0);
    const out = join(work.path, `extracted-${n}.txt`);
    const r = await sealdesk('verify', p7m, '--trust', pki.caFile, '--extract', out, '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      cades: { intact: true, valid: true, indication: 'TOTAL-PASSED', subIndication: null },
      extractedTo: out,
    });
    expect(readFileSync(out, 'utf8')).toBe('the enveloped content');
    expect((await sealdesk('verify', p7m, '--extract', out, '--json')).json()).toMatchObject({ code: 'OUTPUT_EXISTS' });
    const tampered = readFileSync(p7m);
    const at = tampered.indexOf('the enveloped content');
    tampered[at] = 'T'.charCodeAt(0);
    writeFileSync(p7m, tampered);
    const bad = await sealdesk('verify', p7m, '--extract', join(work.path, `x-${n}.txt`), '--json');
    expect(bad.code).toBe(2);
    expect(bad.json().message).toMatch(/does not match its signature/);
    expect(existsSync(join(work.path, `x-${n}.txt`))).toBe(false);
  });

  it("a detached .p7s given alone is a clear error; a PDF with --p7s takes the CAdES path (here: another file's signature)", async () => {
    const doc = file('d.txt');
    await sealdesk('seal', doc, '--tsa', 'none');
    expect((await sealdesk('verify', `${doc}.p7s`, '--json')).json().cades).toMatchObject({
      signaturePresent: false,
      error: expect.stringMatching(/--p7s/),
    });
    const pdf = file('x.pdf', '%PDF-1.4\n');
    const r = await sealdesk('verify', pdf, '--p7s', `${doc}.p7s`, '--json');
    expect(r.code).toBe(1);
    expect(r.json()).toMatchObject({
      format: 'cades',
      cades: { hashMatch: false, intact: false, indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' },
    });
  });
});

describe('offline and bad input', () => {
  it('offline: writes a B-B seal and queues its time-stamp (exit 4); `queue run` adds it to the same .p7s, which OpenSSL still verifies', async () => {
    await sealdesk('tsa', 'disable', 'loop');
    await sealdesk('tsa', 'add', 'away', await closedPortUrl());
    const doc = file('offline.txt');
    const r = await sealdesk('seal', doc, '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--json');
    expect(r.code).toBe(4);
    expect(r.json()).toMatchObject({ timestampedBy: 'none', queued: true });
    expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
    expect((await sealdesk('queue', 'list', '--json')).json()).toMatchObject([
      { kind: 'seal-timestamp', id: r.json().operationId },
    ]);
    expect((await sealdesk('queue', 'run')).code).toBe(4);

    await sealdesk('tsa', 'enable', 'loop');
    const run = await sealdesk('queue', 'run', '--json');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject([
      { kind: 'seal-timestamp', status: 'timestamped', timestampedBy: 'Loopback TSA' },
    ]);
    expect(await cmsVerify(`${doc}.p7s`, doc, pki.caFile)).toBe(true);
    const v = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
    expect(v.json().cades).toMatchObject({ valid: true, tsrSource: 'embedded' });
  });

  it('queue run killed after replacing the .p7s but before recording it: the next run adopts the file, asks no TSA again', async () => {
    const Database = (await import('better-sqlite3')).default;
    const { copyFileSync, rmSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    await sealdesk('tsa', 'disable', 'loop');
    await sealdesk('tsa', 'add', 'away', await closedPortUrl());
    const doc = file('interrupted.txt');
    const op = (
      await sealdesk('seal', doc, '--key', pki.signer.keyPath, '--chain', pki.signer.chainPath, '--json')
    ).json().operationId as string;
    const backup = join(work.path, `queue-${n}.sqlite`);
    expect((await sealdesk('ledger', 'backup', backup)).code).toBe(0);
    await sealdesk('tsa', 'enable', 'loop');
    expect((await sealdesk('queue', 'run', '--json')).json()).toMatchObject([{ status: 'timestamped' }]);
    const written = readFileSync(`${doc}.p7s`);
    // The state a kill right after the replacement leaves: the new .p7s, the old ledger, the write-ahead intent.
    const ledger = join(home, 'ledger.sqlite');
    for (const f of [ledger, `${ledger}-wal`, `${ledger}-shm`]) rmSync(f, { force: true });
    copyFileSync(backup, ledger);
    const db = new Database(ledger);
    db.prepare(
      "INSERT INTO operation_intents (operation_id, sha256, size, level, tsa_name, at) VALUES (?, ?, ?, 'B-T', 'Loopback TSA', ?)",
    ).run(op, createHash('sha256').update(written).digest('hex'), written.length, new Date().toISOString());
    db.close();
    const asked = tsa.requestCount();
    const run = await sealdesk('queue', 'run', '--json');
    expect(run.code, run.stdout).toBe(0);
    expect(run.json()).toMatchObject([
      { kind: 'seal-timestamp', status: 'timestamped', timestampedBy: 'Loopback TSA' },
    ]);
    expect(tsa.requestCount()).toBe(asked);
    expect(readFileSync(`${doc}.p7s`).equals(written)).toBe(true);
    expect((await sealdesk('queue', 'list', '--json')).json()).toEqual([]);
    const v = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
    expect(v.json().cades).toMatchObject({ valid: true, tsrSource: 'embedded' });
  });

  it('queue run leaves a .p7s alone once someone changed it', async () => {
    await sealdesk('tsa', 'disable', 'loop');
    await sealdesk('tsa', 'add', 'away', await closedPortUrl());
    const doc = file('tamper.txt');
    await sealdesk('seal', doc);
    writeFileSync(`${doc}.p7s`, Buffer.concat([readFileSync(`${doc}.p7s`), Buffer.from([0])]));
    const before = readFileSync(`${doc}.p7s`);
    await sealdesk('tsa', 'enable', 'loop');
    const run = await sealdesk('queue', 'run', '--json');
    expect(run.json()[0]).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_CHANGED' } });
    expect(readFileSync(`${doc}.p7s`).equals(before)).toBe(true);
  });

  it('a PDF goes the PAdES path (never a .p7s; a broken one is PDF_MALFORMED); truncated and foreign signatures get clear errors', async () => {
    const pdf = file('x.pdf', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    expect((await sealdesk('seal', pdf, '--json')).json()).toMatchObject({ code: 'PDF_MALFORMED' });
    expect(existsSync(`${pdf}.p7s`)).toBe(false);
    expect(existsSync(pdf.replace(/\.pdf$/, '_sealed.pdf'))).toBe(false);
    const doc = file('t.txt');
    await sealdesk('seal', doc);
    const whole = readFileSync(`${doc}.p7s`);
    writeFileSync(`${doc}.cut.p7s`, whole.subarray(0, whole.length - 40));
    const cut = await sealdesk('verify', doc, '--p7s', `${doc}.cut.p7s`, '--json');
    expect(cut.code).toBe(2);
    expect(cut.json()).toMatchObject({ code: 'CMS_MALFORMED' });
    const foreign = await sealdesk('verify', doc, '--p7s', doc, '--json');
    expect(foreign.json()).toMatchObject({
      code: 'CMS_MALFORMED',
      message: expect.stringMatching(/not a valid CMS signature/),
    });
  });
});
