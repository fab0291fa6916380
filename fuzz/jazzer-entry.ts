// The module Jazzer.js loads (bundled to CommonJS by fuzz/run.mjs, so core and pkijs are instrumented for coverage):
// `fuzz(data)` runs the target named by SEALDESK_FUZZ_TARGET and records findings itself instead of throwing, so one
// run counts every distinct bug and keeps going; libFuzzer's own timeout (-timeout) and RSS limit catch what cannot return.
import { FindingLog } from './findings.js';
import { findingOf, hangOf, isTargetName, TARGETS, type TargetName } from './targets.js';

const name = process.env.SEALDESK_FUZZ_TARGET ?? '';
if (!isTargetName(name)) throw new Error(`SEALDESK_FUZZ_TARGET must name a target, got "${name}"`);
const target: TargetName = name;
const log = new FindingLog(process.env.SEALDESK_FUZZ_FINDINGS!, process.env.SEALDESK_FUZZ_STATS!, 'jazzer', target);
const run = TARGETS[target].run;

function done(data: Uint8Array, started: number, err: unknown): void {
  const ms = performance.now() - started;
  log.exec(ms);
  const f = (err === undefined ? null : findingOf(target, err)) ?? hangOf(ms);
  if (f) log.record(f, data);
}

function fuzzSync(data: Buffer): void {
  const started = performance.now();
  let error: unknown;
  try {
    void run(data); // a sync target: run() returns no promise
  } catch (err) {
    error = err ?? new Error(`thrown: ${String(err)}`);
  }
  done(data, started, error);
}

async function fuzzAsync(data: Buffer): Promise<void> {
  const started = performance.now();
  let error: unknown;
  try {
    await run(data);
  } catch (err) {
    error = err ?? new Error(`thrown: ${String(err)}`);
  }
  done(data, started, error);
}

export const fuzz = TARGETS[target].sync ? fuzzSync : fuzzAsync;
