// `sealdesk restamp <record-id>... [--tsa auto|<slug>] [--allow-missing-validation-data] [--json]` (seed /tsa/restamp):
// a new link for a stamp chain, a new archive time-stamp for a sealed PDF or .p7s; `--expiring-within <N>d` for every
// one due. Argument parsing and printing over core/app/restamp.ts and core/app/due-overview.ts.
import { NO_TSA_EXTENDS, verdictText } from '../../core/archive/index.js';
import { dueOverview, type DueOverview } from '../../core/app/due-overview.js';
import {
  restampOne,
  runBulkRestamp,
  startBulkRestamp,
  type BulkRestampOptions,
  type SealRestampPolicy,
} from '../../core/app/restamp.js';
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { missingWarning, sealLines, sealSelectionText } from './restamp-seals.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';
import { progressLine } from '../progress.js';

export async function restampCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: ids } = parse('restamp', argv, {
    tsa: { type: 'string', default: 'auto' },
    'expiring-within': { type: 'string' },
    'include-weak-hashes': { type: 'boolean' },
    scope: { type: 'string' },
    'dry-run': { type: 'boolean' },
    concurrency: { type: 'string' },
    'per-tsa': { type: 'string' },
    rate: { type: 'string', multiple: true },
    'allow-missing-validation-data': { type: 'boolean' },
    'allow-private-network': { type: 'boolean' },
    remote: { type: 'boolean' },
  });
  if (values.remote) {
    if (ids.length === 0 || values['expiring-within'] !== undefined)
      throw new UsageError('restamp --remote: name the record ids to restamp via the server (no --expiring-within)');
    // Loaded for --remote only: the server client and the check of its answer are not a local run's start-up.
    const { remoteRestampCli } = await import('./remote-work.js');
    return remoteRestampCli(io, ids, values.tsa!, values.json === true);
  }
  const policy = {
    allowMissingValidationData: values['allow-missing-validation-data'] ?? false,
    allowPrivateNetwork: values['allow-private-network'] ?? false,
  };
  if (values['expiring-within'] !== undefined) {
    if (ids.length > 0) throw new UsageError('restamp: give record ids or --expiring-within, not both');
    const m = /^(\d{1,5})d$/.exec(values['expiring-within']);
    if (!m) throw new UsageError('--expiring-within wants a number of days, e.g. 90d');
    const scope = values.scope ?? 'local';
    if (scope !== 'local' && scope !== 'remote' && scope !== 'all')
      throw new UsageError('--scope is local (chains made here), remote (pulled from the server) or all');
    const o: BulkRestampOptions = {
      scope,
      expiringWithinDays: Number(m[1]),
      includeWeakHashes: values['include-weak-hashes'] ?? false,
      tsa: values.tsa!,
      concurrency: whole('concurrency', values.concurrency),
      perTsa: whole('per-tsa', values['per-tsa']),
      rate: values.rate ?? [],
      ...policy,
    };
    const json = values.json === true;
    return values['dry-run'] ? dryRun(io, o, json) : bulkRestamp(io, o, values['expiring-within'], json);
  }
  if (values.scope !== undefined) throw new UsageError('--scope applies to --expiring-within runs only');
  if (ids.length === 0) {
    throw new UsageError(
      'restamp: name at least one record id (`sealdesk history` shows them), or --expiring-within <N>d',
    );
  }
  return restampIds(io, ids, values.tsa!, policy, values.json === true);
}

function whole(flag: string, v: string | undefined): number | undefined {
  const n = Number(v);
  if (v !== undefined && (!Number.isInteger(n) || n < 1 || n > 16))
    throw new UsageError(`--${flag} is a whole number from 1 to 16`);
  return v === undefined ? undefined : n;
}

async function restampIds(
  io: CliIo,
  ids: readonly string[],
  tsa: string,
  policy: SealRestampPolicy,
  json: boolean,
): Promise<ExitCode> {
  return withLedger(io, async (db) => {
    const ctx = stampContext(db, io);
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const id of ids) {
      try {
        // A sealed file, in place: a .p7s gets validation data and an archive-time-stamp-v3 (CAdES B-LTA), a PDF a
        // refreshed DSS and a document time-stamp (PAdES-LTA) — refused when validation data is missing, unless allowed.
        const r = await restampOne(ctx, id, tsa, policy);
        codes.push(EXIT.ok);
        if (r.kind === 'seal') {
          const missing = r.missingValidationData;
          out.push({
            id: r.id,
            format: r.format,
            tsaName: r.tsaName,
            outputPath: r.outputPath,
            level: 'B-LTA',
            ...(missing.length ? { missingValidationData: missing } : {}),
          });
          const what = r.format === 'cades' ? 'archive' : 'document';
          if (!json)
            io.stdout(
              `${id}: ${r.outputPath} restamped (${what} time-stamp by ${r.tsaName}, validation data refreshed)\n`,
            );
          if (!json) io.stderr(missingWarning(id, missing));
          continue;
        }
        const rec = r.record;
        out.push({
          id: rec.id,
          parentTransactionId: r.parent.id,
          tsaName: rec.tsaName,
          genTime: rec.genTime,
          tsrPath: r.tsrPath,
        });
        if (!json)
          io.stdout(
            `${id}: restamped by ${rec.tsaName} at ${rec.genTime} → ${r.tsrPath ?? 'the ledger (a chain from the server)'}` +
              ` (new record ${rec.id})\n`,
          );
      } catch (err) {
        codes.push(exitFor(err));
        out.push(errorJson(err, { id }));
        printError(io, err, `${id}: `);
      }
    }
    if (json) printJson(io, ids.length === 1 ? out[0] : out);
    return combineExit(codes);
  });
}

/** The stamp chains' counts and the window's end: the head of both the dry run's and the run's output. */
const summaryOf = (p: DueOverview) => ({ ...p.stamps, before: p.before });

/** `--dry-run`: the window's chains and sealed files by month and by TSA, and per TSA (auto) whether it extends them. */
async function dryRun(io: CliIo, o: BulkRestampOptions, json: boolean): Promise<ExitCode> {
  const plan = await withLedger(io, (db) => dueOverview(db, o, { ids: json }));
  const summary = summaryOf(plan);
  const blocked = plan.noTsaExtendsProtection;
  if (json) {
    printJson(io, {
      ...summary,
      dryRun: true,
      ids: plan.ids,
      seals: plan.seals,
      tsas: plan.tsas,
      noTsaExtendsProtection: blocked,
    });
    return EXIT.ok;
  }
  const until = summary.before.slice(0, 10);
  const lines = (counts: Readonly<Record<string, number>>, sep: string) =>
    Object.entries(counts)
      .map(([k, n]) => `  ${k}${sep}${n}\n`)
      .join('');
  io.stdout(
    `${summary.selected} chain(s) to restamp (TSA certificates expiring before ${until}${o.includeWeakHashes ? ', or SHA-1 imprints' : ''})\n` +
      `${lines(summary.byMonth, '  ')}${lines(summary.byTsa, ': ')}${sealSelectionText(plan.seals)}`,
  );
  const before = new Date(plan.before);
  if (plan.tsas.length)
    io.stdout(
      `TSAs for the new links (auto):\n${plan.tsas.map((v) => `  ${v.slug}: ${verdictText(v, before)}\n`).join('')}`,
    );
  if (blocked) {
    io.stdout(
      `${blocked} chain(s) would not be restamped: ${NO_TSA_EXTENDS} (no enabled TSA's certificate outlasts ${until}; nothing would be requested)\n`,
    );
  }
  return EXIT.ok;
}

/** `restamp --expiring-within <N>d`: the newest link of every chain whose TSA certificate expires in the window. */
async function bulkRestamp(io: CliIo, o: BulkRestampOptions, within: string, json: boolean): Promise<ExitCode> {
  return withLedger(io, async (db) => {
    const now = new Date();
    const summary = summaryOf(await dueOverview(db, o, { now }));
    // A run that did not finish is resumed first: the journal says which chains still need their new link.
    const run = await startBulkRestamp(db, { by: 'window' }, o, now);
    if (run.resumed && !json)
      io.stderr(`resuming the restamp run of ${run.job.createdAt.slice(0, 19)} (${run.job.id})\n`);
    const started = Date.now();
    const sealLine = progressLine(
      io.stderr,
      (p) => `sealed files: restamped ${p.done} · failed ${p.failed} · remaining ${p.total - p.done - p.failed}`,
    );
    const chainLine = progressLine(io.stderr, (p) => {
      const rate = p.done / Math.max(1, (Date.now() - started) / 1000);
      const remaining = p.total - p.done - p.failed;
      return (
        `restamped ${p.done} · failed ${p.failed} · remaining ${remaining} · ${rate.toFixed(1)}/s` +
        `${rate > 0 && remaining > 0 ? ` · about ${eta(remaining / rate)} left` : ''}`
      );
    });
    // Sealed files first (in place, one new archive time-stamp each), then the stamp chains.
    const r = await runBulkRestamp(stampContext(db, io), run, o, {
      results: json,
      onProgress: json ? undefined : (p) => (p.phase === 'seals' ? sealLine : chainLine)(p),
      onSealsDone: json
        ? undefined
        : (sealed) => {
            const lines = sealLines(sealed);
            if (lines) io.stderr(`\n${lines}`);
            if (sealed.total) io.stderr('\n');
          },
    });
    if (!json && r.chains.total) io.stderr('\n');
    const { seals: sealed, chains: result } = r;
    const sealJson = { selected: sealed.total, restamped: sealed.done, failed: sealed.failed, results: sealed.results };
    if (json) {
      printJson(io, {
        ...summary,
        job: run.job.id,
        resumed: run.resumed,
        selected: result.total,
        restamped: result.done,
        failed: result.failed,
        noTsaExtendsProtection: result.noTsaExtends,
        results: result.results,
        seals: sealJson,
      });
    } else {
      const failed = result.failed + sealed.failed;
      io.stdout(
        `${result.done} of ${result.total} chain(s) have their new link` +
          `; ${sealed.done} of ${sealed.total} sealed file(s) have a new archive time-stamp` +
          `${failed ? `; ${failed} failed — run the same command again to retry them` : ''}\n`,
      );
      const until = summary.before.slice(0, 10);
      const hint = `\`sealdesk restamp --expiring-within ${within} --dry-run\` shows each TSA`;
      if (result.noTsaExtends)
        io.stdout(
          `${result.noTsaExtends} chain(s) not restamped: ${NO_TSA_EXTENDS} — no enabled TSA's certificate outlasts ${until}; enable or add one (${hint})\n`,
        );
    }
    return result.failed || sealed.failed ? EXIT.verifyFailed : EXIT.ok;
  });
}

/** 42 s, 7 min, 3 h 05 min: how long the rest of a bulk run takes at its rate so far. */
function eta(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')} min`;
}
