// `sealdesk lookup <file | sha512-hex> [--json]`: has this content been stamped? (seed /api/lookup/{hash})
import { lookup } from '../../core/app/history.js';
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { lookupItemJson } from '../records.js';

export async function lookupCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('lookup', argv, {});
  if (positionals.length !== 1) throw new UsageError('lookup: name one file or one SHA-512 hex digest');
  const arg = positionals[0]!;
  const { sha512: hash, records } = await withLedger(io, (db) => lookup(db, arg));
  const latest = records[0];
  if (values.json) {
    printJson(io, {
      found: records.length > 0,
      count: records.length,
      latest: latest ? lookupItemJson(latest) : null,
      records: records.map(lookupItemJson),
    });
  } else if (!latest) {
    io.stdout(`not stamped: no record for SHA-512 ${hash.slice(0, 16)}…\n`);
  } else {
    io.stdout(
      `stamped ${records.length} time(s); latest: ${latest.status === 'pending' ? 'queued' : `${latest.tsaName} at ${latest.genTime}`}` +
        ` (record ${latest.id}${latest.label ? `, "${latest.label}"` : ''})\n`,
    );
    const remote = records.filter((r) => r.origin === 'remote').length;
    if (remote > 0) io.stdout(`${remote} of them made elsewhere in the organisation (pulled from the server)\n`);
  }
  return records.length > 0 ? EXIT.ok : EXIT.verifyFailed;
}
