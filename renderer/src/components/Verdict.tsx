// A verification verdict as a person reads it: green / amber / red, the ETSI indication in words, then why.
import type { Indication, SubIndication } from '../../../preload/api.js';

type Props = { readonly indication: Indication; readonly subIndication?: SubIndication | null };
export type Tone = 'good' | 'warn' | 'bad';

const WORDS: Record<Indication, readonly [Tone, string]> = {
  'TOTAL-PASSED': ['good', 'Valid'],
  INDETERMINATE: ['warn', 'Not confirmed'],
  'TOTAL-FAILED': ['bad', 'Invalid'],
};

export function Verdict({ indication, subIndication }: Props) {
  const [tone, words] = WORDS[indication];
  return (
    <span className={`verdict ${tone}`}>
      {words}{' '}
      <small>
        ({indication}
        {subIndication ? ` / ${subIndication}` : ''})
      </small>
    </span>
  );
}

export const toneOf = (indication: Indication): Tone => WORDS[indication][0];
