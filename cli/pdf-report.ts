// A PDF's verification for the terminal (one verdict line, then details) and as JSON (the seed's /seal/verify
// PAdES shape, extended with every signature's full report).
import type { PdfReport, SignatureReport } from '../core/model/index.js';
import {
  INDICATION_WORDS,
  SUB_INDICATION_WORDS,
  coverage,
  qualificationText,
  trustSourceText,
} from '../core/report/words.js';
import type { Qualification } from '../core/model/index.js';
import { changeVerdict } from '../core/pdf/changes.js';

export function pdfReportJson(r: PdfReport) {
  const main = [...r.signatures].reverse().find((s) => s.kind === 'signature') ?? null;
  const ts = main?.timestamp ?? r.signatures.find((s) => s.kind === 'document-timestamp')?.timestamp ?? null;
  return {
    format: 'pades',
    file: r.file,
    indication: r.indication,
    subIndication: r.subIndication,
    pades: {
      signaturePresent: r.signatures.length > 0,
      hashMatch: main?.intact ?? false,
      certificate: main?.signer
        ? {
            subject: main.signer.subject,
            trust: main.signer.trust,
            qc: { isEidasQualified: eidasQualified(main.qualification, main.signer.qc?.qcCompliance === true) },
            ...(main.qualification ? { qualification: main.qualification } : {}),
          }
        : null,
      timestamp: ts
        ? {
            genTime: ts.genTime,
            tsaName: ts.tsaName,
            qc: { isEidasQualified: eidasQualified(ts.qualification, ts.tsa?.qc?.qcCompliance === true) },
            ...(ts.qualification ? { qualification: ts.qualification } : {}),
          }
        : null,
    },
    signatures: r.signatures,
    revisions: r.revisions,
    validationTime: r.validationTime,
    trustAnchors: r.trustAnchors,
    problems: r.problems,
  };
}

/** Seed `qc.isEidasQualified`: what the EU trusted lists say when loaded, else the certificate's own QC claim. */
export function eidasQualified(q: Qualification | null | undefined, claim: boolean): boolean {
  return q ? q.level !== 'not-qualified' : claim;
}

export function pdfReportText(r: PdfReport, detailed: boolean): string {
  const head =
    `${r.indication.padEnd(14)} ${r.file}  (${r.signatures.length} signature${r.signatures.length === 1 ? '' : 's'}` +
    `: ${INDICATION_WORDS[r.indication]}${r.subIndication ? ` — ${SUB_INDICATION_WORDS[r.subIndication]}` : ''})\n`;
  const problems = r.problems.map((p) => `  ${p}\n`).join('');
  if (!detailed)
    return (
      head +
      problems +
      r.signatures
        .filter((s) => !s.valid)
        .map((s) => `  #${s.index} ${s.fieldName}: ${s.reasons[0] ?? ''}\n`)
        .join('')
    );
  return (
    head +
    problems +
    r.signatures.map((s) => signatureText(s, r.revisions)).join('') +
    `  validated at ${r.validationTime}` +
    ` against ${r.trustAnchors.length ? r.trustAnchors.join('; ') : 'no trust anchor (--trust <ca.pem> or `sealdesk trust add`)'}\n`
  );
}

function signatureText(s: SignatureReport, revisions: number): string {
  const lines = [
    `  #${s.index} ${s.fieldName || '(unnamed)'} — ${s.kind === 'document-timestamp' ? 'document time-stamp' : 'signature'}` +
      `: ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`,
  ];
  lines.push(`     covers ${coverage(s, revisions)}; ${s.intact ? 'intact' : 'NOT intact'}`);
  if (s.signer)
    lines.push(
      `     ${s.kind === 'document-timestamp' ? 'TSA' : 'signer'}: ${s.signer.subject}` +
        ` (${s.signer.trust}${s.signer.qc?.qcCompliance ? ', claims EU qualified status' : ''})`,
    );
  const source = s.signer?.trust === 'chained' ? trustSourceText(s.signer.trustSource) : null;
  if (source) lines.push(`     trusted through ${source}`);
  if (s.qualification) lines.push(`     EU: ${qualificationText(s.qualification)}`);
  if (s.kind === 'signature' && s.timestamp)
    lines.push(
      `     time-stamp: ${s.timestamp.genTime ?? '?'} by ${s.timestamp.tsaName ?? '?'}${s.timestamp.valid ? '' : ' (not valid)'}`,
    );
  if (s.kind === 'signature' && s.timestamp?.qualification)
    lines.push(`     time-stamp EU: ${qualificationText(s.timestamp.qualification)}`);
  if (s.claimed.reason) lines.push(`     reason: ${s.claimed.reason}`);
  lines.push(`     proven to exist at ${s.proofOfExistence.time} (${s.proofOfExistence.source})`);
  for (const r of s.revocation) lines.push(`     revocation: ${r.status} — ${r.detail}`);
  for (const c of s.changesAfter) lines.push(`     later change (${changeVerdict(c)}): ${c.detail}`);
  for (const why of s.reasons) lines.push(`     ! ${why}`);
  for (const w of s.warnings) lines.push(`     warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
