// `sealdesk restamp <record-id>... [--tsa auto|<slug>] [--allow-missing-validation-data] [--json]` (seed /tsa/restamp):
// a new link for a stamp chain, a new archive time-stamp for a sealed PDF or .p7s; `--expiring-within <N>d` for every one due.
import {
  DEFAULT_PER_TSA, NO_TSA_EXTENDS, RateLimiter, countDue, dueBefore, judgeTsa, parseRate, restamp, runRestampJob, verdictText, type RateLimits,
} from '../../core/archive/index.js';
import { UsageError } from '../../core/errors.js';
import { createRestampJobFor, expiringLinkFacts, getOperation, listTsas, openRestampJob } from '../../core/ledger/index.js';
import { restampSeal } from '../../core/archive/index.js';
import { parse } from '../args.js';
import { missingWarning, restampSeals, sealSelectionText, selectSeals } from './restamp-seals.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';
import { progressLine } from '../progress.js';

export async function restampCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: ids } = parse('restamp', argv, {
    tsa: { type: 'string', default: 'auto' }, 'expiring-within': { type: 'string' }, 'include-weak-hashes': { type: 'boolean' }, 'dry-run': { type: 'boolean' }, concurrency: { type: 'string' },
    'per-tsa': { type: 'string' }, rate: { type: 'string', multiple: true }, 'allow-missing-validation-data': { type: 'boolean' }, 'allow-private-network': { type: 'boolean' },
  });
  const policy = { allowMissingValidationData: values['allow-missing-validation-data'] ?? false, allowPrivateNetwork: values['allow-private-network'] ?? false };
  if (values['expiring-within'] !== undefined) {
    if (ids.length > 0) throw new UsageError('restamp: give record ids or --expiring-within, not both');
    return bulkRestamp(io, { within: values['expiring-within'], includeWeak: values['include-weak-hashes'] ?? false, dryRun: values['dry-run'] ?? false, concurrency: values.concurrency, perTsa: values['per-tsa'], tsa: values.tsa!, json: values.json, rate: new Map((values.rate ?? []).map(parseRate)), ...policy });
  }
  if (ids.length === 0) throw new UsageError('restamp: name at least one record id (`sealdesk history` shows them), or --expiring-within <N>d');
  return withLedger(io, async (db) => {
    const ctx = stampContext(db, io);
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const id of ids) {
      try {
        const op = getOperation(db, id);
        if (op) {
          // A sealed file, in place: a .p7s gets validation data and an archive-time-stamp-v3 (CAdES B-LTA), a PDF a
          // refreshed DSS and a document time-stamp (PAdES-LTA) — refused when validation data is missing, unless allowed.
          const p = await restampSeal(ctx, op, values.tsa!, policy);
          codes.push(EXIT.ok);
          out.push({ id: op.id, format: p.format, tsaName: p.tsaName, outputPath: p.path, level: 'B-LTA', ...(p.missing.length ? { missingValidationData: p.missing } : {}) });
          if (!values.json) io.stdout(`${id}: ${p.path} restamped (${p.format === 'cades' ? 'archive' : 'document'} time-stamp by ${p.tsaName}, validation data refreshed)\n`);
          if (!values.json) io.stderr(missingWarning(id, p.missing));
          continue;
        }
        const r = await restamp(ctx, id, values.tsa!);
        codes.push(EXIT.ok);
        out.push({ id: r.record.id, parentTransactionId: r.parent.id, tsaName: r.record.tsaName, genTime: r.record.genTime, tsrPath: r.tsrPath });
        if (!values.json) io.stdout(`${id}: restamped by ${r.record.tsaName} at ${r.record.genTime} → ${r.tsrPath} (new record ${r.record.id})\n`);
      } catch (err) {
        codes.push(exitFor(err));
        out.push(errorJson(err, { id }));
        printError(io, err, `${id}: `);
      }
    }
    if (values.json) printJson(io, ids.length === 1 ? out[0] : out);
    return combineExit(codes);
  });
}

type Bulk = { within: string; includeWeak: boolean; dryRun: boolean; concurrency?: string; perTsa?: string; tsa: string; json?: boolean; rate: RateLimits; allowMissingValidationData: boolean; allowPrivateNetwork: boolean };

/** `restamp --expiring-within <N>d`: the newest link of every chain whose TSA certificate expires in the window. */
async function bulkRestamp(io: CliIo, b: Bulk): Promise<ExitCode> {
  const m = /^(\d{1,5})d$/.exec(b.within);
  if (!m) throw new UsageError('--expiring-within wants a number of days, e.g. 90d');
  const whole = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (v !== undefined && (!Number.isInteger(n) || n < 1 || n > 16)) throw new UsageError(`--${flag} is a whole number from 1 to 16`);
    return v === undefined ? undefined : n;
  };
  const perTsa = whole('per-tsa', b.perTsa) ?? DEFAULT_PER_TSA;
  const given = whole('concurrency', b.concurrency);
  return withLedger(io, async (db) => {
    // Default: twice the TSAs' slots, so each chain's local work (checking the reply, the ledger, the .tsr) overlaps
    // the TSAs' work and every TSA the run may use stays at its in-flight bound.
    const tsas = b.tsa === 'auto' ? listTsas(db).filter((t) => t.enabled && t.url).length : 1;
    const concurrency = given ?? Math.min(16, 2 * perTsa * Math.max(1, tsas));
    const before = dueBefore(new Date(), Number(m[1]));
    // Ids and facts only, row by row: the .tsr blobs are loaded one chain at a time when it is restamped.
    const q = { before, includeWeak: b.includeWeak };
    const counts = countDue(expiringLinkFacts(db, q)); // the same counts as the desktop Restamp view
    const ids = b.dryRun && b.json ? Array.from(expiringLinkFacts(db, q), (r) => r.id) : undefined;
    const summary = { ...counts, before: before.toISOString() };
    const seals = await selectSeals(db, before);
    if (b.dryRun) {
      // Per TSA (auto): whether its last seen certificate outlasts the window, i.e. whether a link from it extends
      // protection. None can: every chain due would be reported no_tsa_extends_protection, nothing requested.
      const enabled = b.tsa === 'auto' ? listTsas(db).filter((t) => t.enabled && t.url) : [];
      const tsas = enabled.map((t) => judgeTsa(t, before, { protectedUntil: null, tsaSlug: null }));
      const blocked = b.tsa === 'auto' && !tsas.some((v) => v.reason === 'extends' || v.reason === 'unknown') ? summary.selected : 0;
      if (b.json) printJson(io, { ...summary, dryRun: true, ids, seals, tsas, noTsaExtendsProtection: blocked });
      else {
        io.stdout(`${summary.selected} chain(s) to restamp (TSA certificates expiring before ${summary.before.slice(0, 10)}${b.includeWeak ? ', or SHA-1 imprints' : ''})\n${Object.entries(summary.byMonth).map(([k, n]) => `  ${k}  ${n}\n`).join('')}${Object.entries(summary.byTsa).map(([k, n]) => `  ${k}: ${n}\n`).join('')}${sealSelectionText(seals)}`);
        if (tsas.length) io.stdout(`TSAs for the new links (auto):\n${tsas.map((v) => `  ${v.slug}: ${verdictText(v, before)}\n`).join('')}`);
        const until = summary.before.slice(0, 10);
        if (blocked) io.stdout(`${blocked} chain(s) would not be restamped: ${NO_TSA_EXTENDS} (no enabled TSA's certificate outlasts ${until}; nothing would be requested)\n`);
      }
      return EXIT.ok;
    }
    // A run that did not finish is resumed first: the journal says which chains still need their new link.
    const open = openRestampJob(db);
    const job = open ?? createRestampJobFor(db, { createdAt: new Date().toISOString(), before: summary.before, includeWeak: b.includeWeak, tsa: b.tsa }, { before, includeWeak: b.includeWeak });
    if (open && !b.json) io.stderr(`resuming the restamp run of ${open.createdAt.slice(0, 19)} (${open.id})\n`);
    // Sealed files first (in place, one new archive time-stamp each): the run stays open until its stamp chains are
    // done too, so a kill anywhere resumes both; a seal that failed is selected again by the next run.
    const sealed = await restampSeals(io, db, job, { resumed: open !== null, selection: seals, concurrency: Math.min(concurrency, 4), json: b.json === true, allowMissingValidationData: b.allowMissingValidationData, allowPrivateNetwork: b.allowPrivateNetwork });
    if (!b.json && sealed.total) io.stderr('\n');
    const started = Date.now();
    const result = await runRestampJob(stampContext(db, io), job, {
      concurrency,
      perTsa,
      results: b.json === true,
      limiter: b.rate.size ? new RateLimiter(b.rate) : undefined,
      onProgress: b.json ? undefined : progressLine(io.stderr, (p) => {
        const rate = p.done / Math.max(1, (Date.now() - started) / 1000);
        const remaining = p.total - p.done - p.failed;
        return `restamped ${p.done} · failed ${p.failed} · remaining ${remaining} · ${rate.toFixed(1)}/s${rate > 0 && remaining > 0 ? ` · about ${eta(remaining / rate)} left` : ''}`;
      }),
    });
    if (!b.json && result.total) io.stderr('\n');
    const sealJson = { selected: sealed.total, restamped: sealed.done, failed: sealed.failed, results: sealed.results };
    if (b.json) printJson(io, { ...summary, job: job.id, resumed: open !== null, selected: result.total, restamped: result.done, failed: result.failed, noTsaExtendsProtection: result.noTsaExtends, results: result.results, seals: sealJson });
    else {
      io.stdout(`${result.done} of ${result.total} chain(s) have their new link; ${sealed.done} of ${sealed.total} sealed file(s) have a new archive time-stamp${result.failed + sealed.failed ? `; ${result.failed + sealed.failed} failed — run the same command again to retry them` : ''}\n`);
      const until = summary.before.slice(0, 10);
      const hint = `\`sealdesk restamp --expiring-within ${b.within} --dry-run\` shows each TSA`;
      if (result.noTsaExtends) io.stdout(`${result.noTsaExtends} chain(s) not restamped: ${NO_TSA_EXTENDS} — no enabled TSA's certificate outlasts ${until}; enable or add one (${hint})\n`);
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
