// `npm run bench -- verify-corpus`: the verdict table for every real-world PDF the tests use — file, the verdict its
// source asserts, Sealdesk's (offline, no trust anchor) and pdfsig's — with how many rows each matches. The corpus
// rows come from ../shared/corpus; the fetched EU DSS / pyHanko files of test/fixtures/real-world/MANIFEST.tsv join
// when SEALDESK_REAL_WORLD names the folder that holds them (as <dir>/<repo>/<path>).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, corpusPdfRows, heldTo, SOURCE_CORRECTED } from '../test/helpers/corpus-verdicts.js';

type Verdict = 'valid' | 'invalid' | 'refused' | 'indeterminate';
type Row = { file: string; path: string; source: string; expected: Verdict | 'attack' | 'unknown' };

const work = mkdtempSync(join(process.env.BENCH_WORK ?? '/tmp', 'verify-corpus-'));

function rows(): Row[] {
  const out: Row[] = corpusPdfRows().map((r) => {
    const held = heldTo(r);
    const note = SOURCE_CORRECTED[r.name] ? ` (source said ${r.source}: ${SOURCE_CORRECTED[r.name]!.why})` : '';
    return { file: r.name, path: join(CORPUS, r.path), source: `${held}${note}`, expected: held };
  });
  const dir = process.env.SEALDESK_REAL_WORLD;
  const manifest = 'test/fixtures/real-world/MANIFEST.tsv';
  if (!dir || !existsSync(manifest)) {
    console.log('(SEALDESK_REAL_WORLD unset: the fetched EU DSS / pyHanko files are not in this table)');
    return out;
  }
  for (const line of readFileSync(manifest, 'utf8').split('\n').slice(1)) {
    const [repo, path, , , , source, expected] = line.split('\t');
    const at = join(dir, repo ?? '', path ?? '');
    if (!path?.endsWith('.pdf') || !existsSync(at)) continue;
    out.push({
      file: path.split('/').pop()!,
      path: at,
      source: source!.slice(0, 60),
      expected: fromManifest(expected!),
    });
  }
  return out;
}

/** The real-world manifest's expectation ("intact;intact", "failed", "HASH_FAILURE", "PDF_ENCRYPTED", ...) in four words. */
function fromManifest(expected: string): Row['expected'] {
  if (expected === 'PDF_ENCRYPTED') return 'refused';
  if (/failed|FAILURE/.test(expected)) return 'invalid';
  if (/constraint=/.test(expected)) return 'indeterminate';
  return expected.startsWith('intact') ? 'valid' : 'unknown';
}

/** The shipped CLI in its own process (as a user runs it: each file verified in an isolated worker). */
function sealdesk(path: string): Promise<Verdict> {
  const env = { ...process.env, SEALDESK_HOME: join(work, 'home') };
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['dist/cli/sealdesk.js', 'verify', path, '--json'],
      { env, maxBuffer: 64 << 20 },
      (_err, stdout) => {
        const j = JSON.parse(stdout) as {
          code?: string;
          indication?: string;
          signatures?: { intact: boolean; subIndication: string | null }[];
        };
        if (j.code) return resolve('refused');
        if (j.indication === 'TOTAL-FAILED') return resolve('invalid');
        const sigs = j.signatures ?? [];
        const onlyUntrusted =
          sigs.length > 0 &&
          sigs.every((s) => s.intact && ['NO_CERTIFICATE_CHAIN_FOUND', 'TRY_LATER', null].includes(s.subIndication));
        resolve(onlyUntrusted ? 'valid' : 'indeterminate');
      },
    ),
  );
}

function pdfsig(path: string): Promise<Verdict> {
  return new Promise((resolve) =>
    execFile('pdfsig', [path], { maxBuffer: 64 << 20 }, (_err, stdout) => {
      const blocks = stdout.split(/^Signature #/m).slice(1);
      if (blocks.length === 0) return resolve('refused');
      resolve(blocks.every((b) => /Signature Validation: Signature is Valid\./.test(b)) ? 'valid' : 'invalid');
    }),
  );
}

const agrees = (expected: Row['expected'], v: Verdict): boolean | null => {
  if (expected === 'unknown') return null;
  if (expected === 'attack') return v !== 'valid';
  return expected === v;
};

try {
  const table = rows();
  let ours = 0;
  let theirs = 0;
  let counted = 0;
  console.log(`${'file'.padEnd(62)} ${'source'.padEnd(16)} ${'Sealdesk'.padEnd(16)} pdfsig`);
  for (const r of table) {
    const [s, p] = [await sealdesk(r.path), await pdfsig(r.path)];
    const [a, b] = [agrees(r.expected, s), agrees(r.expected, p)];
    if (a !== null) {
      counted++;
      ours += a ? 1 : 0;
      theirs += b ? 1 : 0;
    }
    const mark = (v: Verdict, ok: boolean | null) => `${v}${ok === null ? '' : ok ? ' ✓' : ' ✗'}`.padEnd(16);
    console.log(`${r.file.slice(0, 62).padEnd(62)} ${r.expected.padEnd(16)} ${mark(s, a)} ${mark(p, b)}`);
  }
  console.log(
    `\n${table.length} files, ${counted} with a known verdict: Sealdesk matches ${ours}/${counted}, pdfsig ${theirs}/${counted}`,
  );
  for (const r of table.filter((x) => x.source.includes('source said'))) console.log(`note: ${r.file}: ${r.source}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
