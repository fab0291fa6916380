// Every PDF row of ../shared/corpus/MANIFEST.tsv through `sealdesk verify --json`, offline and with no trust anchor:
// valid files are intact (and, untrusted, INDETERMINATE); every other row is pinned to its exact indication,
// sub-indication and reason (test/helpers/corpus-verdicts.ts), and agrees with the verdict its source asserts.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.js';
import { CORPUS, PINNED, corpusPdfRows, heldTo, sealdeskAgrees } from '../helpers/corpus-verdicts.js';
import { tempDir } from '../helpers/tmp.js';

const rows = corpusPdfRows();
if (rows.length === 0) console.warn(`corpus not found at ${CORPUS}: the PDF verification corpus tests are skipped`);

describe.skipIf(rows.length === 0)('the corpus, verified offline without trust anchors', () => {
  const home = tempDir('verify-corpus');
  afterAll(() => home.remove());
  const sealdesk = cliRunner({ SEALDESK_HOME: home.path });

  it.each(rows)('$path ($source)', async (row) => {
    const r = await sealdesk('verify', join(CORPUS, row.path), '--json');
    const out = r.json();
    expect(r.code, r.stderr).toBe(out.indication === 'TOTAL-PASSED' ? 0 : 1);
    const reasons = [...out.problems, ...out.signatures.flatMap((s: { reasons: string[] }) => s.reasons)].join('\n');
    for (const s of out.signatures)
      expect(Object.keys(s)).toEqual(
        expect.arrayContaining(['indication', 'subIndication', 'intact', 'valid', 'revision', 'coversWholeDocument']),
      );
    const pinned = PINNED[row.name];
    if (pinned) {
      expect({ indication: out.indication, sub: out.subIndication }, reasons).toEqual({
        indication: pinned.indication,
        sub: pinned.sub,
      });
      expect(reasons).toMatch(pinned.reason);
    } else {
      expect(heldTo(row), `${row.name} needs a pinned verdict`).toBe('valid');
      expect(out.signatures.length).toBeGreaterThan(0);
      for (const s of out.signatures)
        expect(s, `${row.name} #${s.index}: ${s.reasons.join('; ')}`).toMatchObject({
          intact: true,
          indication: 'INDETERMINATE',
        });
      expect(out).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    }
    if (heldTo(row) !== 'unknown') expect(sealdeskAgrees(heldTo(row), out), reasons).toBe(true);
  });
});
