// The one indication decider (core/validation/indication.ts): ordering, and what no finding means.
import { describe, expect, it } from 'vitest';
import { NOT_INTACT, ORDER, decide, type Finding } from '../../../core/validation/indication.js';

const f = (sub: Finding['sub'], reason = sub.toLowerCase()): Finding => ({ sub, reason });

describe('decide', () => {
  it('no finding and intact: TOTAL-PASSED, no reason', () => {
    expect(decide([], true)).toEqual({ indication: 'TOTAL-PASSED', subIndication: null, reasons: [] });
  });

  it('no finding and not intact: INDETERMINATE, with the reason', () => {
    expect(decide([], false)).toEqual({ indication: 'INDETERMINATE', subIndication: null, reasons: [NOT_INTACT] });
  });

  it('a failure proven by the bytes outranks what is merely not established, whatever the order found', () => {
    const d = decide(
      [f('NO_CERTIFICATE_CHAIN_FOUND'), f('TRY_LATER'), f('HASH_FAILURE'), f('SIG_CONSTRAINTS_FAILURE')],
      true,
    );
    expect(d.indication).toBe('TOTAL-FAILED');
    expect(d.subIndication).toBe('HASH_FAILURE');
    expect(d.reasons).toEqual(['hash_failure', 'sig_constraints_failure', 'no_certificate_chain_found', 'try_later']);
  });

  it('ranks the byte failures first: format, hash, signature value, revocation', () => {
    const subs = (['REVOKED', 'SIG_CRYPTO_FAILURE', 'HASH_FAILURE', 'FORMAT_FAILURE'] as const).map((s) => f(s));
    expect(decide(subs, false).subIndication).toBe('FORMAT_FAILURE');
    expect(decide(subs.slice(0, 3), false).subIndication).toBe('HASH_FAILURE');
    expect(decide(subs.slice(0, 2), false).subIndication).toBe('SIG_CRYPTO_FAILURE');
    expect(decide(subs.slice(0, 1), true)).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'REVOKED' });
  });

  it('no path to a trust anchor comes before a certificate used outside its validity', () => {
    const d = decide([f('OUT_OF_BOUNDS_NO_POE'), f('NO_CERTIFICATE_CHAIN_FOUND')], true);
    expect(d).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });

  it('a constraint the bytes break is not hidden behind a missing trust anchor; revocation data comes last', () => {
    const d = decide([f('NO_CERTIFICATE_CHAIN_FOUND'), f('SIG_CONSTRAINTS_FAILURE', 'a copied time-stamp')], true);
    expect(d).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
    expect(d.reasons[0]).toBe('a copied time-stamp');
    expect(decide([f('TRY_LATER'), f('CRYPTO_CONSTRAINTS_FAILURE_NO_POE')], true).subIndication).toBe(
      'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    );
    expect(decide([f('SIG_CONSTRAINTS_FAILURE'), f('NO_SIGNING_CERTIFICATE_FOUND')], true).subIndication).toBe(
      'NO_SIGNING_CERTIFICATE_FOUND',
    );
  });

  it('equal findings keep the order they were found in', () => {
    const d = decide([f('SIG_CONSTRAINTS_FAILURE', 'first'), f('SIG_CONSTRAINTS_FAILURE', 'second')], true);
    expect(d.reasons).toEqual(['first', 'second']);
  });

  it('ORDER names every sub-indication once, TOTAL-FAILED ones before INDETERMINATE ones', () => {
    const subs = ORDER.map(([s]) => s);
    expect(new Set(subs).size).toBe(subs.length);
    expect(subs).toHaveLength(11);
    const kinds = ORDER.map(([, i]) => i);
    expect(kinds.lastIndexOf('TOTAL-FAILED')).toBeLessThan(kinds.indexOf('INDETERMINATE'));
  });
});
