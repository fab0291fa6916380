// A CAdES verification (a file with its .p7s, or an enveloping .p7m) for the terminal and as JSON (the seed's
// /seal/verify CAdES shape); `sealdesk verify` (cli/commands/verify.ts) prints it.
import type { CadesReport } from '../../core/model/index.js';
import { qualificationText, trustSourceText } from '../../core/report/words.js';

export function cadesJson(report: CadesReport, extra: { extractedTo?: string | null } = {}) {
  return { format: 'cades', cades: report, ...extra };
}

export function cadesText(file: string, r: CadesReport): string {
  const lines = [`${r.indication.padEnd(14)} ${file} (CAdES${r.subIndication ? `: ${r.subIndication}` : ''})`];
  if (r.certificate)
    lines.push(
      `  Signer   ${r.certificate.subject} — ${r.certificate.trust.replace('_', ' ')}: ${r.certificate.trustMessage}`,
    );
  const source = r.certificate?.trust === 'chained' ? trustSourceText(r.certificate.trustSource) : null;
  if (source) lines.push(`  Trusted  through ${source}`);
  if (r.certificate?.qualification) lines.push(`  EU       ${qualificationText(r.certificate.qualification)}`);
  lines.push(`  Content  ${r.hashMatch ? 'unchanged since it was sealed' : 'CHANGED or not the sealed file'}`);
  const ts = r.timestamp
    ? `${r.timestamp.genTime} by ${r.timestamp.tsaName} (${r.tsrSource} time-stamp)`
    : 'no time-stamp: the time of sealing is not proven';
  lines.push(`  Time     ${ts}`);
  if (r.timestamp?.qualification) lines.push(`  Time EU  ${qualificationText(r.timestamp.qualification)}`);
  if (r.tsrMatchError) lines.push(`  .tsr     ${r.tsrMatchError}`);
  for (const a of r.archiveTimestamps) {
    const tsa = a.tsa ? `; TSA certificate ${a.tsa.trust.replace('_', ' ')}, until ${a.tsa.notAfter.slice(0, 10)}` : '';
    const what = a.valid ? 'covers the signature, its data and every earlier time-stamp' : 'NOT VALID';
    lines.push(`  Archive  ${a.n}: ${a.genTime ?? '?'} by ${a.tsaName ?? 'an unnamed TSA'} — ${what}${tsa}`);
  }
  for (const p of r.problems) lines.push(`  Problem  ${p}`);
  for (const w of r.warnings ?? []) lines.push(`  Warning  ${w}`);
  return `${lines.join('\n')}\n`;
}
