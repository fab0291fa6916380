// `sealdesk operations [--search TEXT] [--page N] [--page-size N] [--json]` (seed /seal/operations)
import { listOperations, operationFiles } from '../../core/ledger/index.js';
import { parse, positiveInt } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function operationsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse('operations', argv, { search: { type: 'string' }, page: { type: 'string' }, 'page-size': { type: 'string' } });
  const page = positiveInt('--page', values.page, 1);
  const pageSize = positiveInt('--page-size', values['page-size'], 50, 200);
  const result = await withLedger(io, (db) => {
    const r = listOperations(db, { search: values.search, page, pageSize });
    return { ...r, items: r.items.map((o) => ({ ...o, files: operationFiles(db, o.id) })) };
  });
  const items = result.items.map((o) => ({
    id: o.id, documentHash: o.documentSha512, label: o.label, status: o.status, createdAt: o.createdAt, certLabel: o.certLabel,
    signatureType: o.signatureType, hasP7s: o.signatureType === 'cades' && o.signature !== null, tsaName: o.tsaName, filePath: o.filePath, outputPath: o.outputPath,
    ...(o.signatureType === 'pades' ? { level: o.level, reachedLevel: o.reachedLevel } : {}),
    // Every version of the file the seal wrote (a .p7s gets versions once restamped in place).
    outputSha256: o.outputSha256, files: o.files.map(({ step, level, path, sha256, size, at }) => ({ step, level, path, sha256, size, at })),
  }));
  if (values.json) printJson(io, { total: result.total, page, pageSize, items });
  else if (items.length === 0) io.stdout('no seal operations\n');
  else for (const i of items) io.stdout(`${i.createdAt.slice(0, 19)}  ${i.id}  ${i.signatureType}  ${'reachedLevel' in i ? `${i.reachedLevel}${i.status === 'success' ? '' : ` (→ ${i.level} queued)`}  ` : ''}${i.status === 'success' ? (i.tsaName ?? '') : 'time-stamp queued'}  ${i.label ?? i.filePath ?? ''}\n`);
  return EXIT.ok;
}
