// `verify <file> --tsr` in ETSI terms through the one decider: a real token from a loopback OpenSSL TSA, checked
// against its file, another file, no anchor and the TSA's root (core/stamp/verify-file.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyFileAgainstToken } from '../../../core/stamp/index.js';
import { openssl } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('token-indication');
let pki: TestPki;
let tsa: LoopbackTsa;
let token: Uint8Array;
const doc = join(work.path, 'minutes.txt');
const other = join(work.path, 'other.txt');

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  writeFileSync(doc, 'minutes of the meeting\n');
  writeFileSync(other, 'something else\n');
  const query = join(work.path, 'q.tsq');
  const made = await openssl(['ts', '-query', '-data', doc, '-sha256', '-cert', '-out', query]);
  expect(made.code, made.stderr).toBe(0);
  const res = await fetch(tsa.url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: readFileSync(query),
  });
  expect(res.status).toBe(200);
  token = new Uint8Array(await res.arrayBuffer());
}, 60_000);

afterAll(async () => {
  await tsa.close();
  work.remove();
});

describe('a time-stamp token verified against a file', () => {
  it('its file, the TSA chained to the given anchor: TOTAL-PASSED, no reason', async () => {
    const v = await verifyFileAgainstToken(doc, token, { anchors: [pki.root.der] });
    expect(v).toMatchObject({ indication: 'TOTAL-PASSED', subIndication: null, reasons: [], verdict: { valid: true } });
  });

  it('its file without a trust anchor: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND, the TSA not checked', async () => {
    const v = await verifyFileAgainstToken(doc, token);
    expect(v).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(v.reasons).toEqual([expect.stringMatching(/^the TSA's certificate was not checked against a trust anchor/)]);
  });

  it('another file: TOTAL-FAILED / HASH_FAILURE, whatever the trust', async () => {
    const v = await verifyFileAgainstToken(other, token);
    expect(v).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', verdict: { valid: false } });
    expect(v.reasons[0]).toMatch(/digest differs from the token's message imprint/);
  });

  it('an anchor the TSA does not chain to: INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND', async () => {
    const v = await verifyFileAgainstToken(doc, token, { anchors: [pki.signer.der] });
    expect(v).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      verdict: { valid: false },
    });
    expect(v.reasons[0]).toMatch(/does not chain to a trust anchor/);
  });
});
