// The verification report as one self-contained HTML file an auditor can file: validation time, trust anchors,
// tool version, and per signature its indication, coverage, signer, time-stamps, revocation and later changes.
import type { PdfReport, SignatureReport } from '../pades/verify/types.js';
import { INDICATION_WORDS, SUB_INDICATION_WORDS, coverage, qualificationText, trustSourceText } from './words.js';
import { changeVerdict } from '../pdf/changes.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const COLORS = { 'TOTAL-PASSED': '#1a7f37', INDETERMINATE: '#9a6700', 'TOTAL-FAILED': '#cf222e' } as const;

export function htmlReport(reports: readonly PdfReport[], meta: { tool: string; generatedAt: string }): string {
  const first = reports[0];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sealdesk verification report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem;word-break:break-all}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;color:#fff;font-weight:600}
.card{border:1px solid #d0d7de;border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
table{border-collapse:collapse}td{padding:.15rem .75rem .15rem 0;vertical-align:top}
td:first-child{color:#59636e;white-space:nowrap}ul{margin:.25rem 0 .25rem 1.25rem;padding:0}code{font-size:.85em}
</style></head><body>
<h1>Signature verification report</h1>
<table>
<tr><td>Validation time</td><td>${esc(first?.validationTime ?? meta.generatedAt)}</td></tr>
<tr><td>Trust anchors</td><td>${anchorList(first?.trustAnchors ?? [])}</td></tr>
<tr><td>Tool</td><td>${esc(meta.tool)}</td></tr>
<tr><td>Generated</td><td>${esc(meta.generatedAt)}</td></tr>
</table>
${reports.map(documentSection).join('\n')}
</body></html>
`;
}

function badge(ind: keyof typeof COLORS, sub: string | null): string {
  return `<span class="badge" style="background:${COLORS[ind]}">${esc(ind)}${sub ? ` / ${esc(sub)}` : ''}</span>`;
}

function documentSection(r: PdfReport): string {
  const problems = r.problems.length ? `<ul>${r.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '';
  return `<h2>${esc(r.file)}</h2>
<p>${badge(r.indication, r.subIndication)} ${verdictWords(r)} · ${r.signatures.length} signature(s), ${r.revisions} revision(s)</p>
${problems}${r.signatures.map((s) => signatureCard(s, r.revisions)).join('\n')}`;
}

function row(label: string, value: string | null | undefined): string {
  return value ? `<tr><td>${esc(label)}</td><td>${value}</td></tr>` : '';
}

function signatureCard(s: SignatureReport, revisions: number): string {
  const list = (items: readonly string[]) =>
    items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '';
  const ts = s.timestamp
    ? `${esc(s.timestamp.genTime ?? '?')} by ${esc(s.timestamp.tsaName ?? 'unknown TSA')}${s.timestamp.valid ? '' : ' (not valid)'}`
    : null;
  const changes = s.changesAfter.map((c) => `${changeVerdict(c)}: ${c.detail}`);
  return `<div class="card">
<p><strong>#${s.index} ${esc(s.fieldName || '(unnamed field)')}</strong> — ${kindWords(s)} ${badge(s.indication, s.subIndication)}</p>
<table>
${row('Covers', esc(coverage(s, revisions)))}
${row('Intact', s.intact ? 'yes: the signed bytes are unchanged and the signature value matches them' : 'no')}
${row('Why', list(s.reasons))}
${row(s.kind === 'document-timestamp' ? 'Time-stamp authority' : 'Signer', signerCell(s))}
${row('Trusted through', s.signer?.trust === 'chained' ? esc(trustSourceText(s.signer.trustSource) ?? '') : null)}
${row('EU qualified status', s.qualification ? esc(qualificationText(s.qualification)) : null)}
${row('Algorithms', algorithmsCell(s))}
${row('Claimed signing time', s.claimed.signingTime ? esc(s.claimed.signingTime) : null)}
${row('Reason', s.claimed.reason ? esc(s.claimed.reason) : null)}
${row('Location', s.claimed.location ? esc(s.claimed.location) : null)}
${row('Time-stamp', ts)}
${row('Time-stamp EU status', s.kind === 'signature' && s.timestamp?.qualification ? esc(qualificationText(s.timestamp.qualification)) : null)}
${row('Proven to exist at', esc(`${s.proofOfExistence.time} (${s.proofOfExistence.source})`))}
${row('Revocation', list(s.revocation.map((r) => `${r.subject}: ${r.status} — ${r.detail}`)))}
${row('Changes after signing', list(changes))}
${row('Byte range', s.byteRange ? `<code>[${s.byteRange.join(' ')}]</code>` : null)}
</table></div>`;
}

function anchorList(anchors: readonly string[]): string {
  if (anchors.length === 0) return 'none given: no signature can be fully trusted';
  return `<ul>${anchors.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`;
}

function verdictWords(r: PdfReport): string {
  const sub = r.subIndication ? `: ${esc(SUB_INDICATION_WORDS[r.subIndication])}` : '';
  return `${esc(INDICATION_WORDS[r.indication])}${sub}`;
}

const kindWords = (s: SignatureReport) => (s.kind === 'document-timestamp' ? 'document time-stamp' : 'signature');

function signerCell(s: SignatureReport): string | null {
  if (!s.signer) return null;
  const claims =
    s.signer.qc?.qcCompliance && !s.qualification
      ? '<br>claims EU qualified status (QC statements; not checked against a trusted list)'
      : '';
  return `${esc(s.signer.subject)}<br>trust: ${esc(s.signer.trust)} — ${esc(s.signer.trustMessage)}${claims}`;
}

function algorithmsCell(s: SignatureReport): string | null {
  const a = s.algorithms;
  if (!a.signature) return null;
  return esc(`${a.signature}, digest ${a.digest}${a.weak.length ? ` (weak: ${a.weak.join(', ')})` : ''}`);
}
