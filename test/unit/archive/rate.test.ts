// Per-TSA sliding-window limits, on an injected clock.
import { expect, it } from 'vitest';
import { RateLimiter, parseRate } from '../../../core/archive/rate.js';

it('allows N requests per window per TSA, then says how long to wait; other TSAs are free', () => {
  let now = 0;
  const limiter = new RateLimiter(new Map([parseRate('digicert=2/20m')]), () => now);
  expect(limiter.allows('digicert')).toBe(true);
  limiter.record('digicert');
  now += 60_000;
  limiter.record('digicert');
  expect(limiter.allows('digicert')).toBe(false);
  expect(limiter.waitFor('digicert')).toBe(20 * 60_000 - 60_000);
  expect(limiter.allows('sectigo')).toBe(true);
  now = 20 * 60_000 + 1; // the first request left the window
  expect(limiter.allows('digicert')).toBe(true);
  expect(limiter.waitFor('digicert')).toBe(0);
});

it('refuses a malformed --rate', () => {
  expect(() => parseRate('digicert=20/20')).toThrow(/<slug>=<N>\/<minutes>m/);
  expect(() => parseRate('=1/1m')).toThrow();
});
