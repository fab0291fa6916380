// The verification report as plain styled lines: the one content the PDF report renders (the HTML has its own layout).
import type { PdfReport, SignatureReport } from '../pades/verify/types.js';
import { INDICATION_WORDS, SUB_INDICATION_WORDS, coverage, qualificationText, trustSourceText } from './words.js';
import { changeVerdict } from '../pdf/changes.js';

export type Tone = 'normal' | 'muted' | 'passed' | 'failed' | 'indeterminate';
export type Line = {
  readonly text: string;
  readonly size: number;
  readonly bold?: boolean;
  readonly tone?: Tone;
  readonly indent?: number;
  readonly gapBefore?: number;
};

const toneOf = (i: string): Tone =>
  i === 'TOTAL-PASSED' ? 'passed' : i === 'TOTAL-FAILED' ? 'failed' : 'indeterminate';

export function reportLines(reports: readonly PdfReport[], meta: { tool: string; generatedAt: string }): Line[] {
  const first = reports[0];
  const out: Line[] = [
    { text: 'Signature verification report', size: 18, bold: true },
    { text: `Validation time: ${first?.validationTime ?? meta.generatedAt}`, size: 10, gapBefore: 8 },
    {
      text: `Trust anchors: ${first && first.trustAnchors.length ? first.trustAnchors.join('; ') : 'none given: no signature can be fully trusted'}`,
      size: 10,
    },
    { text: `Tool: ${meta.tool} · generated ${meta.generatedAt}`, size: 10, tone: 'muted' },
  ];
  for (const r of reports) {
    out.push({ text: r.file, size: 13, bold: true, gapBefore: 16 });
    out.push({
      text:
        `${r.indication}${r.subIndication ? ` / ${r.subIndication}` : ''}` +
        ` — ${INDICATION_WORDS[r.indication]}${r.subIndication ? `: ${SUB_INDICATION_WORDS[r.subIndication]}` : ''}`,
      size: 11,
      bold: true,
      tone: toneOf(r.indication),
    });
    out.push({ text: `${r.signatures.length} signature(s), ${r.revisions} revision(s)`, size: 10, tone: 'muted' });
    for (const p of r.problems) out.push({ text: p, size: 10, indent: 12 });
    for (const s of r.signatures) out.push(...signatureLines(s, r.revisions));
  }
  return out;
}

function signatureLines(s: SignatureReport, revisions: number): Line[] {
  const l = (text: string, extra: Partial<Line> = {}): Line => ({ text, size: 9.5, indent: 12, ...extra });
  const out: Line[] = [
    {
      text:
        `#${s.index} ${s.fieldName || '(unnamed field)'} — ${s.kind === 'document-timestamp' ? 'document time-stamp' : 'signature'}` +
        `: ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`,
      size: 11,
      bold: true,
      tone: toneOf(s.indication),
      gapBefore: 8,
    },
    l(
      `Covers ${coverage(s, revisions)}; ${s.intact ? 'intact: the signed bytes are unchanged and the signature value matches them' : 'NOT intact'}`,
    ),
  ];
  for (const why of s.reasons) out.push(l(`Why: ${why}`, { tone: toneOf(s.indication) }));
  for (const w of s.warnings) out.push(l(`Warning: ${w}`));
  if (s.signer)
    out.push(
      l(
        `${s.kind === 'document-timestamp' ? 'Time-stamp authority' : 'Signer'}: ${s.signer.subject} — trust ${s.signer.trust}: ${s.signer.trustMessage}`,
      ),
    );
  const source = s.signer?.trust === 'chained' ? trustSourceText(s.signer.trustSource) : null;
  if (source) out.push(l(`Trusted through ${source}`));
  if (s.qualification) out.push(l(`EU qualified status: ${qualificationText(s.qualification)}`));
  if (s.algorithms.signature)
    out.push(
      l(
        `Algorithms: ${s.algorithms.signature}, digest ${s.algorithms.digest}${s.algorithms.weak.length ? ` (weak: ${s.algorithms.weak.join(', ')})` : ''}`,
      ),
    );
  if (s.kind === 'signature' && s.timestamp)
    out.push(
      l(
        `Time-stamp: ${s.timestamp.genTime ?? '?'} by ${s.timestamp.tsaName ?? '?'}${s.timestamp.valid ? '' : ' (not valid)'}`,
      ),
    );
  if (s.kind === 'signature' && s.timestamp?.qualification)
    out.push(l(`Time-stamp EU qualified status: ${qualificationText(s.timestamp.qualification)}`));
  out.push(l(`Proven to exist at ${s.proofOfExistence.time} (${s.proofOfExistence.source})`));
  if (s.claimed.reason) out.push(l(`Reason: ${s.claimed.reason}`));
  for (const r of s.revocation) out.push(l(`Revocation: ${r.status} — ${r.detail}`));
  for (const c of s.changesAfter) out.push(l(`Later change (${changeVerdict(c)}): ${c.detail}`));
  if (s.byteRange) out.push(l(`Byte range: [${s.byteRange.join(' ')}]`, { tone: 'muted' }));
  return out;
}
