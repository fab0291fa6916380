// `sealdesk history [--search TEXT] [--page N] [--page-size N] [--json]` (seed /api/transactions/details)
import { historyList } from '../../core/app/history.js';
import { parse, positiveInt } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { historyItemJson } from '../records.js';

export async function historyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse('history', argv, {
    search: { type: 'string' },
    page: { type: 'string' },
    'page-size': { type: 'string' },
  });
  const page = positiveInt('--page', values.page, 1);
  const pageSize = positiveInt('--page-size', values['page-size'], 50, 200);
  const result = await withLedger(io, (db) => historyList(db, { search: values.search, page, pageSize }).stamps);
  if (values.json) {
    printJson(io, {
      total: result.total,
      page: result.page,
      pageSize: result.pageSize,
      items: result.items.map(historyItemJson),
    });
    return EXIT.ok;
  }
  if (result.total === 0) io.stdout('no records\n');
  for (const r of result.items) {
    const what = r.status === 'pending' ? 'queued' : `${r.tsaName} ${r.genTime}`;
    const origin = (r.origin ?? 'local').padEnd(6);
    io.stdout(`${r.createdAt.slice(0, 19)}  ${r.id}  ${origin}  ${what}  ${r.label ?? r.filePath ?? ''}\n`);
  }
  if (result.total > 0)
    io.stdout(`page ${result.page} of ${Math.ceil(result.total / result.pageSize)} (${result.total} records)\n`);
  return EXIT.ok;
}
