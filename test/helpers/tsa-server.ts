// A loopback RFC 3161 TSA: OpenSSL `ts -reply` behind node:http, plus fault modes that real TSAs exhibit.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from '../../core/asn1/bytes.js';
import type { TestCert, TestPki } from './pki.js';
import { forgeResponse, rejectionResponse } from './tsa-forge.js';
import { tempDir } from './tmp.js';

export type TsaMode =
  'ok' | 'timeout' | 'http503' | 'garbage' | 'rejection' | 'wrong-imprint' | 'wrong-nonce' | 'html200';
export type TsaSigner = 'tsa' | 'tsaEc' | 'tsaExpired' | 'tsaNonCriticalEku' | 'tsaNoEku';

export type TsaOptions = {
  readonly pki: TestPki;
  readonly signer?: TsaSigner;
  readonly mode?: TsaMode;
  readonly essCertIdAlg?: 'sha1' | 'sha256';
  readonly includeTsaName?: boolean;
  /** false: never include certificates; default: as the request's certReq asks. */
  readonly certs?: boolean;
  readonly policyOid?: string;
  /** A clock that runs off the real one (libfaketime offset, e.g. '-2d'): tokens made "in the past". */
  readonly clockOffset?: string;
  /** A slow TSA: every answer is held this long (in parallel, before the serial OpenSSL reply); default 0. */
  readonly delayMs?: number;
  /** Called as each time-stamp reply has been handed to the socket (a test can act at that moment of its client's work). */
  readonly onAnswer?: () => void;
};

export type LoopbackTsa = {
  readonly url: string;
  requestCount(): number;
  /** The most requests this TSA held at once (received, not yet answered) since start or the last reset. */
  maxInFlight(): number;
  resetMaxInFlight(): void;
  lastRequest(): Uint8Array | undefined;
  setMode(mode: TsaMode): void;
  close(): Promise<void>;
};

/** OpenSSL refuses to sign with a certificate lacking the critical timeStamping EKU: those are forged with pkijs. */
const OPENSSL_SIGNS: ReadonlySet<TsaSigner> = new Set(['tsa', 'tsaEc', 'tsaExpired']);

export async function startTsa(opts: TsaOptions): Promise<LoopbackTsa> {
  const dir = tempDir('tsa');
  const signer = opts.pki[opts.signer ?? 'tsa'];
  const config = writeConfig(dir.path, signer, opts);
  let mode: TsaMode = opts.mode ?? 'ok';
  let count = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let last: Uint8Array | undefined;
  let queue: Promise<unknown> = Promise.resolve(); // the serial file is not locked: one reply at a time

  const reply = async (query: Uint8Array): Promise<Uint8Array> => {
    if (!OPENSSL_SIGNS.has(opts.signer ?? 'tsa'))
      return forgeResponse({ request: query, signer, chain: [opts.pki.root], policyOid: opts.policyOid });
    const n = count;
    const q = join(dir.path, `q${n}.tsq`);
    const r = join(dir.path, `r${n}.tsr`);
    writeFileSync(q, opts.certs === false ? withoutCertReq(query) : query);
    await run(['ts', '-reply', '-config', config, '-queryfile', q, '-out', r], opts.clockOffset);
    return new Uint8Array(readFileSync(r));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    count++;
    last = body;
    if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs));
    switch (mode) {
      case 'timeout':
        return; // hold the connection, never answer
      case 'http503':
        res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(randomBytes(300));
        return;
      case 'html200':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>');
        return;
      case 'rejection':
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(rejectionResponse());
        return;
      default: {
        const query =
          mode === 'wrong-imprint'
            ? alterRequest(body, 'imprint')
            : mode === 'wrong-nonce'
              ? alterRequest(body, 'nonce')
              : body;
        const next = queue.then(() => reply(query));
        queue = next.catch(() => undefined);
        const der = await next;
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(der);
        opts.onAnswer?.();
      }
    }
  };

  const server = createServer((req, res) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.once('close', () => inFlight--); // answered, or the client gave up
    handle(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requestCount: () => count,
    maxInFlight: () => maxInFlight,
    resetMaxInFlight: () => {
      maxInFlight = inFlight;
    },
    lastRequest: () => last,
    setMode: (m) => {
      mode = m;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await queue;
      dir.remove();
    },
  };
}

function writeConfig(dir: string, signer: TestCert, opts: TsaOptions): string {
  const path = join(dir, 'tsa.cnf');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    path,
    `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ${join(dir, 'serial')}
crypto_device = builtin
signer_cert = ${signer.certPath}
certs = ${opts.pki.caFile}
signer_key = ${signer.keyPath}
signer_digest = sha256
default_policy = ${opts.policyOid ?? '1.3.6.1.4.1.99999.1.1'}
other_policies = 1.3.6.1.4.1.99999.1.2
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = ${opts.includeTsaName === false ? 'no' : 'yes'}
ess_cert_id_chain = no
ess_cert_id_alg = ${opts.essCertIdAlg ?? 'sha256'}
`,
  );
  return path;
}

function run(args: string[], clockOffset?: string): Promise<void> {
  const [cmd, argv] = clockOffset ? ['faketime', ['-f', clockOffset, 'openssl', ...args]] : ['openssl', args];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, (err, _out, stderr) =>
      err ? reject(new Error(`${cmd} ${argv.join(' ')}: ${stderr}`)) : resolve(),
    );
  });
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/** Re-encodes the request with a different imprint or nonce, so OpenSSL answers a question nobody asked. */
function alterRequest(der: Uint8Array, what: 'imprint' | 'nonce'): Uint8Array {
  const req = pkijs.TimeStampReq.fromBER(exactBuffer(der));
  if (what === 'imprint') {
    const bytes = new Uint8Array(req.messageImprint.hashedMessage.valueBlock.valueHexView).map((b) => b ^ 0xff);
    req.messageImprint.hashedMessage = new asn1js.OctetString({ valueHex: exactBuffer(bytes) });
  } else {
    req.nonce = new asn1js.Integer({ value: 42 });
  }
  return new Uint8Array(req.toSchema().toBER(false));
}

function withoutCertReq(der: Uint8Array): Uint8Array {
  const req = pkijs.TimeStampReq.fromBER(exactBuffer(der));
  req.certReq = false;
  return new Uint8Array(req.toSchema().toBER(false));
}
