// Sealing with keys that never leave a token: SoftHSM2 through PKCS#11, judged by `openssl cms -verify`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../helpers/softhsm.js';
import { openssl } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { createNssDb, pdfsigVerify } from '../helpers/pdf-judges.js';
import { writeMinimalPdf } from '../helpers/pdfs.js';

const available = existsSync(SOFTHSM_MODULE);
if (!available) console.warn(`SKIPPED: PKCS#11 tests need SoftHSM2 (${SOFTHSM_MODULE}); install softhsm2 and opensc`);

const work = tempDir('p11');
let pki: TestPki;
let token: SoftHsmToken;
let tsa: LoopbackTsa;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  if (!available) return;
  pki = await createTestPki(join(work.path, 'pki'));
  token = await createSoftHsmToken(join(work.path, 'hsm'), 'Sealdesk Test Token', [
    { label: 'seal-rsa', idHex: '01', cert: pki.signer },
    { label: 'seal-ec', idHex: '02', cert: pki.signerEc },
  ]);
  sealdesk = cliRunner({
    SEALDESK_HOME: join(work.path, 'home'),
    SOFTHSM2_CONF: token.conf,
    TOKEN_PIN: token.pin,
    BAD_PIN: '000000',
  });
  await isolateTsas(sealdesk);
  tsa = await startTsa({ pki });
  expect((await sealdesk('tsa', 'add', 'loop', tsa.url)).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await tsa?.close();
  work.remove();
});

function file(content: string): string {
  const dir = join(work.path, 'files');
  mkdirSync(dir, { recursive: true });
  const p = join(dir, `doc-${++n}.txt`);
  writeFileSync(p, content);
  return p;
}

const p11 = (key: string, pinEnv = 'TOKEN_PIN') => [
  '--pkcs11-module',
  SOFTHSM_MODULE,
  '--token',
  'Sealdesk Test Token',
  '--key',
  key,
  '--pin-env',
  pinEnv,
];

describe.skipIf(!available)('PKCS#11', () => {
  it('lists the token, its certificates without a PIN, its keys with one', async () => {
    const without = (await sealdesk('tokens', '--pkcs11-module', SOFTHSM_MODULE, '--json')).json();
    const t = without.find((x: { label: string }) => x.label === 'Sealdesk Test Token');
    expect(t.certificates.map((c: { label: string }) => c.label).sort()).toEqual(['seal-ec', 'seal-rsa']);
    expect(t.keys).toEqual([]);
    const withPin = (
      await sealdesk('tokens', '--pkcs11-module', SOFTHSM_MODULE, '--pin-env', 'TOKEN_PIN', '--json')
    ).json();
    expect(withPin.find((x: { label: string }) => x.label === 'Sealdesk Test Token').keys).toEqual(
      expect.arrayContaining([
        { label: 'seal-rsa', idHex: '01', type: 'rsa' },
        { label: 'seal-ec', idHex: '02', type: 'ec' },
      ]),
    );
  });

  it.each(['seal-rsa', 'seal-ec', 'id:02'])(
    'seals with the token key %s; OpenSSL verifies the .p7s against the test root',
    async (key) => {
      const doc = file(`signed on a token with ${key}`);
      const r = await sealdesk('seal', doc, ...p11(key), '--json');
      expect(r.code, r.stderr).toBe(0);
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
        pki.caFile,
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      expect(v.stderr).toMatch(/Verification successful/);
      const ours = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
      expect(ours.json().cades).toMatchObject({
        intact: true,
        valid: true,
        tsrSource: 'embedded',
        certificate: { trust: 'chained' },
      });
    },
  );

  it.each(['seal-rsa', 'seal-ec'])(
    'PAdES B-LTA of a PDF with the token key %s: pdfsig finds it valid and trusted',
    async (key) => {
      const pdf = writeMinimalPdf(join(work.path, `token-${key}.pdf`));
      const r = await sealdesk('seal', pdf, ...p11(key), '--level', 'B-LTA', '--json');
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toMatchObject({ format: 'pades', level: 'B-LTA' });
      const [sig] = await pdfsigVerify(r.json().outputPath, await createNssDb(pki.caFile));
      expect(sig).toMatchObject({ signatureValid: true, certificateTrusted: true });
    },
  );

  it('seals with RSA-PSS on the token (--rsa-pss); OpenSSL verifies it; an EC key refuses PSS', async () => {
    const doc = file('pss on a token');
    expect((await sealdesk('seal', doc, ...p11('seal-rsa'), '--rsa-pss', '--json')).code).toBe(0);
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
      pki.caFile,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(v.stderr).toMatch(/Verification successful/);
    expect((await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${doc}.p7s`])).stdout).toMatch(
      /rsassaPss/,
    );
    expect((await sealdesk('seal', file('ec'), ...p11('seal-ec'), '--rsa-pss', '--json')).json()).toMatchObject({
      code: 'KEY_UNSUPPORTED',
    });
  });

  it('maps token errors to codes a person understands: wrong PIN, missing token, missing key, no PIN', async () => {
    const doc = file('x');
    expect((await sealdesk('seal', doc, ...p11('seal-rsa', 'BAD_PIN'), '--json')).json()).toMatchObject({
      code: 'PIN_INCORRECT',
      message: expect.stringMatching(/PIN is incorrect/),
    });
    const missing = await sealdesk(
      'seal',
      doc,
      '--pkcs11-module',
      SOFTHSM_MODULE,
      '--token',
      'No Such Token',
      '--key',
      'seal-rsa',
      '--pin-env',
      'TOKEN_PIN',
      '--json',
    );
    expect(missing.json()).toMatchObject({
      code: 'TOKEN_NOT_PRESENT',
      message: expect.stringMatching(/Sealdesk Test Token/),
    });
    expect((await sealdesk('seal', doc, ...p11('nope'), '--json')).json()).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(
      (
        await sealdesk(
          'seal',
          doc,
          '--pkcs11-module',
          SOFTHSM_MODULE,
          '--token',
          'Sealdesk Test Token',
          '--key',
          'seal-rsa',
          '--json',
        )
      ).json(),
    ).toMatchObject({ code: 'PIN_REQUIRED' });
    expect(
      (
        await sealdesk(
          'seal',
          doc,
          '--pkcs11-module',
          '/nonexistent/module.so',
          '--token',
          'x',
          '--key',
          'y',
          '--pin-env',
          'TOKEN_PIN',
          '--json',
        )
      ).json(),
    ).toMatchObject({ code: 'PKCS11_MODULE' });
    expect(existsSync(`${doc}.p7s`)).toBe(false);
  });

  it('cert import registers the token certificate (byoc); seal --cert <id> uses it with the PIN given again', async () => {
    const imported = await sealdesk('cert', 'import', ...p11('seal-ec'), '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({
      status: 'active',
      source: 'byoc',
      kind: 'pkcs11',
      certSubject: expect.stringMatching(/Sealdesk Test Seal EC/),
    });
    const list = (await sealdesk('cert', 'list', '--json')).json();
    expect(list.some((c: { id: string }) => c.id === imported.json().id)).toBe(true);
    const doc = file('by certificate id');
    const r = await sealdesk('seal', doc, '--cert', imported.json().id, '--pin-env', 'TOKEN_PIN', '--json');
    expect(r.json()).toMatchObject({ certificateId: imported.json().id });
    expect((await sealdesk('seal', file('no pin'), '--cert', imported.json().id, '--json')).json()).toMatchObject({
      code: 'PIN_REQUIRED',
    });
  });
});
