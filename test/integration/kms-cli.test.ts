// Sealing with a KMS key through the official AWS SDK, against a KMS-compatible loopback endpoint backed by SoftHSM2.
// No AWS endpoint is reachable here: a live KMS is not exercised by these tests (README says so).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { createSoftHsmToken, SOFTHSM_MODULE } from '../helpers/softhsm.js';
import { startKms, type LoopbackKms } from '../helpers/kms-server.js';
import { openssl } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { cliRunner, isolateTsas } from '../helpers/cli.js';

const available = existsSync(SOFTHSM_MODULE);
if (!available) console.warn(`SKIPPED: KMS tests need SoftHSM2 (${SOFTHSM_MODULE}) behind the loopback KMS endpoint`);
const work = tempDir('kms');
let pki: TestPki;
let kms: LoopbackKms;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;

beforeAll(async () => {
  if (!available) return;
  pki = await createTestPki(join(work.path, 'pki'));
  const token = await createSoftHsmToken(join(work.path, 'hsm'), 'KMS Backing Token', []);
  kms = await startKms(token);
  // The SDK's standard credential chain reads the process environment; the endpoint checks requests are SigV4-signed.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-north-1',
  });
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home') });
  await isolateTsas(sealdesk);
}, 120_000);
afterAll(async () => {
  await kms?.close();
  work.remove();
});

const file = (name: string, content: string) => {
  mkdirSync(join(work.path, 'out'), { recursive: true });
  const p = join(work.path, 'out', `${++n}-${name}`);
  writeFileSync(p, content);
  return p;
};

/** Provisions a KMS key, has the test root issue its certificate, activates it. */
async function provisioned(cn: string): Promise<{ id: string; keyId: string }> {
  const p = (
    await sealdesk(
      'cert',
      'provision',
      '--signer',
      'kms',
      '--kms-endpoint',
      kms.url,
      '--cn',
      cn,
      '--org',
      'Acme AS',
      '--country',
      'NO',
      '--json',
    )
  ).json();
  const csr = file('p.csr', p.csrPem);
  const leaf = file('p.pem', '');
  expect(
    (
      await openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        pki.root.certPath,
        '-CAkey',
        pki.root.keyPath,
        '-days',
        '30',
        '-set_serial',
        String(7000 + n),
        '-out',
        leaf,
      ])
    ).code,
  ).toBe(0);
  expect(
    (await sealdesk('cert', 'activate', p.id, file('pc.pem', readFileSync(leaf, 'utf8') + pki.root.certPem))).code,
  ).toBe(0);
  return { id: p.id, keyId: JSON.parse(p.keyRef).keyId };
}

describe.skipIf(!available)('KMS', () => {
  it.each(['ec-p256', 'rsa-3072'])(
    'provision --signer kms (%s): CreateKey, CSR signed in KMS, activate, seal with --kms-key-id; OpenSSL verifies',
    async (key) => {
      const p = await sealdesk(
        'cert',
        'provision',
        '--signer',
        'kms',
        '--kms-endpoint',
        kms.url,
        '--cn',
        `KMS Seal ${key}`,
        '--org',
        'Acme AS',
        '--country',
        'NO',
        '--key',
        key,
        '--json',
      );
      expect(p.code, p.stderr).toBe(0);
      const keyRef = JSON.parse(p.json().keyRef);
      expect(keyRef).toMatchObject({
        keyId: expect.stringMatching(/^arn:aws:kms:eu-north-1:111122223333:key\//),
        endpoint: kms.url,
      });
      const csr = file('req.csr', p.json().csrPem);
      expect((await openssl(['req', '-in', csr, '-verify', '-noout'])).stderr).toMatch(/verify OK/);
      const leaf = file('leaf.pem', '');
      expect(
        (
          await openssl([
            'x509',
            '-req',
            '-in',
            csr,
            '-CA',
            pki.root.certPath,
            '-CAkey',
            pki.root.keyPath,
            '-days',
            '30',
            '-set_serial',
            String(5000 + n),
            '-out',
            leaf,
          ])
        ).code,
      ).toBe(0);
      const chain = file('chain.pem', readFileSync(leaf, 'utf8') + pki.root.certPem);
      expect((await sealdesk('cert', 'activate', p.json().id, chain)).code).toBe(0);

      const doc = file('doc.txt', `sealed in KMS with ${key}`);
      const s = await sealdesk(
        'seal',
        doc,
        '--kms-key-id',
        keyRef.keyId.split('/').pop(),
        '--kms-endpoint',
        kms.url,
        '--tsa',
        'none',
        '--json',
      );
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
      expect(kms.calls.filter((c) => c.startsWith('Sign '))).not.toHaveLength(0);
      expect(kms.calls.every((c) => c.endsWith('application/x-amz-json-1.1 sigv4'))).toBe(true);
    },
  );

  it('revoke --destroy-key schedules the deletion; the key cannot seal afterwards', async () => {
    const { id, keyId } = await provisioned('Doomed');
    expect((await sealdesk('cert', 'revoke', id, '--destroy-key', '--json')).json()).toMatchObject({
      status: 'revoked',
      keyDestroyed: true,
    });
    expect(kms.keys.get(keyId.split('/').pop()!)?.state).toBe('PendingDeletion');
    expect((await sealdesk('seal', file('x.txt', 'x'), '--kms-key-id', keyId, '--json')).json()).toMatchObject({
      code: 'CERT_NOT_FOUND',
    });
  });

  it('a key gone from KMS is KEY_NOT_FOUND; an unreachable endpoint is a KMS error, not a crash', async () => {
    const { id, keyId } = await provisioned('Ghost');
    kms.keys.delete(keyId.split('/').pop()!);
    expect((await sealdesk('seal', file('g.txt', 'g'), '--cert', id, '--tsa', 'none', '--json')).json()).toMatchObject({
      code: 'KEY_NOT_FOUND',
    });
    const nowhere = await sealdesk(
      'cert',
      'provision',
      '--signer',
      'kms',
      '--kms-endpoint',
      'http://127.0.0.1:1',
      '--cn',
      'Nowhere',
      '--org',
      'Acme AS',
      '--country',
      'NO',
      '--json',
    );
    expect(nowhere.code).toBe(2);
    expect(nowhere.json().code).toBe('KMS_ERROR');
  });
});
