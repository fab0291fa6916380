// `sealdesk import <file.tsr | folder>... [--json]`: tokens made elsewhere join the ledger (then `restamp` works on them).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importToken } from '../../core/archive/index.js';
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';

export async function importCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('import', argv, {});
  if (positionals.length === 0) throw new UsageError('import: name .tsr files or folders holding them');
  const tokens = positionals.flatMap((p) =>
    statSync(p, { throwIfNoEntry: false })?.isDirectory()
      ? readdirSync(p, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.tsr')).map((e) => join(e.parentPath, e.name)).sort()
      : [resolve(p)],
  );
  return withLedger(io, async (db) => {
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const t of tokens) {
      try {
        const r = await importToken(db, t, new Date());
        codes.push(EXIT.ok);
        out.push({ tsrPath: r.tsrPath, id: r.record.id, already: r.already, tsaName: r.record.tsaName, genTime: r.record.genTime, tsaCertNotAfter: r.record.tsaCertNotAfter });
        if (!values.json) io.stdout(`${t}: ${r.already ? 'already in the ledger' : 'imported'} as ${r.record.id} (${r.record.tsaName}, ${r.record.genTime}; TSA certificate until ${r.record.tsaCertNotAfter?.slice(0, 10) ?? '?'})\n`);
      } catch (err) {
        codes.push(exitFor(err));
        out.push(errorJson(err, { tsrPath: t }));
        printError(io, err, `${t}: `);
      }
    }
    if (values.json) printJson(io, out);
    return combineExit(codes);
  });
}
