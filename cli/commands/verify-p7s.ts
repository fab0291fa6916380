// `sealdesk verify <file> --p7s <sig.p7s> [--tsr T] [--trust CA]... [--trust-dev CA]...`: the seed's /seal/verify CAdES shape.
import { resolve } from 'node:path';
import type { CadesReport } from '../../core/validation/index.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { isResourceLimit, resourceLimitJson, verifyIsolated, type VerifyLimits } from '../verify-pool.js';
import { readCertificates } from './token-input.js';

type P7sOptions = { tsr?: string; trust?: string[]; trustDev?: string[]; json?: boolean; limits?: VerifyLimits };

/** `verify <file.p7m> [--extract <out>]`: an enveloping signature checks its own content; extraction only when intact. */
export async function verifyP7m(io: CliIo, path: string, o: Omit<P7sOptions, 'tsr'> & { extract?: string }): Promise<ExitCode> {
  const anchors = readCertificates(o.trust ?? []);
  const devAnchors = readCertificates(o.trustDev ?? []);
  const job = { kind: 'cades', file: resolve(path), signature: path, extract: o.extract, anchors, devAnchors, now: new Date().toISOString() } as const;
  const done = await isolated(io, path, o, () => verifyIsolated(job, o.limits));
  if (typeof done === 'number') return done;
  const { report, extractedTo } = done;
  if (o.json) printJson(io, { format: 'cades', cades: report, extractedTo });
  else io.stdout(text(path, report) + (extractedTo ? `  Content  extracted to ${extractedTo}\n` : ''));
  return report.valid ? EXIT.ok : EXIT.verifyFailed;
}

export async function verifyP7s(io: CliIo, file: string, p7sPath: string, o: P7sOptions): Promise<ExitCode> {
  const anchors = readCertificates(o.trust ?? []);
  const devAnchors = readCertificates(o.trustDev ?? []);
  const job = { kind: 'cades', file: resolve(file), signature: p7sPath, content: file, tsr: o.tsr, anchors, devAnchors, now: new Date().toISOString() } as const;
  const done = await isolated(io, file, o, () => verifyIsolated(job, o.limits));
  if (typeof done === 'number') return done;
  const { report } = done;
  if (o.json) printJson(io, { format: 'cades', cades: report });
  else io.stdout(text(file, report));
  return report.valid ? EXIT.ok : EXIT.verifyFailed;
}

/** The job's result, or exit 2 after printing INDETERMINATE / RESOURCE_LIMIT when the file went over a limit. */
async function isolated<T>(io: CliIo, file: string, o: { json?: boolean }, run: () => Promise<T>): Promise<T | ExitCode> {
  try {
    return await run();
  } catch (err) {
    if (!isResourceLimit(err)) throw err;
    if (o.json) printJson(io, resourceLimitJson(err, resolve(file)));
    else io.stdout(`${'INDETERMINATE'.padEnd(14)} ${file}  (not evaluated, RESOURCE_LIMIT: ${err.message})\n`);
    return EXIT.usage;
  }
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
  for (const w of r.warnings ?? []) lines.push(`  Warning  ${w}`);
  return `${lines.join('\n')}\n`;
}
