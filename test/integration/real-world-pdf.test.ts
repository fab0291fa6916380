// Opt-in: real PDFs from public test suites (test/fixtures/real-world/MANIFEST.tsv gives repository, path, commit,
// SHA-256 and what the source asserts), read where SEALDESK_REAL_WORLD=<dir> holds them as <dir>/<repo>/<path>
// (e.g. a checkout of esig/dss at <dir>/esig/dss). They are never committed here.
//   expected: the report's signatures in order, `intact` or `failed` each, or an error code the verifier throws.
//   kind: `displaced` (xref offsets a few bytes off: read tolerantly, refused strictly), `encrypted` (empty user
//   password: read tolerantly, refused strictly), `encrypted-password` (refused in both modes).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../core/errors.js';
import { verifyPdf } from '../../core/pades/verify/verify-pdf.js';
import { BytesSource, PdfDocument } from '../../core/pdf/index.js';

const dir = process.env.SEALDESK_REAL_WORLD;
const manifest = fileURLToPath(new URL('../fixtures/real-world/MANIFEST.tsv', import.meta.url));
const [header, ...lines] = readFileSync(manifest, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const cols = header!.split('\t');
const rows = lines
  .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i]!, v])) as Record<string, string>)
  .filter((r) => r.path?.endsWith('.pdf') && r.kind !== 'cms-rules');
if (!dir)
  console.warn(
    'SEALDESK_REAL_WORLD is not set: the real-world PDF tests are skipped (see test/fixtures/real-world/MANIFEST.tsv)',
  );

function codeOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (err instanceof CoreError) return err.code;
    throw err;
  }
}

describe.skipIf(!dir)('real-world PDFs (SEALDESK_REAL_WORLD)', () => {
  it.each(rows)('$repo $path ($kind): $expected', async (row) => {
    const file = join(dir!, row.repo!, row.path!);
    expect(existsSync(file), `${file} is missing: fetch ${row.repo} at ${row.commit}`).toBe(true);
    const bytes = readFileSync(file);
    expect(createHash('sha256').update(bytes).digest('hex'), 'not the file the manifest names').toBe(row.sha256);
    const expected = row.expected!.split(';');

    // Sealing, restamping and import read strictly: none of these files is accepted there.
    expect(codeOf(() => PdfDocument.open(new BytesSource(bytes)))).toBe(
      row.kind === 'displaced' ? 'PDF_MALFORMED' : 'PDF_ENCRYPTED',
    );
    if (row.kind === 'displaced' || row.kind === 'encrypted') {
      const doc = PdfDocument.open(new BytesSource(bytes), { tolerant: true });
      const displacedNote =
        /^object \d+ \d+ found at offset \d+, [+-]\d+ bytes from where its cross-reference entry says/;
      if (row.kind === 'displaced') expect(doc.recovered[0]).toMatch(displacedNote);
      else expect(doc.encryption).toMatch(/^Standard security handler V\d R\d/);
    }

    if (expected.length === 1 && /^[A-Z_]+$/.test(expected[0]!)) {
      await expect(verifyPdf(file, { anchors: [], now: new Date(), online: null })).rejects.toMatchObject({
        code: expected[0],
      });
      return;
    }
    const report = await verifyPdf(file, { anchors: [], now: new Date(), online: null });
    const got = report.signatures.map((s) => (s.intact && s.indication !== 'TOTAL-FAILED' ? 'intact' : 'failed'));
    expect(
      got,
      report.signatures.map((s) => `#${s.index} ${s.indication}: ${s.reasons.join('; ')}`).join('\n'),
    ).toEqual(expected);
    // Nothing is trusted without anchors: intact files are INDETERMINATE, never TOTAL-FAILED.
    expect(report.indication).toBe(expected.includes('failed') ? 'TOTAL-FAILED' : 'INDETERMINATE');
  });
});
