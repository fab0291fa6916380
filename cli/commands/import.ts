// `sealdesk import <file.tsr | signed.pdf | file.p7s | folder>... [--json]`: records made elsewhere join the ledger
// (then `restamp` and `chain` work on them). Argument parsing and printing over core/app/import.ts.
import { importFiles, type ImportItem } from '../../core/app/import.js';
import type { ImportedSeal } from '../../core/archive/index.js';
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';

export async function importCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('import', argv, {});
  if (positionals.length === 0)
    throw new UsageError('import: name .tsr files, signed PDFs, .p7s files, or folders holding them');
  const items = await withLedger(io, (db) => importFiles(db, positionals));
  const codes: ExitCode[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const line = describe(item);
    if (item.kind === 'error') {
      codes.push(exitFor(item.error));
      printError(io, item.error, `${item.path}: `);
    } else if (item.kind !== 'skipped') codes.push(EXIT.ok);
    out.push(line.json);
    if (!values.json && line.text) io.stdout(`${item.path}: ${line.text}\n`);
  }
  if (values.json) printJson(io, out);
  return combineExit(codes);
}

function describe(item: ImportItem): { json: unknown; text: string | null } {
  switch (item.kind) {
    case 'stamp': {
      const r = item.stamp;
      const rec = r.record;
      return {
        json: {
          kind: 'stamp',
          path: r.tsrPath,
          tsrPath: r.tsrPath,
          id: rec.id,
          already: r.already,
          tsaName: rec.tsaName,
          genTime: rec.genTime,
          tsaCertNotAfter: rec.tsaCertNotAfter,
        },
        text: `${r.already ? 'already in the ledger' : 'imported'} as ${rec.id} (${rec.tsaName}, ${rec.genTime}; TSA certificate until ${rec.tsaCertNotAfter?.slice(0, 10) ?? '?'})`,
      };
    }
    case 'seal':
      return { json: sealJson(item.seal), text: sealText(item.seal) };
    case 'skipped':
      return { json: { path: item.path, skipped: true, reason: item.reason }, text: null };
    case 'error':
      return { json: errorJson(item.error, { path: item.path }), text: null };
  }
}

function sealJson(s: ImportedSeal): Record<string, unknown> {
  const op = s.operation;
  return {
    kind: 'seal',
    path: s.path,
    id: op.id,
    already: s.already,
    format: op.signatureType,
    level: op.reachedLevel ?? null,
    signer: op.certLabel,
    tsaName: op.tsaName,
    indication: s.already ? null : s.indication,
    signatures: s.already ? null : s.signatures,
  };
}

function sealText(s: ImportedSeal): string {
  const op = s.operation;
  if (s.already) return `already in the ledger as ${op.id}`;
  const what = op.signatureType === 'pades' ? `${s.signatures} signature(s), ${op.reachedLevel}` : 'CAdES';
  return `imported as ${op.id} (${what}; signed by ${op.certLabel ?? '?'}; ${s.indication} with the trust store's anchors)`;
}
