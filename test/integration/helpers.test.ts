// The test infrastructure itself, judged without Sealdesk's code: OpenSSL and plain fetch check what the loopback TSA,
// its fault modes, the test PKI and the SoftHSM token really do.
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startTsa, type TsaMode } from '../helpers/tsa-server.js';
import { openssl, tsText, tsVerify } from '../helpers/openssl.js';
import { createSoftHsmToken, SOFTHSM_MODULE } from '../helpers/softhsm.js';
import { closedPortUrl } from '../helpers/net.js';
import { tempDir } from '../helpers/tmp.js';

const work = tempDir('helpers');
let pki: TestPki;
let query: Uint8Array;
const queryFile = () => join(work.path, 'q.tsq');

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  writeFileSync(join(work.path, 'data.txt'), 'helpers');
  expect(
    (await openssl(['ts', '-query', '-data', join(work.path, 'data.txt'), '-sha256', '-cert', '-out', queryFile()]))
      .code,
  ).toBe(0);
  query = new Uint8Array(readFileSync(queryFile()));
});
afterAll(() => work.remove());

async function ask(
  mode: TsaMode,
  signer: 'tsa' | 'tsaEc' | 'tsaNoEku' = 'tsa',
): Promise<{ status: number; body: Uint8Array; file: string }> {
  const tsa = await startTsa({ pki, mode, signer });
  try {
    const res = await fetch(tsa.url, {
      method: 'POST',
      body: query,
      headers: { 'content-type': 'application/timestamp-query' },
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const file = join(work.path, `${mode}-${signer}.tsr`);
    writeFileSync(file, body);
    return { status: res.status, body, file };
  } finally {
    await tsa.close();
  }
}

describe('loopback TSA', () => {
  it.each(['tsa', 'tsaEc'] as const)(
    'ok (%s): OpenSSL verifies the reply against the query and the test root',
    async (signer) => {
      const { status, file } = await ask('ok', signer);
      expect(status).toBe(200);
      const r = await openssl([
        'ts',
        '-verify',
        '-queryfile',
        queryFile(),
        '-in',
        file,
        '-CAfile',
        pki.caFile,
        '-untrusted',
        pki[signer].certPath,
      ]);
      expect(r.stdout).toMatch(/Verification: OK/);
    },
  );

  it('fault modes do what they say', async () => {
    expect((await ask('http503')).status).toBe(503);
    expect((await openssl(['ts', '-reply', '-in', (await ask('garbage')).file, '-text'])).code).not.toBe(0);
    expect((await tsText((await ask('rejection')).file)).status).toMatch(/Rejected/);
    for (const mode of ['wrong-nonce', 'wrong-imprint'] as const) {
      const r = await openssl([
        'ts',
        '-verify',
        '-queryfile',
        queryFile(),
        '-in',
        (await ask(mode)).file,
        '-CAfile',
        pki.caFile,
        '-untrusted',
        pki.tsa.certPath,
      ]);
      expect(r.stdout + r.stderr, mode).not.toMatch(/Verification: OK/);
    }
    const html = await ask('html200');
    expect(Buffer.from(html.body).toString()).toMatch(/captive portal/);
  });

  it('timeout holds the request unanswered, and close() still completes (the test would hang otherwise)', async () => {
    const tsa = await startTsa({ pki, mode: 'timeout' });
    await expect(fetch(tsa.url, { method: 'POST', body: query, signal: AbortSignal.timeout(300) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect(tsa.requestCount()).toBe(1);
    await expect(tsa.close()).resolves.toBeUndefined();
  });

  it('a signer OpenSSL refuses (no EKU) is forged with pkijs, and OpenSSL still reads the token', async () => {
    const { file } = await ask('ok', 'tsaNoEku');
    const text = await tsText(file);
    expect(text.status).toMatch(/Granted/);
    expect(text.messageImprintHex).toHaveLength(64);
    expect(
      (
        await tsVerify({
          tsr: file,
          data: join(work.path, 'data.txt'),
          caFile: pki.caFile,
          untrusted: pki.tsaNoEku.certPath,
        })
      ).ok,
    ).toBe(false);
  });

  it('closedPortUrl refuses connections', async () => {
    await expect(fetch(await closedPortUrl())).rejects.toThrow();
  });
});

describe('test PKI', () => {
  it('OpenSSL sees the TSA certificate chain to the root with a critical timeStamping EKU', async () => {
    expect((await openssl(['verify', '-CAfile', pki.caFile, pki.tsa.certPath])).stdout).toMatch(/OK/);
    const text = (await openssl(['x509', '-in', pki.tsa.certPath, '-noout', '-text'])).stdout;
    expect(text).toMatch(/X509v3 Extended Key Usage: critical\s+Time Stamping/);
  });
});

describe.skipIf(!existsSync(SOFTHSM_MODULE))('SoftHSM token', () => {
  it('pkcs11-tool lists the imported key and certificate', async () => {
    const token = await createSoftHsmToken(join(work.path, 'hsm'), 'Helper Token', [
      { label: 'k1', idHex: '0a', cert: pki.signer },
    ]);
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      'pkcs11-tool',
      ['--module', SOFTHSM_MODULE, '--token-label', 'Helper Token', '--login', '--pin', token.pin, '--list-objects'],
      { env: { ...process.env, SOFTHSM2_CONF: token.conf } },
    ).toString();
    expect(out).toMatch(/Private Key Object/);
    expect(out).toMatch(/Certificate Object[\s\S]*label:\s+k1/);
  });
});

describe('PDF judges and fixtures (the judges must be able to say no)', () => {
  it('pdfsig and mutool pass a pdfsig-signed fixture and fail it after one byte inside the signed range changes; qpdf flags a broken xref', async () => {
    const { addNssSigner, createNssDb, mutoolVerify, pdfsigAddSignature, pdfsigVerify, qpdfCheck } =
      await import('../helpers/pdf-judges.js');
    const { brokenXrefPdf, writeMinimalPdf } = await import('../helpers/pdfs.js');
    const input = writeMinimalPdf(join(work.path, 'fixture.pdf'), { pages: 2 });
    expect((await qpdfCheck(input)).ok).toBe(true);
    const nss = await createNssDb(pki.root.certPath);
    await addNssSigner(nss, pki.signer, 'judge');
    const signed = join(work.path, 'fixture-signed.pdf');
    await pdfsigAddSignature(nss, 'judge', input, signed);
    expect(await pdfsigVerify(signed, nss)).toMatchObject([
      { signatureValid: true, certificateTrusted: true, wholeDocument: true },
    ]);
    expect((await mutoolVerify(signed))[0]).toMatchObject({ digestOk: true });
    const tampered = readFileSync(signed);
    const at = tampered.indexOf('The parties agree');
    tampered[at] = 't'.charCodeAt(0);
    writeFileSync(join(work.path, 'fixture-tampered.pdf'), tampered);
    expect((await pdfsigVerify(join(work.path, 'fixture-tampered.pdf'), nss))[0]!.signatureValid).toBe(false);
    expect((await mutoolVerify(join(work.path, 'fixture-tampered.pdf')))[0]!.digestOk).toBe(false);
    writeFileSync(join(work.path, 'broken.pdf'), brokenXrefPdf());
    expect((await qpdfCheck(join(work.path, 'broken.pdf'))).ok).toBe(false);
  });

  it('the loopback OCSP responder answers good and revoked as openssl ocsp reads them; the CRL lists the revoked serial', async () => {
    const { startRevocationServer } = await import('../helpers/ocsp-responder.js');
    const rev = await startRevocationServer(pki);
    try {
      for (const [cert, status] of [
        [rev.signer, 'good'],
        [rev.revoked, 'revoked'],
      ] as const) {
        const r = await openssl([
          'ocsp',
          '-issuer',
          pki.root.certPath,
          '-cert',
          cert.certPath,
          '-url',
          rev.ocspUrl,
          '-CAfile',
          pki.root.certPath,
        ]);
        expect(r.stdout).toMatch(new RegExp(`: ${status}`));
      }
      writeFileSync(join(work.path, 'crl.der'), new Uint8Array(await (await fetch(rev.crlUrl)).arrayBuffer()));
      expect(
        (await openssl(['crl', '-inform', 'DER', '-in', join(work.path, 'crl.der'), '-noout', '-text'])).stdout,
      ).toMatch(/Serial Number: 53/);
    } finally {
      await rev.close();
    }
  });
});
