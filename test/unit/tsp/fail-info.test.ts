// PKIStatusInfo (RFC 3161 §2.4.2) read as flags: real rejections from OpenSSL and the corpus give the named bits, and
// a hostile 1 MiB failInfo is refused as TOKEN_MALFORMED through `sealdesk inspect` instead of a bit list of millions.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlv } from '../../../core/asn1/tlv.js';
import { decodeTimeStamp, inspectTimeStamp } from '../../../core/tsp/index.js';
import { CoreError } from '../../../core/errors.js';
import { cliRunner } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const rejection = join(corpus, 'tsr', 'digitorus_openssl_rejection.tsr');

/** TimeStampResp { PKIStatusInfo { status, failInfo } } with a failInfo of `bytes` bytes, every bit set. */
function responseWithFailInfo(bytes: number, status = 2): Uint8Array {
  const bits = new Uint8Array(bytes + 1).fill(0xff);
  bits[0] = 0;
  return tlv(0x30, tlv(0x30, tlv(0x02, Uint8Array.of(status)), tlv(0x03, bits)));
}

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const TSA_CNF = [
  '[ tsa ]',
  'default_tsa = t',
  '[ t ]',
  'serial = serial',
  'crypto_device = builtin',
  'signer_cert = tsa.pem',
  'signer_key = tsa.key',
  'signer_digest = sha256',
  'default_policy = 1.2.3.4.1',
  'digests = sha256',
  'ess_cert_id_chain = no',
  '',
].join('\n');

describe('PKIStatusInfo failInfo', () => {
  const dir = tempDir('failinfo');
  beforeAll(() => {
    // A throw-away OpenSSL TSA that accepts only SHA-256 and its one policy: the queries below make it reject.
    openssl(
      dir.path,
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'tsa.key',
      '-out',
      'tsa.pem',
      '-subj',
      '/CN=Fail Info TSA',
      '-days',
      '30',
      '-addext',
      'extendedKeyUsage=critical,timeStamping',
    );
    writeFileSync(join(dir.path, 'serial'), '01\n');
    writeFileSync(join(dir.path, 'tsa.cnf'), TSA_CNF);
  });
  afterAll(() => dir.remove());

  const reject = (name: string, query: string[]) => {
    openssl(dir.path, 'ts', '-query', ...query, '-no_nonce', '-out', `${name}.tsq`);
    openssl(dir.path, 'ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `${name}.tsq`, '-out', `${name}.tsr`);
    const text = openssl(dir.path, 'ts', '-reply', '-in', `${name}.tsr`, '-text');
    return { der: new Uint8Array(readFileSync(join(dir.path, `${name}.tsr`))), text };
  };

  it('reads OpenSSL rejections: badAlg for an unsupported digest, unacceptedPolicy for an unknown policy', () => {
    const alg = reject('alg', ['-digest', '00'.repeat(20), '-sha1']);
    expect(alg.text).toContain('Failure info: unrecognized or unsupported algorithm identifier');
    const algStatus = decodeTimeStamp(alg.der).status;
    expect(algStatus).toEqual({
      status: 2,
      statusText: 'rejection',
      statusStrings: ['Message digest algorithm is not supported.'],
      failInfo: ['badAlg'],
    });
    const policy = reject('policy', ['-digest', '00'.repeat(32), '-sha256', '-tspolicy', '1.2.3.9']);
    expect(policy.text).toContain('Failure info: the requested TSA policy is not supported by the TSA');
    const policyStatus = decodeTimeStamp(policy.der).status;
    expect(policyStatus).toEqual({
      status: 2,
      statusText: 'rejection',
      statusStrings: ['Requested policy is not supported.'],
      failInfo: ['unacceptedPolicy'],
    });
  });

  it.skipIf(!existsSync(rejection))(
    'reads the corpus rejection (digitorus/timestamp respRejection): addInfoNotAvailable',
    () => {
      const status = decodeTimeStamp(new Uint8Array(readFileSync(rejection))).status;
      expect(status?.failInfo).toEqual(['addInfoNotAvailable']);
    },
  );

  it('names every defined bit and numbers the others, up to 8 bytes', () => {
    const all = decodeTimeStamp(responseWithFailInfo(8)).status!.failInfo;
    expect(all).toHaveLength(64);
    expect(all.filter((f) => !f.startsWith('bit '))).toEqual([
      'badAlg',
      'badRequest',
      'badDataFormat',
      'timeNotAvailable',
      'unacceptedPolicy',
      'unacceptedExtension',
      'addInfoNotAvailable',
      'systemFailure',
    ]);
    expect(all.at(-1)).toBe('bit 63');
  });

  it.each([
    ['longer than 8 bytes', tlv(0x03, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80))],
    ['8 unused bits', tlv(0x03, Uint8Array.of(8, 0x80))],
    ['unused bits without any byte', tlv(0x03, Uint8Array.of(1))],
    ['no unused-bits octet', Uint8Array.of(0x03, 0x00)],
    ['constructed', tlv(0x23, tlv(0x03, Uint8Array.of(0, 0x80)))],
  ])('refuses a failInfo %s as TOKEN_MALFORMED', async (_why, failInfo) => {
    const der = tlv(0x30, tlv(0x30, tlv(0x02, Uint8Array.of(2)), failInfo));
    const err = await inspectTimeStamp(der).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('TOKEN_MALFORMED');
  });

  it('a 1 MiB failInfo through `sealdesk inspect`: exit 2, TOKEN_MALFORMED, no bit list', async () => {
    const path = join(dir.path, 'huge-failinfo.tsr');
    writeFileSync(path, responseWithFailInfo(1 << 20));
    const sealdesk = cliRunner({ XDG_CONFIG_HOME: join(dir.path, 'config') });
    const r = await sealdesk('inspect', path, '--json');
    expect(r.code).toBe(2);
    const message = expect.stringContaining('a BIT STRING of 1048576 bytes where at most 8 are defined');
    expect(r.json()).toMatchObject({ code: 'TOKEN_MALFORMED', message });
    expect(r.stdout.length).toBeLessThan(1000);
  });

  it('more than 16 status strings is a resource limit, not a list of thousands', async () => {
    const strings = tlv(0x30, ...Array.from({ length: 17 }, () => tlv(0x0c, Uint8Array.of(0x61))));
    const err = await inspectTimeStamp(tlv(0x30, tlv(0x30, tlv(0x02, Uint8Array.of(2)), strings))).catch(
      (e: unknown) => e,
    );
    expect((err as CoreError).code).toBe('RESOURCE_LIMIT');
  });
});
