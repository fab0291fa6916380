// Auto selection for a restamp keeps only TSAs whose last seen certificate outlasts the window and the chain.
import { describe, expect, it } from 'vitest';
import {
  NoTsaExtendsError,
  extendingOrder,
  extendsProtection,
  judgeTsa,
} from '../../../core/archive/extends-protection.js';
import type { TsaProvider } from '../../../core/tsp/registry.js';

const tsa = (slug: string, lastCertNotAfter: string | null): TsaProvider => ({
  id: slug,
  slug,
  name: slug.toUpperCase(),
  url: `http://127.0.0.1/${slug}`,
  preferredHash: 'sha512',
  qualified: false,
  enabled: true,
  position: 1,
  builtin: false,
  lastCertNotAfter,
});
const windowEnd = new Date('2027-01-04T00:00:00Z'); // a 30-day window from 2026-12-05
const due = { protectedUntil: '2026-12-25T00:00:00.000Z', tsaSlug: 'short' };

describe('which TSA extends a chain', () => {
  it('inside the window: skipped; after it: extends; never seen: unknown (may be tried)', () => {
    expect(judgeTsa(tsa('short', '2026-12-25T00:00:00.000Z'), windowEnd, due).reason).toBe('expires_in_window');
    expect(judgeTsa(tsa('edge', windowEnd.toISOString()), windowEnd, due).reason).toBe('expires_in_window'); // due again at once
    expect(judgeTsa(tsa('long', '2040-01-01T00:00:00.000Z'), windowEnd, due).reason).toBe('extends');
    expect(judgeTsa(tsa('fresh', null), windowEnd, due).reason).toBe('unknown');
  });

  it('against the chain protected-until: earlier is skipped; the same date only from another TSA', () => {
    const now = new Date('2026-12-05T00:00:00Z'); // a single restamp: the window is now
    const chain = { protectedUntil: '2040-01-01T00:00:00.000Z', tsaSlug: 'one' };
    expect(judgeTsa(tsa('older', '2039-06-01T00:00:00.000Z'), now, chain).reason).toBe('not_after_protected_until');
    expect(judgeTsa(tsa('two', '2040-01-01T00:00:00.000Z'), now, chain).reason).toBe('extends');
    expect(judgeTsa(tsa('one', '2040-01-01T00:00:00.000Z'), now, chain).reason).toBe('not_after_protected_until');
    expect(extendsProtection('one', new Date('2040-01-02T00:00:00Z'), now, chain)).toBe(true);
  });

  it('keeps the auto order among the candidates and says why each other one is skipped', () => {
    const x = extendingOrder(
      [tsa('fresh', null), tsa('short', '2026-12-25T00:00:00.000Z'), tsa('long', '2040-01-01T00:00:00.000Z')],
      windowEnd,
      due,
    );
    expect(x.order.map((p) => p.slug)).toEqual(['fresh', 'long']);
    expect(x.skipped).toEqual([
      { slug: 'short', name: 'SHORT', lastCertNotAfter: '2026-12-25T00:00:00.000Z', reason: 'expires_in_window' },
    ]);
    const err = new NoTsaExtendsError('r1', x.skipped, 'SHORT expires in the window', windowEnd);
    expect(err.code).toBe('NO_TSA_EXTENDS_PROTECTION');
    expect(err.message).toMatch(
      /^no_tsa_extends_protection: record r1 not restamped — SHORT expires in the window; enable or add a TSA whose certificate outlasts 2027-01-04$/,
    );
  });
});
