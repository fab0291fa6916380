// Count caps in the time-stamp token walk (issue 14): a token stuffed with certificates is refused as RESOURCE_LIMIT
// by `inspect`, an oversized "certificate" that is not the signer's is ignored, and the real token still reads.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childrenOf, oidTlv, rootOf, slice, tlv } from '../../../core/asn1/tlv.js';
import { signedDataFields } from '../../../core/cms/content-info.js';
import { CoreError } from '../../../core/errors.js';
import { inspectTimeStamp } from '../../../core/tsp/index.js';

const token = join(
  fileURLToPath(new URL('../../../../shared/corpus', import.meta.url)),
  'tsr',
  'dss_d-trust-tsu12_pss.tst',
);

/** The corpus token with `extra` values appended to its certificates set (the signature does not cover that set). */
function withExtraCertificates(der: Uint8Array, extra: readonly Uint8Array[]): Uint8Array {
  const f = signedDataFields(der, rootOf(der));
  const certs = f.find((t) => t.tag === 0xa0)!;
  const grown = tlv(0xa0, ...childrenOf(der, certs).map((c) => slice(der, c)), ...extra);
  return tlv(
    0x30,
    oidTlv('1.2.840.113549.1.7.2'),
    tlv(0xa0, tlv(0x30, ...f.map((t) => (t === certs ? grown : slice(der, t))))),
  );
}

describe.skipIf(!existsSync(token))('time-stamp token caps', () => {
  const der = () => new Uint8Array(readFileSync(token));

  it('the corpus token with its 3 certificates reads with no problem', async () => {
    const r = await inspectTimeStamp(der());
    expect(r.certificateCount).toBe(3);
    expect(r.problems).toEqual([]);
  });

  it('1,001 entries in its certificates set: RESOURCE_LIMIT', async () => {
    const stuffed = withExtraCertificates(
      der(),
      Array.from({ length: 1_001 - 3 }, () => tlv(0x30)),
    );
    const err = await inspectTimeStamp(stuffed).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).code).toBe('RESOURCE_LIMIT');
    expect((err as Error).message).toMatch(/more than 1000 elements/);
  });

  it('a 300 KB value posing as a certificate is carried but never parsed; the token is still judged', async () => {
    const big = tlv(0x30, tlv(0x30, new Uint8Array(300_000)), tlv(0x30), tlv(0x03, Uint8Array.of(0)));
    const r = await inspectTimeStamp(withExtraCertificates(der(), [big]));
    expect(r.certificateCount).toBe(4);
    expect(r.problems).toEqual([]);
  });
});
