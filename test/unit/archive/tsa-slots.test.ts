// Per-TSA in-flight slots: a bound per TSA, TSAs independent, a release wakes whoever waits.
import { expect, it } from 'vitest';
import { TsaSlots } from '../../../core/archive/tsa-slots.js';

it('gives at most N slots per TSA, each TSA its own; a release frees one and wakes the waiters', async () => {
  const slots = new TsaSlots(2);
  expect([slots.tryAcquire('a'), slots.tryAcquire('a'), slots.tryAcquire('a')]).toEqual([true, true, false]);
  expect(slots.busy('a')).toBe(2);
  expect(slots.free('a')).toBe(false);
  expect(slots.tryAcquire('b')).toBe(true); // another TSA is not bounded by a's slots
  let woken = 0;
  const waits = [slots.nextRelease().then(() => woken++), slots.nextRelease().then(() => woken++)];
  await Promise.resolve();
  expect(woken).toBe(0);
  slots.release('a');
  await Promise.all(waits);
  expect(woken).toBe(2);
  expect(slots.free('a')).toBe(true);
  expect(slots.tryAcquire('a')).toBe(true);
  expect(slots.tryAcquire('a')).toBe(false);
});

it('refuses a bound below one', () => {
  expect(() => new TsaSlots(0)).toThrow(/--per-tsa/);
  expect(() => new TsaSlots(1.5)).toThrow(/--per-tsa/);
});
