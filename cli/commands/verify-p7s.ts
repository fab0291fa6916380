// `sealdesk verify <file> --p7s <sig.p7s> [--tsr T] [--trust CA]... [--trust-dev CA]...`: the seed's /seal/verify CAdES shape.
import { resolve } from 'node:path';
import { attachedContent, parseSignedData } from '../../core/cms/index.js';
import { CoreError } from '../../core/errors.js';
import { writeNewFile } from '../../core/fs/index.js';
import { hashFile } from '../../core/hash/index.js';
import { verifyCades, type CadesReport } from '../../core/validation/index.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { readCertificates, readInput } from './token-input.js';

type P7sOptions = { tsr?: string; trust?: string[]; trustDev?: string[]; json?: boolean };

/** `verify <file.p7m> [--extract <out>]`: an enveloping signature checks its own content; extraction only when intact. */
export async function verifyP7m(io: CliIo, path: string, o: Omit<P7sOptions, 'tsr'> & { extract?: string }): Promise<ExitCode> {
  const der = readInput(path, 'signed file');
  const report = await verifyCades(der, { anchors: readCertificates(o.trust ?? []), devAnchors: readCertificates(o.trustDev ?? []), now: new Date() });
  let extractedTo: string | null = null;
  if (o.extract) {
    if (!report.intact) throw new CoreError('CMS_MALFORMED', `not extracted: the content of ${path} does not match its signature`);
    await writeNewFile(resolve(o.extract), attachedContent(parseSignedData(der, 'signed file (.p7m)'))!);
    extractedTo = resolve(o.extract);
  }
  if (o.json) printJson(io, { format: 'cades', cades: report, extractedTo });
  else io.stdout(text(path, report) + (extractedTo ? `  Content  extracted to ${extractedTo}\n` : ''));
  return report.valid ? EXIT.ok : EXIT.verifyFailed;
}

export async function verifyP7s(io: CliIo, file: string, p7sPath: string, o: P7sOptions): Promise<ExitCode> {
  const p7s = readInput(p7sPath, 'signature');
  const report = await verifyCades(p7s, {
    digestContent: async (alg) => (await hashFile(file, [alg])).digests[alg],
    anchors: readCertificates(o.trust ?? []),
    devAnchors: readCertificates(o.trustDev ?? []),
    externalTsr: o.tsr ? readInput(o.tsr, 'token') : undefined,
    now: new Date(),
  });
  if (o.json) printJson(io, { format: 'cades', cades: report });
  else io.stdout(text(file, report));
  return report.valid ? EXIT.ok : EXIT.verifyFailed;
}

function text(file: string, r: CadesReport): string {
  const lines = [`${r.indication.padEnd(14)} ${file} (CAdES${r.subIndication ? `: ${r.subIndication}` : ''})`];
  if (r.certificate) lines.push(`  Signer   ${r.certificate.subject} — ${r.certificate.trust.replace('_', ' ')}: ${r.certificate.trustMessage}`);
  lines.push(`  Content  ${r.hashMatch ? 'unchanged since it was sealed' : 'CHANGED or not the sealed file'}`);
  lines.push(`  Time     ${r.timestamp ? `${r.timestamp.genTime} by ${r.timestamp.tsaName} (${r.tsrSource} time-stamp)` : 'no time-stamp: the time of sealing is not proven'}`);
  if (r.tsrMatchError) lines.push(`  .tsr     ${r.tsrMatchError}`);
  for (const a of r.archiveTimestamps) {
    const tsa = a.tsa ? `; TSA certificate ${a.tsa.trust.replace('_', ' ')}, until ${a.tsa.notAfter.slice(0, 10)}` : '';
    lines.push(`  Archive  ${a.n}: ${a.genTime ?? '?'} by ${a.tsaName ?? 'an unnamed TSA'} — ${a.valid ? 'covers the signature, its data and every earlier time-stamp' : 'NOT VALID'}${tsa}`);
  }
  for (const p of r.problems) lines.push(`  Problem  ${p}`);
  return `${lines.join('\n')}\n`;
}
