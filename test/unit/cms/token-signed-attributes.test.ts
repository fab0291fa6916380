// RFC 5652 §5.4 for time-stamp tokens (core/tsp uses the same check as signatures): an OpenSSL-made token whose signed
// attributes are stored unsorted and re-signed by its TSA key over their DER, or over the stored bytes.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childrenOf, rootOf, slice, tlv } from '../../../core/asn1/tlv.js';
import { compareDer } from '../../../core/cms/der-reencode.js';
import { checkTokenSignature } from '../../../core/tsp/check.js';
import { decodeTimeStamp } from '../../../core/tsp/decode.js';
import { inspectTimeStamp } from '../../../core/tsp/token-report.js';
import { openssl, tsVerify } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';

const work = tempDir('token-attrs');
let pki: TestPki;
let token: Uint8Array;
const data = join(work.path, 'data.txt');

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  writeFileSync(data, 'time-stamped content\n');
  const cnf = join(work.path, 'tsa.cnf');
  writeFileSync(join(work.path, 'serial'), '01\n');
  writeFileSync(
    cnf,
    [
      '[ tsa ]',
      'default_tsa = t',
      '[ t ]',
      `serial = ${join(work.path, 'serial')}`,
      `signer_cert = ${pki.tsa.certPath}`,
      `signer_key = ${pki.tsa.keyPath}`,
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1.1',
      'digests = sha256',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  const q = join(work.path, 'q.tsq');
  for (const args of [
    ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', q],
    ['ts', '-reply', '-config', cnf, '-queryfile', q, '-token_out', '-out', `${data}.tst`],
  ]) {
    const r = await openssl(args);
    expect(r.code, r.stderr).toBe(0);
  }
  token = new Uint8Array(readFileSync(`${data}.tst`));
}, 60_000);
afterAll(() => work.remove());

/** The token with its signed attributes stored in reverse DER order, signed again by the TSA key over `over`. */
function resigned(over: 'der' | 'stored'): Uint8Array {
  const [type, wrapped] = childrenOf(token, rootOf(token));
  const sdFields = childrenOf(token, childrenOf(token, wrapped!)[0]!);
  const siFields = childrenOf(token, childrenOf(token, sdFields.at(-1)!)[0]!);
  const attrsAt = siFields.findIndex((f) => f.tag === 0xa0);
  const sorted = childrenOf(token, siFields[attrsAt]!)
    .map((a) => slice(token, a))
    .sort(compareDer);
  const stored = [...sorted].reverse();
  const value = sign(
    'sha256',
    tlv(0x31, ...(over === 'der' ? sorted : stored)),
    createPrivateKey(readFileSync(pki.tsa.keyPath)),
  );
  const si = tlv(
    0x30,
    ...siFields.map((f, i) =>
      i === attrsAt ? tlv(0xa0, ...stored) : f.tag === 0x04 ? tlv(0x04, value) : slice(token, f),
    ),
  );
  const sd = tlv(0x30, ...sdFields.slice(0, -1).map((f) => slice(token, f)), tlv(0x31, si));
  return tlv(0x30, slice(token, type!), tlv(0xa0, sd));
}

async function judged(tst: Uint8Array) {
  const path = join(work.path, `t-${Math.random()}.tst`);
  writeFileSync(path, tst);
  const decoded = decodeTimeStamp(tst).token!;
  const check = await checkTokenSignature(decoded);
  const report = await inspectTimeStamp(tst);
  const ossl = await tsVerify({ data, tsr: path, caFile: pki.caFile, untrusted: pki.tsa.certPath, tokenIn: true });
  return { check, report, openssl: ossl.ok };
}

describe('time-stamp token signed attributes', () => {
  it('as OpenSSL made it (DER): sound, no warning, and OpenSSL agrees', async () => {
    const r = await judged(token);
    expect(r.check).toMatchObject({ signatureValid: true, problems: [], warnings: [] });
    expect(r.openssl).toBe(true);
  });

  it('stored unsorted, signed over the DER: sound with the non-DER warning; OpenSSL (stored bytes) rejects it', async () => {
    const r = await judged(resigned('der'));
    expect(r.check).toMatchObject({ signatureValid: true, problems: [] });
    const warning = /non-DER encoding \(a SET OF not sorted\); the signature verifies over their DER/;
    expect(r.check.warnings).toEqual([expect.stringMatching(warning)]);
    expect(r.report.problems).toEqual([]);
    expect(r.openssl).toBe(false);
  });

  it('stored unsorted and signed over those bytes: not valid, the reason named; OpenSSL accepts it', async () => {
    const r = await judged(resigned('stored'));
    expect(r.check.signatureValid).toBe(false);
    const reason = 'signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)';
    expect(r.report.problems).toEqual([`the TSA's signature over the token: ${reason}`]);
    expect(r.openssl).toBe(true);
  });
});
