// One verified item's outcome as the Verify view words it, by what was verified: a switch on VerifyItem's `kind` the
// compiler checks is exhaustive (a kind added to the contract fails to build here until it is described).
import type { Indication, SubIndication, VerifyItem } from '../../../preload/api.js';

/** A verified item (not an error). */
export type Verified = Exclude<VerifyItem, { kind?: undefined }>;

export type Outcome = {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** What was verified, in words. */
  readonly what: string;
  /** Why, most serious first (empty when nothing is wrong). */
  readonly lines: readonly string[];
};

export function outcomeOf(item: Verified): Outcome {
  switch (item.kind) {
    case 'pdf':
      return { ...verdict(item.report), what: 'PDF signatures (PAdES)', lines: item.report.problems };
    case 'p7s':
      return { ...verdict(item.report), what: 'Detached signature (.p7s, CAdES)', lines: item.report.problems };
    case 'p7m':
      return { ...verdict(item.report), what: 'Signed file (.p7m, CAdES)', lines: item.report.problems };
    case 'tsr':
      return {
        ...verdict(item.report),
        what: 'Time-stamp token (.tsr)',
        lines: [item.report.verdict.message, ...item.report.reasons],
      };
    default:
      return unreachable(item);
  }
}

const verdict = (r: { readonly indication: Indication; readonly subIndication: SubIndication | null }) => ({
  indication: r.indication,
  subIndication: r.subIndication,
});

function unreachable(item: never): never {
  throw new Error(`a verified item of an unknown kind: ${JSON.stringify(item)}`);
}
