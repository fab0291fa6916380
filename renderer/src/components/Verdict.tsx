// A verification verdict as a person reads it: green / amber / red, the ETSI indication in words, then why.
type Props = { readonly indication: string; readonly subIndication?: string | null };

const WORDS: Record<string, [string, string]> = {
  'TOTAL-PASSED': ['good', 'Valid'],
  INDETERMINATE: ['warn', 'Not confirmed'],
  'TOTAL-FAILED': ['bad', 'Invalid'],
};

export function Verdict({ indication, subIndication }: Props) {
  const [tone, words] = WORDS[indication] ?? ['warn', indication];
  return (
    <span className={`verdict ${tone}`}>
      {words} <small>({indication}{subIndication ? ` / ${subIndication}` : ''})</small>
    </span>
  );
}

export const toneOf = (indication: string) => (WORDS[indication] ?? ['warn'])[0];
