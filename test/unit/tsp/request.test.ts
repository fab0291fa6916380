import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { buildTimeStampRequest } from '../../../core/tsp/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sealdesk-tsq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function opensslQueryText(der: Uint8Array): string {
  const file = join(dir, 'q.tsq');
  writeFileSync(file, der);
  return execFileSync('openssl', ['ts', '-query', '-in', file, '-text']).toString();
}

describe('buildTimeStampRequest', () => {
  it('builds a request OpenSSL reads back: imprint, nonce, certReq', () => {
    const imprint = new Uint8Array(createHash('sha512').update('hello').digest());
    const nonce = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
    const text = opensslQueryText(buildTimeStampRequest({ hashAlgorithm: 'sha512', imprint, nonce }).der);
    expect(text).toMatch(/Hash Algorithm: sha512/);
    expect(text.replace(/[\s-]/g, '')).toContain(Buffer.from(imprint).toString('hex').slice(0, 32));
    expect(text).toMatch(/Nonce: 0x123456789ABCDEF0/i);
    expect(text).toMatch(/Certificate required: yes/);
  });

  it('keeps a nonce with the high bit set positive', () => {
    const imprint = new Uint8Array(32);
    const req = buildTimeStampRequest({
      hashAlgorithm: 'sha256',
      imprint,
      nonce: Uint8Array.from([0xff, 1, 2, 3, 4, 5, 6, 7]),
    });
    expect(req.nonce[0]).toBe(0);
    expect(opensslQueryText(req.der)).toMatch(/Nonce: 0xFF01020304050607/i);
  });

  it('encodes a nonce starting with zero bytes minimally, so strict TSAs accept it', async () => {
    const imprint = new Uint8Array(32);
    for (const nonce of [
      [0x00, 0x7f, 1, 2, 3, 4, 5, 6],
      [0x00, 0x00, 0x80, 1, 2, 3, 4, 5],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]) {
      const req = buildTimeStampRequest({ hashAlgorithm: 'sha256', imprint, nonce: Uint8Array.from(nonce) });
      expect(req.nonce.length === 1 || req.nonce[0] !== 0 || req.nonce[1]! >= 0x80).toBe(true);
      const text = opensslQueryText(req.der); // OpenSSL's DER parser refuses non-minimal INTEGERs
      expect(text).toMatch(/Nonce: 0x/);
    }
  });

  it('is byte for byte the DER pkijs encodes for the same request, with and without certReq', () => {
    const imprint = new Uint8Array(createHash('sha384').update('x').digest());
    for (const certReq of [true, false]) {
      const ours = buildTimeStampRequest({
        hashAlgorithm: 'sha384',
        imprint,
        nonce: Uint8Array.from([0x80, 1, 2, 3, 4, 5, 6, 7]),
        certReq,
      });
      const theirs = new pkijs.TimeStampReq({
        version: 1,
        messageImprint: new pkijs.MessageImprint({
          hashAlgorithm: new pkijs.AlgorithmIdentifier({
            algorithmId: '2.16.840.1.101.3.4.2.2',
            algorithmParams: new asn1js.Null(),
          }),
          hashedMessage: new asn1js.OctetString({ valueHex: imprint.slice().buffer }),
        }),
        nonce: new asn1js.Integer({ valueHex: ours.nonce.slice().buffer }),
        ...(certReq ? { certReq } : {}),
      });
      expect(Buffer.from(ours.der).toString('hex')).toBe(Buffer.from(theirs.toSchema().toBER(false)).toString('hex'));
      expect(opensslQueryText(ours.der)).toMatch(certReq ? /Certificate required: yes/ : /Certificate required: no/);
    }
  });

  it('refuses an imprint of the wrong length', () => {
    expect(() =>
      buildTimeStampRequest({ hashAlgorithm: 'sha256', imprint: new Uint8Array(64), nonce: new Uint8Array(8) }),
    ).toThrow(/32 bytes/);
  });
});
