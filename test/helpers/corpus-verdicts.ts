// What Sealdesk must say of each real-world PDF in ../shared/corpus (offline, no trust anchor), beside the verdict the
// file's source asserts: shared by the corpus test and `npm run bench -- verify-corpus` (which adds pdfsig's verdict).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

export type SourceVerdict = 'valid' | 'invalid' | 'attack' | 'unknown';
export type CorpusRow = { readonly path: string; readonly name: string; readonly source: SourceVerdict };

/** The PDF rows of MANIFEST.tsv (empty when the corpus is absent). */
export function corpusPdfRows(): CorpusRow[] {
  const manifest = join(CORPUS, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return [];
  return readFileSync(manifest, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[0]?.startsWith('pdf/'))
    .map((c) => ({ path: c[0]!, name: c[0]!.split('/').pop()!, source: c[6] as SourceVerdict }));
}

export type Pinned = {
  readonly indication: string;
  readonly sub: string;
  readonly reason: RegExp;
  readonly why?: string;
};

const failed = (reason: RegExp, why?: string): Pinned => ({
  indication: 'TOTAL-FAILED',
  sub: 'FORMAT_FAILURE',
  reason,
  why,
});
const untrusted = (why: string): Pinned => ({
  indication: 'INDETERMINATE',
  sub: 'NO_CERTIFICATE_CHAIN_FOUND',
  reason: /does not chain to a trust anchor/,
  why,
});

/**
 * Where the source's verdict is not the one RFC 5652 gives: node-signpdf (node-forge) signs its signed attributes in
 * the order it stores them, unsorted; OpenSSL and pdfsig verify those bytes, but the value must cover their DER
 * (RFC 5652 §5.4), so Sealdesk reports HASH_FAILURE as Bouncy Castle and EU DSS do.
 */
export const SOURCE_CORRECTED: Readonly<Record<string, { readonly verdict: SourceVerdict; readonly why: string }>> = {
  'nodesignpdf_signed-once.pdf': {
    verdict: 'invalid',
    why: 'signed over unsorted (non-DER) signed attributes, RFC 5652 §5.4',
  },
  'nodesignpdf_signed-twice.pdf': {
    verdict: 'invalid',
    why: 'signed over unsorted (non-DER) signed attributes, RFC 5652 §5.4',
  },
};

/** Every row that is not plainly valid: the exact indication, sub-indication and a reason in the report's words. */
export const PINNED: Readonly<Record<string, Pinned>> = {
  'nodesignpdf_signed-once.pdf': {
    indication: 'TOTAL-FAILED',
    sub: 'HASH_FAILURE',
    reason: /non-DER encoding of the signed attributes/,
  },
  'nodesignpdf_signed-twice.pdf': {
    indication: 'TOTAL-FAILED',
    sub: 'HASH_FAILURE',
    reason: /non-DER encoding of the signed attributes/,
  },
  'pyhanko_sig-with-econtent.pdf': failed(/must not encapsulate content/),
  'dss_sha3-256withRSA-sha256-digest.pdf': failed(/does not use the signer's digest algorithm/),
  'dss_BadEncodedCMS.pdf': failed(/not DER: its serial number/),
  'dss_pdf-eof-byterange-past-eof.pdf': failed(/past the end of the file/),
  'dss_pdf-signed-out-of-byteRange.pdf': failed(/past the end of the file/),
  'dss_pdf-double-signer-info.pdf': failed(
    /2 SignerInfos; exactly one is required/,
    'PAdES allows exactly one SignerInfo',
  ),
  'dss_Signature-P-BG_BOR-2.pdf': untrusted('two intact signatures; nothing is trusted without an anchor'),
  'dss_DSS-2601_acrobat-5sigs-doctst.pdf': untrusted(
    'intact signatures and document time-stamp; later form changes allowed',
  ),
  'pdfjs_160F-2019_UR3.pdf': {
    indication: 'INDETERMINATE',
    sub: 'NO_SIGNATURE_FOUND',
    reason: /no signature/,
    why: 'a usage-rights (UR3) signature is not a signature field',
  },
  'pdfjs_bug854315_itext217.pdf': untrusted('intact'),
  'pdfjs_issue16553_cz-qualified.pdf': untrusted('intact'),
  'afirma_cosigned_autofirma.pdf': untrusted('two intact signatures'),
  'afirma_TEST_PDF_Certified_acrobat.pdf': untrusted('intact certification'),
  'itext_adbe.x509.rsa_sha1.pdf': untrusted('intact adbe.x509.rsa_sha1'),
  'dss_pdf-spoofing-attack.pdf': failed(/signature dictionary lies outside the bytes its own \/ByteRange covers/),
  'dss_pades-spoofing-replaced-reason.pdf': failed(/redefined after signing/),
  'dss_pdf-byterange-overlap.pdf': failed(/does not hold exactly one hex string|overlap/),
  'dss_shadow-hide.pdf': failed(/does not repair/),
  'dss_shadow-replace.pdf': failed(/appearance of form field .* was replaced/),
  'dss_hello_INCSAVE_signed_EDITED.pdf': failed(/not this signature's \/Contents/),
  'dss_pdf-signed-added-page.pdf': failed(/the page tree changed/),
  'dss_pades-lta-copied-doctst.pdf': failed(/document time-stamp is for other data/),
  'dss_pades-two-sig-copied-tst.pdf': {
    indication: 'INDETERMINATE',
    sub: 'NO_CERTIFICATE_CHAIN_FOUND',
    reason: /signature time-stamp is not valid: .*imprint does not cover this signature value/,
    why: 'both signatures intact; the copied time-stamp proves nothing (SIG_CONSTRAINTS_FAILURE on the second)',
  },
  'dss_siwa_signature-wrapping.pdf': failed(/signature-wrapping/),
  'dss_modified_after_signature_visual.pdf': failed(/page object .* changed/),
  'dss_annotation-and-visible-change_adobesign.pdf': failed(/annotation added after signing draws over/),
  'dss_pades_infinite_loop.pdf': failed(/does not repair/),
  'afirma_shadow_attack_1.pdf': failed(/does not repair/),
  'itext_isaValidPdf_incremental-saving-attack.pdf': failed(/stream object \d+ .* was replaced/),
  'itext_twoContents.pdf': failed(/appears twice/),
  'pyhanko_sneaky-appearance-override.pdf': failed(
    /stream object 9 \(used as \/FooBar of object 1, \/AP of object 8\) was replaced/,
  ),
  'pyhanko_tail-uncovered.pdf': failed(/do not end at the end of a revision/),
};

/** The verdict the row is held to: the source's, unless corrected above. */
export const heldTo = (row: CorpusRow): SourceVerdict => SOURCE_CORRECTED[row.name]?.verdict ?? row.source;

type Sig = { readonly indication: string; readonly subIndication: string | null; readonly intact: boolean };

/** Not-flagged sub-indications: what an intact signature gets when only trust or revocation data is missing. */
const ONLY_UNTRUSTED = new Set(['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER']);

/** Whether a report (offline, without anchors) agrees with a source verdict; null for 'unknown'. */
export function sealdeskAgrees(
  verdict: SourceVerdict,
  report: { indication?: string; signatures?: readonly Sig[] },
): boolean | null {
  const sigs = report.signatures ?? [];
  const flagged =
    report.indication === 'TOTAL-FAILED' ||
    sigs.length === 0 ||
    sigs.some((s) => !s.intact || (s.subIndication !== null && !ONLY_UNTRUSTED.has(s.subIndication)));
  if (verdict === 'unknown') return null;
  return verdict === 'valid' ? !flagged : flagged;
}
