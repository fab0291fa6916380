// `npm run fuzz -- <pdf|cms|tsp|tlv|all> [--runs N] [--seconds S] [--engine auto|jazzer|mutate] [--seed N]`: fuzzes the
// parsers (issue 14) and prints, per target, executions, exec/s, findings, hangs over 2 s and peak RSS. Each finding's
// input (minimised) goes to fuzz/findings/<target>/; the exit code is 1 when this run found anything.
// Engines: Jazzer.js (coverage-guided libFuzzer) when its native addon loads, else fast-check mutations of the seeds
// (not coverage-guided). Each target has a fixed default seed, so a run (the CI smoke run) is reproducible.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..');
const work = join(here, '.work');
const TARGETS = ['pdf', 'cms', 'tsp', 'tlv'];
const SEEDS = { pdf: 14001, cms: 14002, tsp: 14003, tlv: 14004 };
const MAX_LEN = 64 * 1024;
/** libFuzzer kills an execution after this long (an endless loop); one that finishes after 2 s is counted by the target. */
const KILL_AFTER_MS = 10_000;
const HANG_MS = 2000;
const RSS_LIMIT_MB = 2560;
/** An execution the mutate engine's child does not return from for this long is killed and recorded as a hang. */
const STUCK_MS = 30_000;

function usage(message) {
  if (message) console.error(`fuzz: ${message}`);
  console.error(
    'usage: npm run fuzz -- <pdf|cms|tsp|tlv|all> [--runs N] [--seconds S] [--engine auto|jazzer|mutate] [--seed N]' +
      ' [--no-minimise]',
  );
  process.exit(2);
}

const argv = process.argv.slice(2);
const opts = { runs: null, seconds: null, engine: 'auto', seed: null, minimise: true };
let which = null;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => argv[++i] ?? usage(`${a} needs a value`);
  if (a === '--runs') opts.runs = Number(value());
  else if (a === '--seconds') opts.seconds = Number(value());
  else if (a === '--engine') opts.engine = value();
  else if (a === '--seed') opts.seed = Number(value());
  else if (a === '--no-minimise') opts.minimise = false;
  else if (!a.startsWith('-') && !which) which = a;
  else usage(`unknown argument ${a}`);
}
if (!which || (which !== 'all' && !TARGETS.includes(which))) usage(which ? `unknown target ${which}` : 'name a target');
if (!['auto', 'jazzer', 'mutate'].includes(opts.engine)) usage(`unknown engine ${opts.engine}`);
for (const k of ['runs', 'seconds', 'seed']) {
  if (opts[k] !== null && !(Number.isInteger(opts[k]) && opts[k] >= 0)) usage(`--${k} must be a whole number`);
}
if (opts.runs === null && opts.seconds === null) opts.runs = 1_000_000;
const targets = which === 'all' ? TARGETS : [which];

mkdirSync(work, { recursive: true });
// Inline source maps: a finding's stack names core/... files (Jazzer.js chains them through its instrumentation).
const bundle = (entry, outfile, extra) =>
  build({
    entryPoints: [join(here, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile,
    sourcemap: 'inline',
    logLevel: 'warning',
    ...extra,
  });
const workerJs = join(work, 'worker.mjs');
await bundle('worker.ts', workerJs, { format: 'esm', packages: 'external' });

const env = { ...process.env, SEALDESK_CORPUS: process.env.SEALDESK_CORPUS ?? resolve(root, '..', 'shared', 'corpus') };
const nodeArgs = ['--max-old-space-size=2048'];
function worker(args, options = {}) {
  const argv = [...nodeArgs, '--enable-source-maps', workerJs, ...args];
  return spawnSync(process.execPath, argv, { cwd: root, env, encoding: 'utf8', ...options });
}

const engine = pickEngine();
const engineName =
  engine === 'jazzer'
    ? 'Jazzer.js (coverage-guided, libFuzzer)'
    : 'fast-check mutations of the seeds (NOT coverage-guided)';
console.log(`engine: ${engineName}`);

const seedDir = join(work, 'seeds');
const made = worker(['seeds', seedDir]);
if (made.status !== 0) {
  console.error(made.stdout, made.stderr);
  process.exit(2);
}
console.log(`seeds: ${made.stdout.trim()}`);

const summaries = [];
for (const target of targets) summaries.push(await fuzzTarget(target));

console.log('\ntarget  engine   execs        exec/s   findings  hangs>2s  slowest ms  peak RSS MB');
for (const s of summaries) {
  const rate = Math.round(s.execs / Math.max(s.seconds, 0.001));
  const cells = [
    [s.execs, 10],
    [rate, 8],
    [s.failing, 8],
    [s.hangs, 8],
    [Math.round(s.maxExecMs), 10],
    [s.peakRssMb, 11],
  ];
  console.log(`${s.target.padEnd(7)} ${s.engine.padEnd(8)} ${cells.map(([v, w]) => String(v).padStart(w)).join('  ')}`);
  for (const f of s.findings) {
    const note = f.kind === 'hang' && !f.confirmed ? ' (not slow on its own: not counted)' : '';
    console.log(
      `        ${f.kind} ×${f.count}: ${f.signature}${note}\n          ${join('fuzz', 'findings', s.target, f.file)}`,
    );
  }
}
process.exit(summaries.some((s) => s.failing > 0) ? 1 : 0);

function pickEngine() {
  if (opts.engine === 'mutate') return 'mutate';
  const probeArgs = ['--require', join(here, 'jazzer-addon.cjs'), '-e', "require('@jazzer.js/fuzzer')"];
  const probe = spawnSync(process.execPath, probeArgs, { cwd: root, encoding: 'utf8' });
  if (probe.status === 0) return 'jazzer';
  const why = (probe.stderr.match(/Error: .*/) ?? [probe.stderr.trim().split('\n')[0]])[0];
  if (opts.engine === 'jazzer')
    usage(`Jazzer.js's addon does not load (${why}); fuzz/build-jazzer-addon.sh builds one`);
  console.log(`Jazzer.js's native addon does not load here (${why}); fuzz/build-jazzer-addon.sh can build one.`);
  return 'mutate';
}

function listFindings(dir) {
  return existsSync(dir) ? new Set(readdirSync(dir)) : new Set();
}

async function fuzzTarget(target) {
  const findingsDir = join(root, 'fuzz', 'findings', target);
  mkdirSync(findingsDir, { recursive: true });
  const before = listFindings(findingsDir);
  const seed = opts.seed ?? SEEDS[target];
  console.log(`\n== ${target} (seed ${seed}) ==`);
  const s =
    engine === 'jazzer' ? await runJazzer(target, findingsDir, seed) : await runMutate(target, findingsDir, seed);
  // Crash, timeout and out-of-memory inputs the engines saved themselves.
  for (const f of listFindings(findingsDir)) {
    if (before.has(f) || !/^(crash|timeout|oom|slow-unit|leak)-/.test(f)) continue;
    s.findings.push({
      kind: f.split('-')[0],
      signature: `${f.split('-')[0]} (the engine stopped on it)`,
      file: f,
      count: 1,
    });
    if (f.startsWith('timeout')) s.hangs++;
  }
  const fresh = s.findings
    .filter((f) => f.kind === 'exception' && !before.has(f.file))
    .map((f) => join(findingsDir, f.file));
  if (opts.minimise && fresh.length > 0) {
    console.log(`minimising ${fresh.length} finding(s)...`);
    const m = worker(['minimise', target, ...fresh], { stdio: 'inherit', timeout: 600_000 });
    if (m.status !== 0) console.log('minimising failed; the inputs are kept as found');
  }
  // Slow inputs again, alone and uninstrumented, three times: a hang is confirmed when even the fastest run is over 2 s
  // (the first execution of a cold, instrumented process on a loaded machine can be slow for no fault of the input).
  for (const f of s.findings.filter((x) => x.kind === 'hang')) {
    const file = join(findingsDir, f.file);
    const r = worker(['check', target, file, file, file], { timeout: 600_000 });
    const times = [...(r.stdout ?? '').matchAll(/\((\d+) ms\)$/gm)].map((m) => Number(m[1]));
    f.confirmed = times.length === 3 && Math.min(...times) > HANG_MS;
    const verdict = f.confirmed ? 'a hang' : 'not slow on its own (not counted as a finding)';
    console.log(`${f.file} re-run alone: ${times.join(', ')} ms: ${verdict}`);
  }
  s.failing = s.findings.filter((f) => f.kind !== 'hang' || f.confirmed).length;
  return s;
}

function readStats(file, fallback) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return fallback;
  }
}

/** Jazzer.js in-process over the seeds; restarted (up to 5 times) when libFuzzer stops on a timeout, OOM or crash. */
async function runJazzer(target, findingsDir, seed) {
  const corpus = join(work, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  const entry = join(work, `jazzer-${target}.cjs`);
  await bundle('jazzer-entry.ts', entry, { format: 'cjs' });
  const total = { engine: 'jazzer', target, execs: 0, seconds: 0, hangs: 0, maxExecMs: 0, peakRssMb: 0, findings: [] };
  const started = Date.now();
  for (let attempt = 0; attempt < 6; attempt++) {
    const left = opts.seconds === null ? null : opts.seconds - (Date.now() - started) / 1000;
    const runsLeft = opts.runs === null ? null : opts.runs - total.execs;
    if ((left !== null && left < 1) || (runsLeft !== null && runsLeft <= 0)) break;
    const stats = join(work, `stats-${target}-${attempt}.json`);
    rmSync(stats, { force: true });
    const libfuzzer = [
      `-seed=${seed + attempt}`,
      `-max_len=${MAX_LEN}`,
      `-rss_limit_mb=${RSS_LIMIT_MB}`,
      `-artifact_prefix=${findingsDir}/`,
      '-print_final_stats=1',
      '-print_pcs=0',
    ];
    if (runsLeft !== null) libfuzzer.push(`-runs=${runsLeft}`);
    if (left !== null) libfuzzer.push(`-max_total_time=${Math.ceil(left)}`);
    const cli = join(root, 'node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');
    const args = [
      '--require',
      join(here, 'jazzer-addon.cjs'),
      ...nodeArgs,
      cli,
      entry,
      corpus,
      join(seedDir, target),
      ...(target === 'cms' ? [] : ['--sync']),
      `--timeout=${KILL_AFTER_MS}`,
      '--disable_bug_detectors=.*',
      '--',
      ...libfuzzer,
    ];
    const childEnv = {
      ...env,
      SEALDESK_FUZZ_TARGET: target,
      SEALDESK_FUZZ_FINDINGS: findingsDir,
      SEALDESK_FUZZ_STATS: stats,
    };
    const out = await spawnLogged(args, childEnv);
    const s = readStats(stats, { execs: 0, seconds: 0, hangs: 0, maxExecMs: 0, peakRssMb: 0, findings: [] });
    const units = Number(
      /stat::number_of_executed_units:\s*(\d+)/.exec(out.text)?.[1] ?? /Done (\d+) runs/.exec(out.text)?.[1] ?? s.execs,
    );
    const rss = Number(/stat::peak_rss_mb:\s*(\d+)/.exec(out.text)?.[1] ?? 0);
    total.execs += Math.max(units, s.execs);
    total.seconds += s.seconds;
    total.hangs += s.hangs;
    total.maxExecMs = Math.max(total.maxExecMs, s.maxExecMs);
    total.peakRssMb = Math.max(total.peakRssMb, s.peakRssMb, rss);
    for (const f of s.findings) {
      const known = total.findings.find((k) => k.signature === f.signature);
      if (known) known.count += f.count;
      else total.findings.push(f);
    }
    if (out.code === 0) break;
    console.log(
      `libFuzzer stopped (exit ${out.code}); ${/ERROR: libFuzzer: [^\n]*/.exec(out.text)?.[0] ?? 'see above'}; continuing`,
    );
  }
  return total;
}

/** The fast-check engine in a child; a child that dies or is stuck has the input it was on replayed and saved. */
async function runMutate(target, findingsDir, seed) {
  const stats = join(work, `stats-${target}.json`);
  const progress = join(work, `progress-${target}`);
  rmSync(stats, { force: true });
  const runs = opts.runs ?? 1e12;
  const seconds = opts.seconds ?? 1e9;
  const started = Date.now();
  const args = [
    ...nodeArgs,
    '--enable-source-maps',
    workerJs,
    'mutate',
    target,
    join(seedDir, target),
    findingsDir,
    stats,
    String(seed),
    String(runs),
    String(seconds),
    progress,
  ];
  const out = await spawnLogged(args, env, progress);
  const s = readStats(stats, {
    engine: 'fast-check',
    target,
    execs: 0,
    seconds: 0,
    hangs: 0,
    maxExecMs: 0,
    peakRssMb: 0,
    findings: [],
  });
  s.engine = 'mutate';
  s.seconds = Math.max(s.seconds, (Date.now() - started) / 1000);
  if (out.code !== 0) {
    const index = readFileSync(progress, 'latin1').trim();
    const kind = out.stuck ? 'timeout' : /heap out of memory|Allocation failed/.test(out.text) ? 'oom' : 'crash';
    const file = `${kind}-${target}-run${index}.bin`;
    worker(['replay', target, join(seedDir, target), String(seed), index, join(findingsDir, file)]);
    const what = out.stuck ? `was stuck for ${STUCK_MS / 1000} s` : `died (exit ${out.code})`;
    console.log(`the child ${what} on run ${index}: input saved as ${file}`);
  }
  return s;
}

/** Runs node with `args`, echoing its output; kills it when `progressFile` has not changed for STUCK_MS. */
function spawnLogged(args, childEnv, progressFile = null) {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const echo = (chunk) => {
      const t = chunk.toString();
      text = (text + t).slice(-200_000);
      for (const line of t.split('\n')) {
        if (/^#\d+\s+(pulse|DONE)|^Done |ERROR|stat::|^the |Error/.test(line)) process.stdout.write(`  ${line}\n`);
      }
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    let stuck = false;
    let last = '';
    let since = Date.now();
    const watch =
      progressFile &&
      setInterval(() => {
        let now = '';
        try {
          now = `${readFileSync(progressFile, 'latin1')}@${statSync(progressFile).mtimeMs}`;
        } catch {
          return;
        }
        if (now !== last) [last, since] = [now, Date.now()];
        else if (Date.now() - since > STUCK_MS) {
          stuck = true;
          child.kill('SIGKILL');
        }
      }, 1000);
    child.on('close', (code, signal) => {
      if (watch) clearInterval(watch);
      done({ code: code ?? (signal ? 128 : 1), text, stuck });
    });
  });
}
