// Findings of one run, one file per distinct bug (by signature): `<kind>-<hash>.bin` (the first input that showed it,
// minimised after the run) and `.txt` (the error, its stack, how often it was seen). Also the run's statistics file.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from './targets.js';

export type FindingEntry = {
  readonly signature: string;
  readonly kind: Finding['kind'];
  readonly message: string;
  readonly file: string;
  count: number;
};

export type RunStats = {
  readonly engine: string;
  readonly target: string;
  execs: number;
  seconds: number;
  /** Executions over 2 s that finished (an endless one is the engine's timeout, counted by the runner). */
  hangs: number;
  maxExecMs: number;
  peakRssMb: number;
  findings: FindingEntry[];
};

export const findingFile = (f: Pick<Finding, 'kind' | 'signature'>): string =>
  `${f.kind}-${createHash('sha256').update(f.signature).digest('hex').slice(0, 12)}.bin`;

export class FindingLog {
  private readonly seen = new Map<string, FindingEntry>();
  readonly stats: RunStats;
  private lastWrite = 0;

  constructor(
    readonly dir: string,
    private readonly statsFile: string,
    engine: string,
    target: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.stats = { engine, target, execs: 0, seconds: 0, hangs: 0, maxExecMs: 0, peakRssMb: 0, findings: [] };
  }

  private readonly started = performance.now();

  /** Counts one execution that took `ms`; writes the statistics about once a second. */
  exec(ms: number): void {
    const s = this.stats;
    s.execs++;
    if (ms > s.maxExecMs) s.maxExecMs = ms;
    if ((s.execs & 0xff) === 0) this.flush(false);
  }

  record(f: Finding, input: Uint8Array): void {
    if (f.kind === 'hang') this.stats.hangs++;
    const known = this.seen.get(f.signature);
    if (known) {
      known.count++;
      return;
    }
    const file = findingFile(f);
    writeFileSync(join(this.dir, file), input);
    writeFileSync(join(this.dir, file.replace(/\.bin$/, '.txt')), `${f.signature}\n\n${f.message}\n\n${f.stack}\n`);
    const entry: FindingEntry = { signature: f.signature, kind: f.kind, message: f.message, file, count: 1 };
    this.seen.set(f.signature, entry);
    this.stats.findings.push(entry);
    this.flush(true);
  }

  flush(force: boolean): void {
    const now = performance.now();
    if (!force && now - this.lastWrite < 1000) return;
    this.lastWrite = now;
    this.stats.seconds = (now - this.started) / 1000;
    this.stats.peakRssMb = Math.max(this.stats.peakRssMb, Math.round(process.resourceUsage().maxRSS / 1024));
    writeFileSync(this.statsFile, JSON.stringify(this.stats));
  }
}
