// core/tl/assess.ts: the EN 319 422 qtstStatement claim read from TSTInfo's extensions (never from elsewhere in the
// token), and the worker's index built once per snapshot.
import { describe, expect, it } from 'vitest';
import { oidTlv, tlv } from '../../../core/asn1/tlv.js';
import { cachedTlContext, qtstClaimed } from '../../../core/tl/assess.js';
import type { TlSnapshot } from '../../../core/tl/model.js';

const QTST = '0.4.0.19422.1.1';
const QC_STATEMENTS = '1.3.6.1.5.5.7.1.3';

/** A TSTInfo (RFC 3161 §2.4.2) with the given trailing fields. */
function tstInfo(...rest: Uint8Array[]): Uint8Array {
  const imprint = tlv(0x30, tlv(0x30, oidTlv('2.16.840.1.101.3.4.2.1')), tlv(0x04, new Uint8Array(32)));
  const genTime = tlv(0x18, Buffer.from('20250101000000Z'));
  return tlv(
    0x30,
    tlv(0x02, Uint8Array.of(1)),
    oidTlv('1.2.3.4'),
    imprint,
    tlv(0x02, Uint8Array.of(7)),
    genTime,
    ...rest,
  );
}
const qcExtension = (oid: string) =>
  tlv(0xa1, tlv(0x30, tlv(0x30, oidTlv(QC_STATEMENTS), tlv(0x04, tlv(0x30, tlv(0x30, oidTlv(oid)))))));

describe('qtstClaimed', () => {
  it('is true only for esi4-qtstStatement-1 inside the extensions [1]', () => {
    expect(qtstClaimed(tstInfo(qcExtension(QTST)))).toBe(true);
    expect(qtstClaimed(tstInfo(qcExtension('0.4.0.1862.1.1')))).toBe(false);
    expect(qtstClaimed(tstInfo())).toBe(false);
    // the OID's bytes in a nonce are no claim
    expect(qtstClaimed(tstInfo(tlv(0x02, oidTlv(QTST))))).toBe(false);
    expect(qtstClaimed(Uint8Array.of(0x30, 0x05, 0x01))).toBe(false);
  });
});

describe('cachedTlContext', () => {
  const snapshot = (loadedAt: string): TlSnapshot => ({ lists: [], anchorCount: 0, loadedAt: new Date(loadedAt) });
  it('builds the index once per snapshot, again for another one, and nothing without lists', () => {
    const a = cachedTlContext({
      snapshot: snapshot('2026-01-01T00:00:00Z'),
      trustEu: true,
      now: '2026-01-02T00:00:00Z',
    });
    const again = cachedTlContext({
      snapshot: snapshot('2026-01-01T00:00:00Z'),
      trustEu: false,
      now: '2026-01-03T00:00:00Z',
    });
    expect(again!.index).toBe(a!.index);
    expect([a!.trustEu, again!.trustEu, again!.now.toISOString()]).toEqual([true, false, '2026-01-03T00:00:00.000Z']);
    const other = cachedTlContext({
      snapshot: snapshot('2026-02-01T00:00:00Z'),
      trustEu: false,
      now: '2026-02-02T00:00:00Z',
    });
    expect(other!.index).not.toBe(a!.index);
    expect(cachedTlContext(null)).toBeNull();
  });
});
