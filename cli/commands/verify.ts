// `sealdesk verify <file> --tsr <token.tsr> [--tsa-cert PEM]... [--json]`: does this file match this token?
import { UsageError } from '../../core/errors.js';
import type { FileTokenVerification } from '../../core/stamp/index.js';
import { parse } from '../args.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { isResourceLimit, LIMIT_OPTIONS, limitsFrom, resourceLimitJson, verifyIsolated } from '../verify-pool.js';
import { readCertificates } from './token-input.js';
import { verifyP7m, verifyP7s } from './verify-p7s.js';
import { isPdfFile } from '../../core/fs/index.js';
import { verifyPdfs } from './verify-pdf.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('verify', argv, {
    tsr: { type: 'string' }, p7s: { type: 'string' }, extract: { type: 'string' }, 'tsa-cert': { type: 'string', multiple: true }, trust: { type: 'string', multiple: true }, 'trust-dev': { type: 'string', multiple: true },
    at: { type: 'string' }, online: { type: 'boolean' }, 'allow-private-network': { type: 'boolean' }, report: { type: 'string' }, 'extract-revision': { type: 'string' }, out: { type: 'string' }, ...LIMIT_OPTIONS,
  });
  const limits = limitsFrom(values);
  if (positionals.length === 0) throw new UsageError('verify: name a PDF or a folder, a .p7m, or a file with --p7s <signature.p7s> or --tsr <token.tsr>');
  if (!values.p7s && !values.tsr && (positionals.length > 1 || (await pdfOrFolder(positionals[0]!)))) return verifyPdfs(io, positionals, values);
  if (positionals.length !== 1) throw new UsageError('verify: --p7s and --tsr check exactly one file');
  const file = positionals[0]!;
  if (!values.p7s && !values.tsr) return verifyP7m(io, file, { trust: values.trust, trustDev: values['trust-dev'], json: values.json, extract: values.extract, limits });
  if (values.p7s) return verifyP7s(io, file, values.p7s, { tsr: values.tsr, trust: values.trust, trustDev: values['trust-dev'], json: values.json, limits });
  if (!values.tsr) throw new UsageError('verify: give the signature with --p7s <file.p7s> or the token with --tsr <token.tsr>');
  const job = { kind: 'token-file', file, tsr: values.tsr, extraCertificates: readCertificates(values['tsa-cert'] ?? []), anchors: readCertificates(values.trust ?? []) } as const;
  let result: FileTokenVerification;
  try {
    result = await verifyIsolated(job, limits);
  } catch (err) {
    if (!isResourceLimit(err)) throw err;
    if (values.json) printJson(io, resourceLimitJson(err, resolve(file)));
    else io.stdout(`${'INDETERMINATE'.padEnd(14)} ${file}  (not evaluated, RESOURCE_LIMIT: ${err.message})\n`);
    return EXIT.usage;
  }
  if (values.json) printJson(io, verifyJson(result));
  else io.stdout(verifyText(file, result));
  return result.verdict.valid ? EXIT.ok : EXIT.verifyFailed;
}

/** Seed /tsa/verify-hash (+ the TSA and the reasons). */
function verifyJson(v: FileTokenVerification) {
  const r = v.report;
  return {
    valid: v.verdict.valid,
    message: v.verdict.message,
    details: {
      serial: r.serialHex,
      genTime: r.genTime,
      hashAlgorithmOid: r.hashAlgorithmOid,
      claimedHashHex: r.imprintHex,
      providedHashHex: v.fileHashHex,
      hashMatch: v.verdict.hashMatch,
      tsaName: r.tsaName,
      signer: r.signer,
      signatureValid: r.signatureValid,
      problems: r.problems,
      tsaTrust: v.trust.status,
      tsaTrustPath: v.trust.path,
      tsaTrustMessage: v.trust.message,
    },
  };
}

function verifyText(file: string, v: FileTokenVerification): string {
  const head = v.verdict.valid ? `VALID    ${file}` : `INVALID  ${file}`;
  const r = v.report;
  const lines = [head, `  ${v.verdict.message}`];
  if (r.genTime) lines.push(`  Stamped ${r.genTime} by ${r.tsaName ?? 'an unnamed TSA'} (serial ${r.serialHex})`);
  if (v.trust.status === 'chained') lines.push(`  TSA certificate ${v.trust.message}`);
  else if (v.trust.status === 'untrusted') lines.push(`  TSA NOT TRUSTED: ${v.trust.message}`);
  else lines.push('  The TSA certificate was not checked against a trust anchor (give --trust <ca.pem>).');
  return `${lines.join('\n')}\n`;
}

async function pdfOrFolder(path: string): Promise<boolean> {
  try {
    if (statSync(path).isDirectory()) return true;
  } catch {
    return false; // reported as unreadable by the path that reads it
  }
  return isPdfFile(path);
}
