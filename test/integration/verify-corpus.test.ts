// Every PDF row of ../shared/corpus/MANIFEST.tsv through `sealdesk verify --json`, offline and with no trust anchor:
// valid files are intact (and, untrusted, INDETERMINATE), invalid ones fail for the right reason, attacks never pass.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const manifest = join(corpus, 'MANIFEST.tsv');
const rows = existsSync(manifest)
  ? readFileSync(manifest, 'utf8').split('\n').slice(1).map((l) => l.split('\t')).filter((c) => c[0]?.startsWith('pdf/')).map((c) => ({ path: c[0]!, expected: c[6]! }))
  : [];
if (rows.length === 0) console.warn(`corpus not found at ${manifest}: the PDF verification corpus tests are skipped`);

/** Why each attack must fail, in the report's words. */
const ATTACK_REASON: Record<string, RegExp> = {
  'dss_pades-lta-copied-doctst.pdf': /document time-stamp is for other data/,
  'dss_pades-two-sig-copied-tst.pdf': /signature time-stamp is not valid: .*imprint does not cover this signature value/,
  'dss_siwa_signature-wrapping.pdf': /signature-wrapping/,
  'dss_pdf-byterange-overlap.pdf': /does not hold exactly one hex string|overlap/,
  'dss_pdf-signed-added-page.pdf': /changed after signing/,
  'itext_isaValidPdf_incremental-saving-attack.pdf': /changed after signing: stream object/,
  'pyhanko_tail-uncovered.pdf': /do not end at the end of a revision/,
  'dss_shadow-replace.pdf': /appearance of form field .* was replaced/,
  'dss_pades-spoofing-replaced-reason.pdf': /redefined after signing/,
  'itext_twoContents.pdf': /appears twice/,
  'dss_modified_after_signature_visual.pdf': /changed after signing: page object/,
  'pyhanko_sneaky-appearance-override.pdf': /changed after signing/,
  'dss_annotation-and-visible-change_adobesign.pdf': /annotation added after signing draws over/,
  'dss_pdf-signed-out-of-byteRange.pdf': /past the end of the file/,
  'dss_shadow-hide.pdf': /does not repair/,
  'afirma_shadow_attack_1.pdf': /does not repair/,
  'dss_hello_INCSAVE_signed_EDITED.pdf': /does not repair/,
  'dss_pades_infinite_loop.pdf': /does not repair/,
};

/**
 * node-signpdf (node-forge) signs the signed attributes in the order it stores them, unsorted: OpenSSL and pdfsig verify
 * those bytes and accept it; by RFC 5652 §5.4 the value must cover their DER, so Sealdesk (as Bouncy Castle and EU DSS)
 * reports HASH_FAILURE — the MANIFEST's 'valid' is OpenSSL's verdict.
 */
const SIGNED_OVER_NON_DER = new Set(['nodesignpdf_signed-once.pdf', 'nodesignpdf_signed-twice.pdf']);

const INVALID_SUB: Record<string, string> = {
  'pyhanko_sig-with-econtent.pdf': 'FORMAT_FAILURE',
  'dss_sha3-256withRSA-sha256-digest.pdf': 'FORMAT_FAILURE',
  'dss_BadEncodedCMS.pdf': 'FORMAT_FAILURE',
  'dss_pdf-eof-byterange-past-eof.pdf': 'FORMAT_FAILURE',
  'dss_pdf-signed-out-of-byteRange.pdf': 'FORMAT_FAILURE',
};

describe.skipIf(rows.length === 0)('the corpus, verified offline without trust anchors', () => {
  const home = tempDir('verify-corpus');
  afterAll(() => home.remove());
  const sealdesk = cliRunner({ SEALDESK_HOME: home.path });

  it.each(rows)('$path ($expected)', async ({ path, expected }) => {
    const name = path.split('/').pop()!;
    const r = await sealdesk('verify', join(corpus, path), '--json');
    const out = r.json();
    if (out.code === 'PDF_ENCRYPTED') {
      expect(expected).toBe('attack'); // dss_pdf-spoofing-attack.pdf: an encrypted file is never passed
      expect(r.code).toBe(2);
      return;
    }
    expect(r.code, r.stderr).toBe(out.indication === 'TOTAL-PASSED' ? 0 : 1);
    const reasons = [...out.problems, ...out.signatures.flatMap((s: { reasons: string[] }) => s.reasons)].join('\n');
    for (const s of out.signatures) expect(Object.keys(s)).toEqual(expect.arrayContaining(['indication', 'subIndication', 'intact', 'valid', 'revision', 'coversWholeDocument']));
    if (SIGNED_OVER_NON_DER.has(name)) {
      expect(out.signatures.length).toBeGreaterThan(0);
      for (const s of out.signatures) {
        expect(s).toMatchObject({ intact: false, indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
        expect(s.reasons[0]).toBe('signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)');
      }
    } else if (expected === 'valid') {
      expect(out.signatures.length).toBeGreaterThan(0);
      for (const s of out.signatures) expect(s, `${name} #${s.index}: ${s.reasons.join('; ')}`).toMatchObject({ intact: true });
      expect(out.indication).toBe('INDETERMINATE'); // intact, but nothing is trusted without an anchor
      expect(out.signatures.map((s: { indication: string }) => s.indication)).not.toContain('TOTAL-FAILED');
    } else if (expected === 'invalid') {
      expect(out.indication).toBe('TOTAL-FAILED');
      expect(out.subIndication).toBe(INVALID_SUB[name]);
    } else if (expected === 'attack') {
      expect(out.indication).not.toBe('TOTAL-PASSED');
      expect(reasons.length).toBeGreaterThan(0);
      if (ATTACK_REASON[name]) expect(reasons).toMatch(ATTACK_REASON[name]!);
    } else {
      expect(['TOTAL-PASSED', 'INDETERMINATE', 'TOTAL-FAILED']).toContain(out.indication); // reported, never a crash
    }
  });
});
