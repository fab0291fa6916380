// `sealdesk cert provision | activate | revoke`: CSRs checked by `openssl req -verify`, certificates issued by an OpenSSL CA.
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { createSoftHsmToken, SOFTHSM_MODULE, type SoftHsmToken } from '../helpers/softhsm.js';
import { openssl } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';

const work = tempDir('cert');
const hsm = existsSync(SOFTHSM_MODULE);
let pki: TestPki;
let token: SoftHsmToken | undefined;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  if (hsm) token = await createSoftHsmToken(join(work.path, 'hsm'), 'Provisioning Token', []);
  sealdesk = cliRunner({
    SEALDESK_HOME: join(work.path, 'home'),
    TOKEN_PIN: token?.pin ?? '',
    ...(token ? { SOFTHSM2_CONF: token.conf } : {}),
  });
  await isolateTsas(sealdesk);
}, 120_000);
afterAll(() => work.remove());

const path = (name: string) => {
  mkdirSync(join(work.path, 'out'), { recursive: true });
  return join(work.path, 'out', `${++n}-${name}`);
};

/** The CA's side: verify the CSR, issue a certificate from it with the test root. */
async function issue(csrPem: string): Promise<{ leaf: string; chain: string }> {
  const csr = path('req.csr');
  writeFileSync(csr, csrPem);
  const verified = await openssl(['req', '-in', csr, '-verify', '-noout']);
  expect(verified.stderr + verified.stdout).toMatch(/verify OK|Certificate request self-signature verify OK/);
  const leaf = path('leaf.pem');
  const r = await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.root.certPath,
    '-CAkey',
    pki.root.keyPath,
    '-days',
    '365',
    '-set_serial',
    String(1000 + n),
    '-out',
    leaf,
  ]);
  expect(r.code, r.stderr).toBe(0);
  const chain = path('chain.pem');
  writeFileSync(chain, readFileSync(leaf, 'utf8') + pki.root.certPem);
  return { leaf, chain };
}

async function sealsAndVerifies(certId: string, ...extra: string[]): Promise<void> {
  const doc = path('doc.txt');
  writeFileSync(doc, `sealed with ${certId}`);
  const s = await sealdesk('seal', doc, '--cert', certId, '--tsa', 'none', ...extra, '--json');
  expect(s.code, s.stderr).toBe(0);
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
}

describe('file keys', () => {
  it('provision → CSR (openssl req -verify) → CA issues → activate → seal; cert list shows each state', async () => {
    const p = await sealdesk(
      'cert',
      'provision',
      '--signer',
      'file',
      '--cn',
      'Acme Seal 2026',
      '--org',
      'Acme AS',
      '--country',
      'NO',
      '--ou',
      'Legal',
      '--key',
      'rsa-3072',
      '--json',
    );
    expect(p.code, p.stderr).toBe(0);
    const { id, csrPem, status } = p.json();
    expect(status).toBe('provisioning');
    expect((await sealdesk('seal', path('x'), '--cert', id)).code).toBe(2); // not active yet
    const { chain } = await issue(csrPem);
    const a = await sealdesk('cert', 'activate', id, chain, '--json');
    expect(a.code, a.stderr).toBe(0);
    expect(a.json()).toMatchObject({ id, status: 'active', certSubject: expect.stringMatching(/CN=Acme Seal 2026/) });
    await sealsAndVerifies(id);
    const list = (await sealdesk('cert', 'list', '--json')).json();
    expect(list.find((c: { id: string }) => c.id === id)).toMatchObject({
      status: 'active',
      source: 'byoc',
      kind: 'file',
    });
  });

  it('activation refuses a certificate for another key, and a chain out of order', async () => {
    const { id, csrPem } = (
      await sealdesk(
        'cert',
        'provision',
        '--signer',
        'file',
        '--cn',
        'Mismatch',
        '--org',
        'Acme AS',
        '--country',
        'NO',
        '--json',
      )
    ).json();
    const other = path('other.pem');
    writeFileSync(other, pki.signer.certPem + pki.root.certPem);
    expect((await sealdesk('cert', 'activate', id, other, '--json')).json()).toMatchObject({
      code: 'CERT_MISMATCH',
      message: expect.stringMatching(/provisioned key/),
    });
    const { leaf } = await issue(csrPem);
    const reversed = path('reversed.pem');
    writeFileSync(reversed, readFileSync(leaf, 'utf8') + pki.tsa.certPem); // the TSA certificate did not issue the leaf
    expect((await sealdesk('cert', 'activate', id, reversed, '--json')).json()).toMatchObject({
      code: 'CERT_MISMATCH',
      message: expect.stringMatching(/not issued by/),
    });
  });

  it('revoke: cannot be used afterwards; --destroy-key deletes the key file; the default seal cannot be revoked', async () => {
    const { id, csrPem } = (
      await sealdesk(
        'cert',
        'provision',
        '--signer',
        'file',
        '--cn',
        'Short lived',
        '--org',
        'Acme AS',
        '--country',
        'NO',
        '--json',
      )
    ).json();
    await sealdesk('cert', 'activate', id, (await issue(csrPem)).chain);
    const keyFile = join(work.path, 'home', 'keys', `${id}.key.pem`);
    expect(existsSync(keyFile)).toBe(true);
    const r = await sealdesk('cert', 'revoke', id, '--destroy-key', '--json');
    expect(r.json()).toMatchObject({ status: 'revoked', keyDestroyed: true });
    expect(existsSync(keyFile)).toBe(false);
    const y = path('y');
    writeFileSync(y, 'a document to seal');
    expect((await sealdesk('seal', y, '--cert', id, '--json')).json()).toMatchObject({ code: 'CERT_NOT_VALID' });
    const z = path('z');
    writeFileSync(z, 'another document');
    expect((await sealdesk('seal', z, '--tsa', 'none')).code).toBe(0); // makes the default seal
    const def = (await sealdesk('cert', 'list', '--json')).json().find((c: { kind: string }) => c.kind === 'default');
    expect((await sealdesk('cert', 'revoke', def.id, '--json')).json()).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/cannot be revoked/),
    });
  });
});

describe.skipIf(!hsm)('token keys', () => {
  it.each(['ec-p256', 'rsa-3072'])(
    'provisions a %s key on the token, CSR signed there, activates and seals with it',
    async (key) => {
      const p11 = ['--pkcs11-module', SOFTHSM_MODULE, '--token', 'Provisioning Token', '--pin-env', 'TOKEN_PIN'];
      const p = await sealdesk(
        'cert',
        'provision',
        '--signer',
        'pkcs11',
        ...p11,
        '--cn',
        `Token ${key}`,
        '--org',
        'Acme AS',
        '--country',
        'NO',
        '--key',
        key,
        '--json',
      );
      expect(p.code, p.stderr).toBe(0);
      expect(JSON.parse(p.json().keyRef)).toMatchObject({
        token: 'Provisioning Token',
        key: expect.stringMatching(/^id:[0-9a-f]{16}$/),
      });
      const { chain } = await issue(p.json().csrPem);
      expect((await sealdesk('cert', 'activate', p.json().id, chain)).code).toBe(0);
      await sealsAndVerifies(p.json().id, '--pin-env', 'TOKEN_PIN');
      const r = await sealdesk('cert', 'revoke', p.json().id, '--destroy-key', '--pin-env', 'TOKEN_PIN', '--json');
      expect(r.json()).toMatchObject({ keyDestroyed: true });
      const keys = (
        await sealdesk('tokens', '--pkcs11-module', SOFTHSM_MODULE, '--pin-env', 'TOKEN_PIN', '--json')
      ).json()[0].keys;
      expect(keys.some((k: { label: string }) => k.label === `Token ${key}`)).toBe(false);
    },
  );
});
