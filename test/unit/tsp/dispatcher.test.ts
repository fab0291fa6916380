import { describe, expect, it } from 'vitest';
import { planAttempts, type TsaProvider } from '../../../core/tsp/index.js';

const p = (slug: string, position: number, extra: Partial<TsaProvider> = {}): TsaProvider => ({
  id: slug,
  slug,
  name: slug.toUpperCase(),
  url: `http://127.0.0.1:1/${slug}`,
  preferredHash: 'sha256',
  qualified: false,
  enabled: true,
  position,
  builtin: false,
  ...extra,
});
const providers = [
  p('c', 3),
  p('a', 1),
  p('off', 2, { enabled: false }),
  p('b', 4, { preferredHash: 'sha384' }),
  p('nourl', 5, { url: null }),
];

describe('planAttempts', () => {
  it('auto: enabled TSAs with a URL, by position, rotated by the cursor, SHA-512', () => {
    expect(planAttempts(providers, 'auto', 0).order.map((t) => t.slug)).toEqual(['a', 'c', 'b']);
    expect(planAttempts(providers, 'auto', 1).order.map((t) => t.slug)).toEqual(['c', 'b', 'a']);
    expect(planAttempts(providers, 'auto', 5).order.map((t) => t.slug)).toEqual(['b', 'a', 'c']);
    expect(planAttempts(providers, 'auto', 0).hashAlgorithm).toBe('sha512');
    expect(planAttempts(providers, 'auto', 0, 'sha256').hashAlgorithm).toBe('sha256');
  });

  it('a slug: that TSA alone, with its preferred hash, even when disabled in auto', () => {
    expect(planAttempts(providers, 'b', 7)).toMatchObject({
      order: [{ slug: 'b' }],
      hashAlgorithm: 'sha384',
      advancesCursor: false,
    });
    expect(planAttempts(providers, 'off', 0).order.map((t) => t.slug)).toEqual(['off']);
  });

  it('clear errors: unknown slug, TSA without URL, nothing enabled', () => {
    expect(() => planAttempts(providers, 'zzz', 0)).toThrow(expect.objectContaining({ code: 'TSA_UNKNOWN' }));
    expect(() => planAttempts(providers, 'nourl', 0)).toThrow(expect.objectContaining({ code: 'TSA_NO_URL' }));
    expect(() => planAttempts([p('x', 1, { enabled: false })], 'auto', 0)).toThrow(
      expect.objectContaining({ code: 'TSA_NONE_ENABLED' }),
    );
  });
});
