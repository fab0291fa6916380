// `sealdesk tl import|refresh|status|anchors`: the EU trusted lists kept offline in the data folder (issue 18); a thin
// adapter over core/app/trusted-lists.ts.
import { UsageError } from '../../core/errors.js';
import {
  tlAddAnchor,
  tlAnchors,
  tlImport,
  tlRefresh,
  tlStatus,
  type TlStatusRow,
} from '../../core/app/trusted-lists.js';
import type { IngestOutcome } from '../../core/tl/ingest.js';
import { describe } from '../../core/tl/store.js';
import { parse, positiveInt } from '../args.js';
import { homeDir } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { readCertificates } from './token-input.js';

// One option set for every action (so a misplaced option is named as such, not as unknown).
const OPTIONS = {
  'lotl-url': { type: 'string' },
  'max-lists': { type: 'string' },
  'max-pivots': { type: 'string' },
  'max-bytes': { type: 'string' },
  'allow-private-network': { type: 'boolean' },
  sha256: { type: 'string' },
} as const;
const REFRESH_ONLY = ['lotl-url', 'max-lists', 'max-pivots', 'max-bytes', 'allow-private-network'] as const;

function parseFor(verb: string, argv: readonly string[]) {
  const parsed = parse(`tl ${verb}`, argv, OPTIONS);
  const foreign = [...(verb === 'refresh' ? [] : REFRESH_ONLY), ...(verb === 'anchors' ? [] : ['sha256'])];
  const given = foreign.find((o) => (parsed.values as Record<string, unknown>)[o] !== undefined);
  if (given) throw new UsageError(`tl ${verb}: --${given} belongs to another tl action (see \`sealdesk tl --help\`)`);
  return parsed;
}

export async function tlCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const home = homeDir(io);
  if (verb === 'import') {
    const { values, positionals } = parseFor('import', rest);
    if (positionals.length === 0) throw new UsageError('tl import: name the LOTL file and the national list files');
    const lists = await tlImport(home, positionals);
    if (values.json) printJson(io, lists);
    else io.stdout(lists.map(outcomeLine).join(''));
    return lists.every((l) => l.signature === 'valid') ? EXIT.ok : EXIT.verifyFailed;
  }
  if (verb === 'refresh') {
    const { values, positionals } = parseFor('refresh', rest);
    if (positionals.length > 0) throw new UsageError('tl refresh takes no file (use `tl import` for files)');
    const caps = {
      ...(values['max-lists'] ? { maxLists: positiveInt('--max-lists', values['max-lists'], 1) } : {}),
      ...(values['max-pivots'] ? { maxPivots: positiveInt('--max-pivots', values['max-pivots'], 1) } : {}),
      ...(values['max-bytes'] ? { maxBytes: positiveInt('--max-bytes', values['max-bytes'], 1) } : {}),
      ...(values['allow-private-network'] ? { allowPrivateNetwork: true } : {}),
    };
    const r = await tlRefresh(home, { ...(values['lotl-url'] ? { lotlUrl: values['lotl-url'] } : {}), caps });
    if (values.json) printJson(io, r);
    else {
      io.stdout(r.lists.map(outcomeLine).join(''));
      for (const f of r.failures) io.stdout(`not refreshed: ${f.territory ?? '?'} ${f.url}: ${f.reason}\n`);
      io.stdout(`${r.fetchedBytes} bytes fetched\n`);
    }
    const bad = r.failures.length > 0 || r.lists.some((l) => l.signature !== 'valid');
    return bad ? EXIT.verifyFailed : EXIT.ok;
  }
  if (verb === 'status' || verb === undefined) {
    const { values } = parseFor('status', rest);
    const rows = await tlStatus(home);
    if (values.json) printJson(io, rows);
    else
      io.stdout(
        rows.length === 0 ? 'no trusted lists loaded (`sealdesk tl import` or `tl refresh`)\n' : statusText(rows),
      );
    return EXIT.ok;
  }
  if (verb === 'anchors') return anchors(home, rest, io);
  throw new UsageError(`tl: unknown action "${verb}" (import, refresh, status, anchors)`);
}

async function anchors(home: string, argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseFor('anchors', argv);
  if (positionals[0] === 'add') {
    const file = positionals[1];
    if (!file || positionals.length > 2) throw new UsageError('tl anchors add: name one certificate file');
    const [der] = readCertificates([file]);
    if (!der) throw new UsageError(`tl anchors add: no certificate in ${file}`);
    const a = describe(der);
    if (!values.sha256) {
      throw new UsageError(
        `tl anchors add: ${a.subject}\n  SHA-256 ${a.sha256}\n` +
          'Compare this fingerprint with the Official Journal, then confirm: ' +
          `sealdesk tl anchors add ${file} --sha256 ${a.sha256}`,
      );
    }
    const r = await tlAddAnchor(home, der, values.sha256);
    if (values.json) printJson(io, r);
    else {
      io.stdout(`${r.added ? 'added' : 'already an anchor'}: ${r.anchor.subject} (SHA-256 ${r.anchor.sha256})\n`);
      io.stdout(r.lists.map(outcomeLine).join(''));
    }
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`tl anchors: unknown action "${positionals[0]}" (add)`);
  const rows = await tlAnchors(home);
  if (values.json) printJson(io, rows);
  else {
    io.stdout(`${rows.length} LOTL signing certificates in use\n`);
    for (const a of rows) {
      io.stdout(`${a.source.padEnd(7)} ${a.sha256.slice(0, 16)}  until ${a.notAfter.slice(0, 10)}  ${a.subject}\n`);
    }
  }
  return EXIT.ok;
}

function outcomeLine(o: IngestOutcome): string {
  const what = o.outcome === 'kept-last-good' ? 'refused, last good copy kept' : o.outcome;
  const why = o.reason ? `: ${o.reason}` : '';
  return `${o.territory.padEnd(3)} #${o.sequenceNumber} ${o.signature} (${what}) ${o.source}${why}\n`;
}

function statusText(rows: readonly TlStatusRow[]): string {
  return rows
    .map((r) => {
      const head = `${r.territory.padEnd(3)} #${r.sequenceNumber} issued ${r.issued.slice(0, 10)}`;
      const next = `next update ${r.nextUpdate?.slice(0, 10) ?? 'none'}${r.stale ? ' (PASSED: stale)' : ''}`;
      const sig = `signature ${r.signature}${r.signedBy ? ` by ${r.signedBy}` : ''}${r.reason ? ` (${r.reason})` : ''}`;
      const anchorsLine = r.anchorCount === undefined ? '' : `    checked against ${r.anchorCount} OJ anchors\n`;
      const refused = r.refused ? `    a newer copy was refused (${r.refused.reason}); last good copy kept\n` : '';
      return `${head}, ${next}\n    ${sig}\n    ${r.source}, fetched ${r.fetchedAt}\n${anchorsLine}${refused}`;
    })
    .join('');
}
