// `npm run bench -- tl`: the real EU trusted lists (LOTL 332, pivots 282/300, seven national lists, 6 MB of XML):
// time to import and verify them from files, to re-verify them from the cache (what `tl anchors add` does), and the
// time of loadSnapshot cold (parsing the cached XML), warm (the compact snapshot.json, what one `verify` pays) and
// again in the same process (the desktop app).
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlImport } from '../core/app/trusted-lists.js';
import { DEFAULT_MAX_PIVOTS } from '../core/tl/chain.js';
import { ingest } from '../core/tl/ingest.js';
import { parseTrustedList } from '../core/tl/parse.js';
import { verifyListSignature } from '../core/tl/signature.js';
import { forgetLoadedSnapshots, loadSnapshot, tlDir } from '../core/tl/store.js';
import { parseXml } from '../core/tl/xml.js';

const DIR = join(process.cwd(), 'test', 'fixtures', 'real-world', 'trusted-lists');
const FILES = ['eu-lotl-332.xml', 'eu-lotl-pivot-300.xml', 'eu-lotl-pivot-282.xml']
  .concat(['BE-66', 'BG-45', 'CZ-141', 'EE-62', 'NL-65', 'PL-139', 'SK-110'].map((t) => `tl-${t}.xml`))
  .map((f) => join(DIR, f));
const RUNS = Number(process.env.BENCH_TL_RUNS ?? 3);

/** Wall time, and this process's CPU time (user + system): the figure that does not depend on the machine's load. */
async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

// Per list: XML parse, TS 119 612 parse, signature check (against no certificate: the full cryptographic work is done,
// only the final "is it an allowed signer" answer differs).
console.log('per list                     bytes      xml    parse   verify');
for (const file of FILES) {
  const bytes = await readFile(file);
  const x = await time(async () => parseXml(bytes));
  const p = await time(async () => parseTrustedList(x.value));
  const v = await time(() => verifyListSignature(x.value, []));
  const name = file.split('/').at(-1)!.padEnd(24);
  console.log(`${name} ${String(bytes.length).padStart(9)} ${fmt(x.ms)} ${fmt(p.ms)} ${fmt(v.ms)}`);
}

const imports: number[] = [];
const importsCpu: number[] = [];
const rechecks: number[] = [];
const rechecksCpu: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
const reused: number[] = [];
let services = 0;
for (let run = 0; run < RUNS; run++) {
  const home = mkdtempSync(join(tmpdir(), 'sealdesk-tl-bench-'));
  try {
    const imported = await time(() => tlImport(home, FILES));
    if (imported.value.some((o) => o.signature !== 'valid')) throw new Error('a real list did not verify');
    imports.push(imported.ms);
    importsCpu.push(imported.cpuMs);
    const recheck = await time(() => ingest(home, { lotls: [], nationals: [] }, new Date(), DEFAULT_MAX_PIVOTS));
    rechecks.push(recheck.ms);
    rechecksCpu.push(recheck.cpuMs);
    unlinkSync(join(tlDir(home), 'snapshot.json'));
    const c = await time(() => loadSnapshot(home));

    cold.push(c.ms);
    services = c.value!.lists.reduce((n, l) => n + l.services.length, 0);
    for (let i = 0; i < 5; i++) {
      forgetLoadedSnapshots(); // as a new process: read snapshot.json
      warm.push((await time(() => loadSnapshot(home))).ms);
      reused.push((await time(() => loadSnapshot(home))).ms);
    }
    if (run === 0) console.log(`\nsnapshot.json: ${statSync(join(tlDir(home), 'snapshot.json')).size} bytes`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
console.log(`${FILES.length} lists (${services} services), median of ${RUNS} runs:`);
console.log(`import + verify from files          ${fmt(median(imports))}  (CPU ${fmt(median(importsCpu))})`);
console.log(`re-verify from the cache             ${fmt(median(rechecks))}  (CPU ${fmt(median(rechecksCpu))})`);
console.log(`loadSnapshot cold (parse cached XML) ${fmt(median(cold))}`);
console.log(`loadSnapshot warm (snapshot.json)    ${fmt(median(warm))}`);
console.log(`loadSnapshot again in one process    ${fmt(median(reused))}`);

// ---- Qualified-status lookup per signature (T2: core/tl/match.ts, qualify.ts) ----------------------------------------
// The index over every listed certificate is built once per snapshot; then each signature or time-stamp asks "which
// services list this certificate or its issuer" (map lookups plus one signature check) and judges the history at T.
// Inputs: the corpus's real qualified tokens when ../shared/corpus is there, else the listed CA/QC certificates.
await qualificationLookup();

async function qualificationLookup(): Promise<void> {
  const { existsSync, readFileSync } = await import('node:fs');
  const { qualifySigner, qualifyTimestamp, tlContext } = await import('../core/tl/assess.js');
  const { inspectTimeStamp } = await import('../core/tsp/token-report.js');
  const home = mkdtempSync(join(tmpdir(), 'sealdesk-tl-bench-q-'));
  try {
    await tlImport(home, FILES);
    const snapshot = (await loadSnapshot(home))!;
    const at = new Date('2023-10-15T12:00:00Z');
    const built = await time(async () => tlContext(snapshot, { now: at }));
    const tl = built.value;
    const corpus = join(process.cwd(), '..', 'shared', 'corpus', 'tsr');
    const names = ['dss_disig-atsu1.tst', 'dss_eurocert-qtsa_two-refs.tst', 'extracted_quovadis-eu_doctst.tst'];
    const tokens = existsSync(corpus)
      ? await Promise.all(names.map(async (n) => inspectTimeStamp(new Uint8Array(readFileSync(join(corpus, n))))))
      : [];
    const cas = tl.index.entries.filter((e) => e.service.type.endsWith('/CA/QC')).slice(0, 200);
    const ROUNDS = 20;
    const perToken: number[] = [];
    const perCert: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of tokens) {
        const q = await time(async () =>
          qualifyTimestamp(tl, t.signerDer!, t.certificates, new Date(t.genTime!), null),
        );
        if (q.value.level !== 'QTST') throw new Error(`a real qualified token came out ${q.value.level}`);
        perToken.push(q.ms);
      }
      for (const e of cas) perCert.push((await time(async () => qualifySigner(tl, e.cert.der, [], at))).ms);
    }
    const us = (ms: number) => `${(ms * 1000).toFixed(0).padStart(6)} µs`;
    console.log(`\nqualified-status lookup (${tl.index.entries.length} listed certificates indexed):`);
    console.log(`build the index once per snapshot     ${fmt(built.ms)}`);
    if (perToken.length) console.log(`per time-stamp (real QTST tokens)     ${us(median(perToken))}  median`);
    console.log(`per certificate (${cas.length} CA/QC, judged)   ${us(median(perCert))}  median`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
