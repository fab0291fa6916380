// `sealdesk operations [--search TEXT] [--page N] [--page-size N] [--json]` (seed /seal/operations): parsing and
// printing over core/app/history.ts.
import { sealOperations } from '../../core/app/history.js';
import { parse, positiveInt } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function operationsCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse('operations', argv, {
    search: { type: 'string' },
    page: { type: 'string' },
    'page-size': { type: 'string' },
  });
  const page = positiveInt('--page', values.page, 1);
  const pageSize = positiveInt('--page-size', values['page-size'], 50, 200);
  const result = await withLedger(io, (db) => sealOperations(db, { search: values.search, page, pageSize }));
  if (values.json) printJson(io, result);
  else if (result.items.length === 0) io.stdout('no seal operations\n');
  else {
    for (const i of result.items) {
      const level =
        'reachedLevel' in i ? `${i.reachedLevel}${i.status === 'success' ? '' : ` (→ ${i.level} queued)`}  ` : '';
      const by = i.status === 'success' ? (i.tsaName ?? '') : 'time-stamp queued';
      io.stdout(
        `${i.createdAt.slice(0, 19)}  ${i.id}  ${i.signatureType}  ${level}${by}  ${i.label ?? i.filePath ?? ''}\n`,
      );
    }
  }
  return EXIT.ok;
}
