// Seed 001 "Document Seal" on the real server, on PGlite and PostgreSQL: certificates provisioned as RSA-4096 on a
// SoftHSM2 token and in KMS (loopback endpoint on SoftHSM2), activated with a chain from the test CA (a wrong key
// refused), revoked with the key's deletion after the grace (platform certificate listed last, not revocable);
// /seal/sign for PDFs (pdfsig) and other files (`openssl cms -verify`), the X-Seal-* headers, a seal without
// time-stamp when every TSA fails; /seal/verify's shapes; operations, the stored .p7s and the seed's 404 message;
// the import extension; another tenant's records are 404.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import type { SealingConfig } from '../../server/sealing/keystore.js';
import { platformId } from '../../server/sealing/keystore.js';
import { sealingFromEnv } from '../../server/sealing/config.js';
import { sweepRevokedKeys } from '../../server/sealing/sweep.js';
import { startKms, type LoopbackKms } from '../helpers/kms-server.js';
import { openssl } from '../helpers/openssl.js';
import { createNssDb, pdfsigVerify } from '../helpers/pdf-judges.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { call, newUser } from '../helpers/server-client.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { createSoftHsmToken, type SoftHsmToken } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUBJECT = {
  commonName: 'Acme Corp Seal 2026',
  organization: 'Acme Corp AS',
  countryCode: 'NO',
  organizationalUnit: 'Legal',
  locality: 'Oslo',
};

const dir = tempDir('seal-routes');
let pki: TestPki;
let tsa: LoopbackTsa;
let token: SoftHsmToken;
let kms: LoopbackKms;
let db: Database;
let server: TestServer;
let kmsServer: TestServer;
let sealing: SealingConfig;
let pg: TestPostgres;

beforeAll(async () => {
  pki = await createTestPki(join(dir.path, 'pki'));
  tsa = await startTsa({ pki });
  token = await createSoftHsmToken(join(dir.path, 'hsm'), 'seal-keys', []);
  kms = await startKms(token);
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-north-1',
  });
  const platform = {
    label: 'Sealdesk platform seal',
    chainPem: pki.signer.certPem + pki.root.certPem,
    key: { kind: 'pem' as const, keyPem: pki.signer.keyPem },
  };
  sealing = {
    store: { kind: 'pkcs11', module: token.module, token: token.label, pin: token.pin },
    platform,
    trustDev: [pki.root.der],
  };
  pg = await startPostgres();
}, 240_000);
afterAll(async () => {
  await pg?.stop();
  await kms?.close();
  await tsa?.close();
  dir.remove();
});

/** The test CA signs the CSR (OpenSSL checks the CSR's own signature first); the leaf and root as one PEM. */
async function issue(csrPem: string, name: string): Promise<string> {
  const csr = join(dir.path, `${name}.csr`);
  writeFileSync(csr, csrPem);
  const ok = await openssl(['req', '-in', csr, '-verify', '-noout']);
  expect(ok.stderr + ok.stdout).toMatch(/verify OK/i);
  const out = join(dir.path, `${name}.pem`);
  const r = await openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.root.certPath,
    '-CAkey',
    pki.root.keyPath,
    '-set_serial',
    '0x77',
    '-days',
    '30',
    '-out',
    out,
  ]);
  expect(r.code).toBe(0);
  return execFileSync('cat', [out], { encoding: 'utf8' }) + pki.root.certPem;
}

async function form(
  base: string,
  tokenValue: string | null,
  parts: Record<string, string | { name: string; bytes: Uint8Array }>,
  path = '/seal/sign',
) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(parts)) {
    if (typeof v === 'string') fd.append(k, v);
    else fd.append(k, new Blob([v.bytes]), v.name);
  }
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    body: fd,
    headers: tokenValue ? { authorization: `Bearer ${tokenValue}` } : {},
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe.each(['pglite', 'postgres'] as const)('seal routes on %s', (kind) => {
  let owner: Awaited<ReturnType<typeof newUser>>;
  let certId: string;
  beforeAll(async () => {
    db = await openTestDatabase(kind, pg.url);
    const tsas = tsaProviders([{ slug: 'tsa-a', name: 'TSA A', url: tsa.url }]);
    server = await startTestServer(db, { tsas, ctx: { sealing } });
    kmsServer = await startTestServer(db, {
      tsas,
      ctx: { sealing: { store: { kind: 'kms', endpoint: kms.url }, platform: sealing.platform } },
    });
    owner = await newUser(server.url, { organisation: 'Acme Corp' });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await kmsServer?.close();
    await db?.close();
  });

  it('provisions RSA-4096 on the token, the seed CSR; a wrong chain is refused, the right one activates', async () => {
    const p = await call(server.url, 'POST', '/seal/certificates', {
      token: owner.token,
      body: { ...SUBJECT, label: 'Acme seal' },
    });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({
      id: expect.stringMatching(UUID),
      label: 'Acme seal',
      status: 'provisioning',
      csrPem: expect.stringMatching(/^-----BEGIN CERTIFICATE REQUEST-----/),
    });
    certId = p.body.id;
    const csrPath = join(dir.path, 'p.csr');
    writeFileSync(csrPath, p.body.csrPem);
    const text = (await openssl(['req', '-in', csrPath, '-noout', '-text'])).stdout;
    expect(text).toContain('Public-Key: (4096 bit)');
    expect(text).toMatch(
      /C\s*=\s*NO, L\s*=\s*Oslo, O\s*=\s*Acme Corp AS, OU\s*=\s*Legal, CN\s*=\s*Acme Corp Seal 2026/,
    );

    const wrong = await call(server.url, 'POST', `/seal/certificates/${certId}/activate`, {
      token: owner.token,
      body: { certificatePem: pki.signer.certPem },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/does not match the provisioned key/);

    const chain = await issue(p.body.csrPem, 'acme');
    const a = await call(server.url, 'POST', `/seal/certificates/${certId}/activate`, {
      token: owner.token,
      body: { certificatePem: chain },
    });
    expect(a.status).toBe(200);
    expect(a.body).toEqual({
      id: certId,
      status: 'active',
      certSubject: expect.stringContaining('CN=Acme Corp Seal 2026'),
      certNotBefore: expect.any(String),
      certNotAfter: expect.any(String),
    });

    const list = await call(server.url, 'GET', '/seal/certificates', { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body.map((c: { source: string }) => c.source)).toEqual(['byoc', 'platform']);
    expect(list.body[0]).toMatchObject({ id: certId, label: 'Acme seal', status: 'active' });
    expect(list.body[1]).toMatchObject({
      id: platformId(sealing.platform!),
      label: 'Sealdesk platform seal',
      status: 'active',
      certSubject: expect.stringContaining('Sealdesk Test Seal RSA'),
    });
  }, 180_000);

  it('seals a non-PDF as a detached CAdES .p7s that openssl cms -verify accepts, time-stamped by the TSA', async () => {
    const content = Buffer.from('{"report": 1}\n');
    const r = await form(server.url, owner.token, {
      file: { name: 'report.json', bytes: content },
      certificateId: certId,
      label: 'report.json',
      qualified: 'false',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pkcs7-signature');
    expect(r.headers.get('x-seal-operation-id')).toMatch(UUID);
    expect(r.headers.get('x-seal-certificate-id')).toBe(certId);
    expect(r.headers.get('x-seal-timestamped-by')).toBe('TSA A');
    expect(r.headers.get('x-seal-format')).toBe('cades');
    expect(r.headers.get('x-seal-qualified')).toBe('false');
    writeFileSync(join(dir.path, 'report.json'), content);
    writeFileSync(join(dir.path, 'report.p7s'), r.bytes);
    const v = await openssl([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir.path, 'report.p7s'),
      '-content',
      join(dir.path, 'report.json'),
      '-CAfile',
      pki.root.certPath,
      '-purpose',
      'any',
      '-out',
      '/dev/null',
    ]);
    expect(v.stderr).toMatch(/Verification successful/);
    // The signature time-stamp is in the unsigned attributes (id-aa-signatureTimeStampToken).
    const dump = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(dir.path, 'report.p7s')]);
    expect(dump.stdout).toContain('id-smime-aa-timeStampToken');

    const verified = await form(
      server.url,
      null,
      { file: { name: 'report.json', bytes: content }, p7s: { name: 'report.p7s', bytes: r.bytes } },
      '/seal/verify',
    );
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.bytes.toString())).toEqual({
      format: 'cades',
      cades: {
        signaturePresent: true,
        hashMatch: true,
        fileHashHex: expect.stringMatching(/^[0-9a-f]{64}$/),
        certificate: { subject: expect.stringContaining('CN=Acme Corp Seal 2026'), trust: 'dev_ca' },
        timestamp: { genTime: expect.any(String), tsaName: expect.any(String) },
        tsrSource: 'embedded',
        tsrMatchError: null,
        error: null,
      },
    });
    const altered = await form(
      server.url,
      null,
      {
        file: { name: 'report.json', bytes: Buffer.from('{"report": 2}\n') },
        p7s: { name: 'report.p7s', bytes: r.bytes },
      },
      '/seal/verify',
    );
    expect(altered.status).toBe(400);
    expect(JSON.parse(altered.bytes.toString()).message).toMatch(/file hash does not match/);
    const garbage = await form(
      server.url,
      null,
      { file: { name: 'report.json', bytes: content }, p7s: { name: 'report.p7s', bytes: Buffer.from('not a p7s') } },
      '/seal/verify',
    );
    expect(garbage.status).toBe(400);
    expect((await form(server.url, null, { p7s: { name: 'report.p7s', bytes: r.bytes } }, '/seal/verify')).status).toBe(
      400,
    );

    const ops = await call(server.url, 'GET', '/seal/operations?pageSize=10', { token: owner.token });
    expect(ops.body).toMatchObject({ total: 1, page: 1, pageSize: 10 });
    expect(ops.body.items[0]).toEqual({
      id: r.headers.get('x-seal-operation-id'),
      documentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      label: 'report.json',
      status: 'success',
      createdAt: expect.any(String),
      certLabel: 'Acme seal',
      signatureType: 'cades',
      hasP7s: false,
      tsaName: 'TSA A',
    });
    const p7s = await call(server.url, 'GET', `/seal/operations/${ops.body.items[0].id}/p7s`, { token: owner.token });
    expect(p7s.status).toBe(404);
    expect(p7s.body).toEqual({
      message: '.p7s not stored — enable Store CAdES seals in Settings, or download immediately after sealing.',
    });
  }, 120_000);

  it('stores the .p7s when the tenant keeps CAdES seals; another tenant gets 404 for it and the key', async () => {
    const s = await call(server.url, 'PUT', '/api/tenant/settings', {
      token: owner.token,
      body: { storeCadesSeals: true },
    });
    expect(s.status).toBe(200);
    const r = await form(server.url, owner.token, {
      file: { name: 'a.txt', bytes: Buffer.from('kept\n') },
      certificateId: certId,
    });
    expect(r.status).toBe(200);
    const id = r.headers.get('x-seal-operation-id')!;
    const p7s = await fetch(`${server.url}/seal/operations/${id}/p7s`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(p7s.status).toBe(200);
    expect(p7s.headers.get('content-type')).toBe('application/pkcs7-signature');
    expect(Buffer.from(await p7s.arrayBuffer()).equals(r.bytes)).toBe(true);

    const other = await newUser(server.url, { organisation: 'Other Org' });
    expect((await call(server.url, 'GET', `/seal/operations/${id}/p7s`, { token: other.token })).status).toBe(404);
    const theirs = await form(server.url, other.token, {
      file: { name: 'a.txt', bytes: Buffer.from('x') },
      certificateId: certId,
    });
    expect(theirs.status).toBe(404);
    expect((await call(server.url, 'GET', '/seal/operations', { token: other.token })).body.total).toBe(0);
  }, 120_000);

  it('seals a PDF with PAdES (pdfsig: valid and trusted), and without a time-stamp when every TSA fails', async () => {
    const nss = await createNssDb(pki.root.certPath);
    const r = await form(server.url, owner.token, {
      file: { name: 'doc.pdf', bytes: minimalPdf() },
      certificateId: certId,
      reason: 'Approved',
      location: 'Oslo',
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('x-seal-format')).toBe('pades');
    expect(r.headers.get('x-seal-timestamped-by')).toBe('TSA A');
    writeFileSync(join(dir.path, 'doc_sealed.pdf'), r.bytes);
    const sigs = await pdfsigVerify(join(dir.path, 'doc_sealed.pdf'), nss);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({
      signatureValid: true,
      certificateTrusted: true,
      wholeDocument: true,
      subFilter: 'ETSI.CAdES.detached',
    });

    const verified = await form(server.url, null, { file: { name: 'doc_sealed.pdf', bytes: r.bytes } }, '/seal/verify');
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.bytes.toString())).toEqual({
      format: 'pades',
      pades: {
        signaturePresent: true,
        hashMatch: true,
        certificate: {
          subject: expect.stringContaining('CN=Acme Corp Seal 2026'),
          trust: 'dev_ca',
          qc: { isEidasQualified: false },
        },
        timestamp: { genTime: expect.any(String), tsaName: expect.any(String), qc: { isEidasQualified: false } },
      },
    });
    expect(
      (await form(server.url, null, { file: { name: 'x.txt', bytes: Buffer.from('plain') } }, '/seal/verify')).status,
    ).toBe(400);

    tsa.setMode('http503');
    try {
      const down = await form(server.url, owner.token, {
        file: { name: 'doc.pdf', bytes: minimalPdf() },
        certificateId: certId,
      });
      expect(down.status).toBe(200);
      expect(down.headers.get('x-seal-timestamped-by')).toBe('none');
      writeFileSync(join(dir.path, 'down_sealed.pdf'), down.bytes);
      expect((await pdfsigVerify(join(dir.path, 'down_sealed.pdf'), nss))[0]).toMatchObject({ signatureValid: true });
    } finally {
      tsa.setMode('ok');
    }
  }, 120_000);

  it('the platform certificate seals for any tenant, is not revocable; revoking schedules deletion', async () => {
    const pid = platformId(sealing.platform!);
    const r = await form(server.url, owner.token, {
      file: { name: 'p.txt', bytes: Buffer.from('platform\n') },
      certificateId: pid,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-seal-certificate-id')).toBe(pid);
    const refused = await call(server.url, 'DELETE', `/seal/certificates/${pid}`, { token: owner.token });
    expect(refused.status).toBe(400);

    const del = await call(server.url, 'DELETE', `/seal/certificates/${certId}`, { token: owner.token });
    expect(del).toMatchObject({ status: 200, body: { message: 'Certificate revoked. KMS key deletion scheduled.' } });
    const [row] = await db.query<{ status: string; key_deletion_at: Date }>(
      'SELECT status, key_deletion_at FROM seal_certificates WHERE id = $1',
      [certId],
    );
    expect(row!.status).toBe('revoked');
    const days = (new Date(row!.key_deletion_at).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const list = await call(server.url, 'GET', '/seal/certificates', { token: owner.token });
    expect(list.body.map((c: { source: string }) => c.source)).toEqual(['platform']);
    expect(
      (await form(server.url, owner.token, { file: { name: 'x.txt', bytes: Buffer.from('x') }, certificateId: certId }))
        .status,
    ).toBe(400);

    // The sweep leaves the key alone during the grace, and destroys it on the token after it.
    expect(await sweepRevokedKeys(server.ctx)).toEqual([]);
    const later = { ...server.ctx, now: () => new Date(Date.now() + 8 * 86_400_000) };
    expect(await sweepRevokedKeys(later)).toEqual([certId]);
    const objects = execFileSync(
      'pkcs11-tool',
      ['--module', token.module, '--token-label', token.label, '--login', '--pin', token.pin, '--list-objects'],
      { encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: token.conf } },
    );
    expect(objects).not.toContain('label:      Acme seal');
  }, 120_000);

  it('imports offline seals (extension): .p7s checked against its hash, sealed PDF verified; idempotent', async () => {
    const p7s = readFileSync(join(dir.path, 'report.p7s')).toString('base64');
    const hash = createHash('sha256')
      .update(readFileSync(join(dir.path, 'report.json')))
      .digest('hex');
    const body = { signatureType: 'cades', documentHashHex: hash, p7sBase64: p7s, label: 'offline' };
    const first = await call(server.url, 'POST', '/seal/operations/import', { token: owner.token, body });
    expect(first).toMatchObject({
      status: 200,
      body: { id: expect.stringMatching(UUID), signatureType: 'cades', documentHash: hash, created: true },
    });
    const again = await call(server.url, 'POST', '/seal/operations/import', { token: owner.token, body });
    expect(again.body).toMatchObject({ id: first.body.id, created: false });
    const wrong = await call(server.url, 'POST', '/seal/operations/import', {
      token: owner.token,
      body: { ...body, documentHashHex: createHash('sha256').update('other').digest('hex') },
    });
    expect(wrong).toMatchObject({ status: 400, body: { message: 'file hash does not match seal' } });
    const garbage = await call(server.url, 'POST', '/seal/operations/import', {
      token: owner.token,
      body: { ...body, p7sBase64: Buffer.from('not a signature').toString('base64') },
    });
    expect(garbage.status).toBe(400);
    const pdf = readFileSync(join(dir.path, 'doc_sealed.pdf'));
    const pades = { signatureType: 'pades', pdfBase64: pdf.toString('base64') };
    const imported = await call(server.url, 'POST', '/seal/operations/import', { token: owner.token, body: pades });
    expect(imported.body).toMatchObject({
      signatureType: 'pades',
      documentHash: createHash('sha256').update(pdf).digest('hex'),
      created: true,
    });
    const unsigned = { signatureType: 'pades', pdfBase64: minimalPdf().toString('base64') };
    expect(
      (await call(server.url, 'POST', '/seal/operations/import', { token: owner.token, body: unsigned })).status,
    ).toBe(400);
    const ops = await call(server.url, 'GET', `/seal/operations?search=offline`, { token: owner.token });
    expect(ops.body.items.map((o: { id: string }) => o.id)).toEqual([first.body.id]);
  }, 120_000);

  it('provisions a KMS key (RSA-4096) and an owner role is required', async () => {
    const p = await call(kmsServer.url, 'POST', '/seal/certificates', { token: owner.token, body: SUBJECT });
    expect(p.status).toBe(200);
    expect(p.body.kmsKeyArn).toMatch(/^arn:aws:kms:/);
    expect(p.body.label).toBe('Acme Corp Seal 2026');
    expect([...kms.keys.values()].at(-1)!.spec).toBe('RSA_4096');
    const bad = await call(server.url, 'POST', '/seal/certificates', {
      token: owner.token,
      body: { ...SUBJECT, countryCode: 'Norway' },
    });
    expect(bad.status).toBe(400);
    const member = await newUser(server.url);
    expect((await call(server.url, 'POST', '/seal/certificates', { token: member.token, body: SUBJECT })).status).toBe(
      403,
    );
  }, 180_000);
});

describe('seal key store from the environment (server/sealing/config.ts)', () => {
  it('reads the token, the platform certificate and the trust files; half a token setting is refused', () => {
    const env = {
      SEALDESK_SEAL_PKCS11_MODULE: token.module,
      SEALDESK_SEAL_PKCS11_TOKEN: token.label,
      SEALDESK_SEAL_PKCS11_PIN: token.pin,
      SEALDESK_PLATFORM_CHAIN: pki.signer.chainPath,
      SEALDESK_PLATFORM_KEY: pki.signer.keyPath,
      SEALDESK_PLATFORM_LABEL: 'Platform',
      SEALDESK_SEAL_TRUST_DEV: pki.root.certPath,
    };
    const c = sealingFromEnv(env);
    expect(c.store).toEqual({ kind: 'pkcs11', module: token.module, token: token.label, pin: token.pin });
    expect(c.platform).toMatchObject({ label: 'Platform', key: { kind: 'pem', keyPem: pki.signer.keyPem } });
    expect(platformId(c.platform!)).toBe(platformId(sealing.platform!));
    expect(c.trustDev).toEqual([pki.root.der]);
    expect(sealingFromEnv({ SEALDESK_SEAL_KMS_REGION: 'eu-north-1' }).store).toEqual({
      kind: 'kms',
      region: 'eu-north-1',
    });
    expect(sealingFromEnv({})).toEqual({ store: null, platform: null, trust: [], trustDev: [] });
    expect(() => sealingFromEnv({ SEALDESK_SEAL_PKCS11_MODULE: token.module })).toThrow(/go together/);
  });
});
