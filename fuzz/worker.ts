// The fuzzing child process fuzz/run.mjs starts (bundled by esbuild), one job per process:
//   seeds <dir>                                       make every target's seeds (fuzz/seeds.ts)
//   mutate <target> <seedDir> <findingsDir> <stats> <seed> <runs> <seconds> <progressFile>
//                                                     the fast-check mutation engine (not coverage-guided)
//   replay <target> <seedDir> <seed> <index> <out>     the input run <index> of a mutate run made (after a crash)
//   minimise <target> <file.bin>...                   shrink each finding's input, keeping its signature
//   check <target> <file>...                          each file's finding (or ok) and time
import fc from 'fast-check';
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { FindingLog } from './findings.js';
import { applyRecipe, recipeArbitrary, type Recipe } from './mutations.js';
import { makeSeeds } from './seeds.js';
import { findingOf, hangOf, isTargetName, runInput, TARGETS, type Finding, type TargetName } from './targets.js';

const BATCH = 1024;

function targetArg(s: string | undefined): TargetName {
  if (!s || !isTargetName(s)) throw new Error(`unknown target ${s}`);
  return s;
}

function loadSeeds(dir: string): Uint8Array[] {
  return readdirSync(dir)
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))));
}

/** Run `index`'s recipe: batches of fast-check samples, each batch from its own seed, so any run replays alone. */
function recipes(target: TargetName, seed: number, batch: number): Recipe[] {
  return fc.sample(recipeArbitrary(target), { seed: (seed * 1_000_003 + batch) | 0, numRuns: BATCH });
}

async function mutate(args: string[]): Promise<void> {
  const [t, seedDir, findingsDir, statsFile, seedS, runsS, secondsS, progressFile] = args;
  const target = targetArg(t);
  const seeds = loadSeeds(seedDir!);
  const seed = Number(seedS);
  const runs = Number(runsS);
  const deadline = performance.now() + Number(secondsS) * 1000;
  const log = new FindingLog(findingsDir!, statsFile!, 'fast-check mutations', target);
  const { run, sync } = TARGETS[target];
  // The run index before each execution, so the parent can replay the input that killed this process.
  const progress = openSync(progressFile!, 'w');
  const mark = Buffer.alloc(16);
  // The seeds as they are first, then mutations.
  const total = seeds.length + runs;
  for (let i = 0; i < total && performance.now() < deadline;) {
    const batch = i < seeds.length ? null : recipes(target, seed, Math.floor((i - seeds.length) / BATCH));
    const end = batch
      ? Math.min(total, seeds.length + (Math.floor((i - seeds.length) / BATCH) + 1) * BATCH)
      : seeds.length;
    for (; i < end && performance.now() < deadline; i++) {
      const data = batch ? applyRecipe(seeds, batch[(i - seeds.length) % BATCH]!) : seeds[i]!;
      mark.write(String(i).padEnd(16), 'latin1');
      writeSync(progress, mark, 0, 16, 0);
      const started = performance.now();
      let error: unknown;
      try {
        if (sync)
          void run(data); // returns no promise
        else await run(data);
      } catch (err) {
        error = err ?? new Error(`thrown: ${String(err)}`);
      }
      const ms = performance.now() - started;
      log.exec(ms);
      const f = (error === undefined ? null : findingOf(target, error)) ?? hangOf(ms);
      if (f) log.record(f, data);
    }
  }
  closeSync(progress);
  log.flush(true);
}

function replay(args: string[]): void {
  const [t, seedDir, seedS, indexS, out] = args;
  const target = targetArg(t);
  const seeds = loadSeeds(seedDir!);
  const i = Number(indexS);
  if (i < seeds.length) return writeFileSync(out!, seeds[i]!);
  const k = i - seeds.length;
  writeFileSync(out!, applyRecipe(seeds, recipes(target, Number(seedS), Math.floor(k / BATCH))[k % BATCH]!));
}

const MINIMISE_BUDGET = 4000;

/** Delta debugging over bytes: drop ever smaller chunks while the input still gives the same finding. */
async function minimiseOne(
  target: TargetName,
  data: Uint8Array,
  same: (f: Finding | null) => boolean,
): Promise<Uint8Array> {
  let best = data;
  let tries = 0;
  const next = (chunk: number) => (chunk === 1 ? 0 : Math.max(1, chunk >> 1));
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1 && tries < MINIMISE_BUDGET; chunk = next(chunk)) {
    for (let at = 0; at < best.length && tries < MINIMISE_BUDGET;) {
      const candidate = new Uint8Array(Buffer.concat([best.subarray(0, at), best.subarray(at + chunk)]));
      tries++;
      if (same(await runInput(target, candidate))) best = candidate;
      else at += chunk;
    }
  }
  return best;
}

async function minimise(args: string[]): Promise<void> {
  const [t, ...files] = args;
  const target = targetArg(t);
  for (const file of files) {
    const data = new Uint8Array(readFileSync(file));
    const first = await runInput(target, data);
    if (!first) {
      console.log(`${file}: no exception finding on a re-run (a hang, or the tree changed): kept as it is`);
      continue;
    }
    const small = await minimiseOne(target, data, (f) => f?.signature === first.signature);
    writeFileSync(file, small);
    console.log(`${file}: ${data.length} -> ${small.length} bytes (${first.signature})`);
  }
}

/** Each file through the target once: its finding (or "ok") and how long it took. */
async function check(args: string[]): Promise<void> {
  const [t, ...files] = args;
  const target = targetArg(t);
  for (const file of files) {
    const started = performance.now();
    const f = await runInput(target, new Uint8Array(readFileSync(file)));
    const ms = Math.round(performance.now() - started);
    console.log(`${file}: ${f ? f.message : 'ok'} (${ms} ms)`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'seeds') console.log(JSON.stringify(await makeSeeds(rest[0]!)));
else if (mode === 'mutate') await mutate(rest);
else if (mode === 'replay') replay(rest);
else if (mode === 'minimise') await minimise(rest);
else if (mode === 'check') await check(rest);
else throw new Error(`unknown mode ${mode}`);
// Handles left by the seed generation (the ledger, timers) must not keep the process alive.
process.exit(0);
