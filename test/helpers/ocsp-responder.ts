// Revocation on loopback: `openssl ocsp` answers OCSP requests and `openssl ca -gencrl` makes the CRL, for seal
// certificates (issued here by the test root) whose AIA and CRL distribution point name this server.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { x509 } from '../../core/asn1/x509.js';
import { issueCertificate, type TestCert, type TestPki } from './pki.js';
import { fileTempDir } from './file-temp.js';

export type RevocationServer = {
  readonly ocspUrl: string;
  readonly crlUrl: string;
  /** Names the OCSP responder and the CRL. */
  readonly signer: TestCert;
  /** Names only the CRL. */
  readonly crlOnlySigner: TestCert;
  /** Revoked in both. */
  readonly revoked: TestCert;
  /** A TSA certificate (critical timeStamping EKU) naming the OCSP responder and the CRL, revoked in both on 2025-01-01. */
  readonly revokedTsa: TestCert;
  ocspRequests(): number;
  crlRequests(): number;
  /** Stops answering (connections refused), as when the responder is unreachable. */
  close(): Promise<void>;
};

function sh(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, (err, _o, stderr) => (err ? reject(new Error(`${cmd} ${args[0]}: ${stderr}`)) : resolve())),
  );
}

export async function startRevocationServer(pki: TestPki): Promise<RevocationServer> {
  const dir = fileTempDir('ocsp');
  let ocspCount = 0;
  let crlCount = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      if (req.method === 'POST' && req.url === '/ocsp') {
        const n = ++ocspCount;
        const reply = (queue = queue.then(async () => {
          writeFileSync(join(dir, `q${n}.der`), body);
          await sh('openssl', [
            'ocsp',
            '-index',
            join(dir, 'index.txt'),
            '-CA',
            pki.root.certPath,
            '-rsigner',
            pki.root.certPath,
            '-rkey',
            pki.root.keyPath,
            '-reqin',
            join(dir, `q${n}.der`),
            '-respout',
            join(dir, `r${n}.der`),
            '-ndays',
            '7',
          ]);
          return readFileSync(join(dir, `r${n}.der`));
        }));
        const der = await reply;
        res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(der);
      } else if (req.method === 'GET' && req.url === '/crl') {
        crlCount++;
        res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(readFileSync(join(dir, 'crl.der')));
      } else res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ocspUrl = `${base}/ocsp`;
  const crlUrl = `${base}/crl`;
  const signer = await issue(pki, dir, 'ocspSigner', 'Sealdesk Test Seal OCSP', 0x51, ocspUrl, crlUrl);
  const crlOnlySigner = await issue(pki, dir, 'crlSigner', 'Sealdesk Test Seal CRL', 0x52, null, crlUrl);
  const revoked = await issue(pki, dir, 'revokedSigner', 'Sealdesk Test Seal Revoked', 0x53, ocspUrl, crlUrl);
  const revokedTsa = await issue(pki, dir, 'revokedTsa', 'Sealdesk Test TSA Revoked', 0x54, ocspUrl, crlUrl, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true),
  ]);
  const line = (c: TestCert, serial: string, status: 'V' | 'R') =>
    [
      status,
      '400101000000Z',
      status === 'R' ? '250101000000Z' : '',
      serial,
      'unknown',
      `/C=NO/O=Sealdesk Tests/CN=${/CN=([^,]+)/.exec(new x509.X509Certificate(c.der).subject)![1]}`,
    ].join('\t');
  writeFileSync(
    join(dir, 'index.txt'),
    `${line(signer, '51', 'V')}\n${line(crlOnlySigner, '52', 'V')}\n${line(revoked, '53', 'R')}\n${line(revokedTsa, '54', 'R')}\n`,
  );
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = test\n[test]\ndatabase = ${join(dir, 'index.txt')}\ndefault_md = sha256\ncrlnumber = ${join(dir, 'crlnumber')}\ndefault_crl_days = 30\n`,
  );
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  await sh('openssl', [
    'ca',
    '-gencrl',
    '-config',
    join(dir, 'ca.cnf'),
    '-keyfile',
    pki.root.keyPath,
    '-cert',
    pki.root.certPath,
    '-out',
    join(dir, 'crl.pem'),
  ]);
  await sh('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-outform', 'DER', '-out', join(dir, 'crl.der')]);
  return {
    ocspUrl,
    crlUrl,
    signer,
    crlOnlySigner,
    revoked,
    revokedTsa,
    ocspRequests: () => ocspCount,
    crlRequests: () => crlCount,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

function issue(
  pki: TestPki,
  dir: string,
  name: string,
  cn: string,
  serial: number,
  ocsp: string | null,
  crl: string,
  extra: x509.Extension[] = [],
): Promise<TestCert> {
  return issueCertificate(pki.root, dir, {
    name,
    cn,
    serial: serial.toString(16),
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
    extensions: [
      ...(ocsp ? [new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', ocsp)] })] : []),
      new x509.CRLDistributionPointsExtension([crl]),
      ...extra,
    ],
  });
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}
