// The Verify cards' words for the EU trusted lists' verdict (renderer/src/lib/qualification-words.ts).
import { describe, expect, it } from 'vitest';
import { qualificationWords, trustSourceWords } from '../../../renderer/src/lib/qualification-words.js';

const service = {
  territory: 'EE',
  tspName: 'SK ID Solutions AS',
  serviceName: 'EID-SK 2016',
  type: 'http://uri.etsi.org/TrstSvc/Svctype/CA/QC',
};
const base = {
  reason: 'a qualified certificate for electronic seals, its key on a QSCD',
  levelIfListTrusted: null,
  service,
  statusAtTime: { time: '2025-01-01T00:00:00.000Z', status: 'granted', since: '2016-07-01T00:00:00.000Z' },
  list: { territory: 'EE', sequenceNumber: 62, signature: 'valid' as const, nextUpdate: null, stale: false },
};

describe('qualificationWords', () => {
  it('names the level with the country and the trust service provider, or says why not', () => {
    expect(qualificationWords({ ...base, level: 'QESeal' })).toBe('Qualified electronic seal (EE, SK ID Solutions AS)');
    const stale = { ...base, level: 'QTST' as const, list: { ...base.list, stale: true } };
    expect(qualificationWords(stale)).toMatch(/^Qualified electronic time-stamp \(EE, .*past its next update$/);
    const no = { ...base, level: 'not-qualified' as const, reason: 'no CA/QC service lists its issuer', service: null };
    expect(qualificationWords(no)).toBe('Not qualified: no CA/QC service lists its issuer');
  });

  it('names the source of trust', () => {
    expect(trustSourceWords({ kind: 'eu-tl', ...service })).toBe(
      'trusted through the EU trusted lists: EID-SK 2016, EE',
    );
    expect(trustSourceWords({ kind: 'anchor' })).toBe('trusted through an explicit anchor');
  });
});
