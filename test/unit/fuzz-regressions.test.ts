// Every input the fuzzers found (test/fixtures/fuzz/<target>/*.bin, minimised) goes through its target again, one test
// per file: it must pass or fail with a stable code, never with an exception the CLI would report as INTERNAL.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { TlvError } from '../../core/asn1/tlv.js';
import { findingOf, runInput, TARGET_NAMES } from '../../fuzz/targets.js';
import { minimalPdf } from '../helpers/pdfs.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'fuzz');

for (const target of TARGET_NAMES) {
  const dir = join(fixtures, target);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.bin'))
        .sort()
    : [];
  describe.skipIf(files.length === 0)(`fuzz regressions: ${target}`, () => {
    for (const file of files) {
      it(`${target}/${file}`, async () => {
        const finding = await runInput(target, new Uint8Array(readFileSync(join(dir, file))));
        expect(finding, finding ? `${finding.signature}\n${finding.stack}` : '').toBeNull();
      });
    }
  });
}

describe('what the fuzzers count as a finding (cli/output.ts maps everything but a CoreError to INTERNAL)', () => {
  it('a CoreError with a stable code is not a finding; INTERNAL, a RangeError or a TypeError is', () => {
    expect(findingOf('pdf', new CoreError('PDF_MALFORMED', 'bad xref'))).toBeNull();
    const internal = findingOf('pdf', new CoreError('INTERNAL' as 'PDF_MALFORMED', 'our bug'));
    expect(internal?.signature).toMatch(/^CoreError\(INTERNAL\): our bug @ /);
    const overflow = findingOf('cms', new RangeError('Maximum call stack size exceeded'));
    expect(overflow?.signature).toMatch(/^RangeError: Maximum call stack size exceeded @ /);
    expect(findingOf('tsp', new TypeError("Cannot read properties of undefined (reading 'x')"))?.kind).toBe(
      'exception',
    );
  });

  it("the TLV walker's own TlvError is its stable failure; out of the PDF, CMS or TSP targets it is a finding", () => {
    expect(findingOf('tlv', new TlvError('truncated DER'))).toBeNull();
    expect(findingOf('cms', new TlvError('truncated DER'))?.signature).toMatch(/^TlvError: truncated DER @ /);
  });

  it('a well-formed PDF goes through the PDF target without a finding, a truncated one fails with a stable code', async () => {
    const pdf = new Uint8Array(minimalPdf({ pages: 2 }));
    expect(await runInput('pdf', pdf)).toBeNull();
    expect(await runInput('pdf', pdf.subarray(0, 40))).toBeNull();
  });
});
