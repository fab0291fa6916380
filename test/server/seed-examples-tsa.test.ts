// Seed 001's "Stamp a file" examples (curl, Python httpx, Node fetch), read from the seed file itself and run as
// written against this server, with only the base URL and the API key changed; the .tsr each one saves verifies
// against the file. Two things the seed's page text needs: the Python snippet lost its indentation in the page
// extraction (a line after a block's colon is indented again), and `node-fetch` is served by a one-line package
// exporting Node's own fetch (the snippet's import resolves to it; no dependency added). Needs curl, jq and
// python3-httpx (.ci/run).
import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { createTestPki } from '../helpers/pki.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { tempDir } from '../helpers/tmp.js';

/** The seed: SEALDESK_SEED_001, else ../shared/seeds/001_*.txt beside the repository (where the issue points). */
function seedPath(): string | null {
  if (process.env.SEALDESK_SEED_001) return process.env.SEALDESK_SEED_001;
  const dir = resolve(process.cwd(), '..', 'shared', 'seeds');
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('001_')) : undefined;
  return name ? join(dir, name) : null;
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
/** Asynchronous: the server under test answers from this same process while a snippet runs. */
const run = async (cmd: string, args: string[], cwd: string) =>
  (await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8' })).stdout;
const SEED = seedPath();
const HAS_CURL = has('curl', ['--version']) && has('jq', ['--version']);
/** The PATH's python3, else Debian's (a pyenv shim may shadow the one python3-httpx is installed for). */
const PYTHON = ['python3', '/usr/bin/python3'].find((p) => has(p, ['-c', 'import httpx']));
const HAS_HTTPX = PYTHON !== undefined;
if (!SEED) console.warn('seed-examples-tsa: skipped, seed 001 not found (set SEALDESK_SEED_001)');
if (!HAS_CURL) console.warn('seed-examples-tsa: the curl example is skipped: curl or jq is not installed');
if (!HAS_HTTPX)
  console.warn(
    'seed-examples-tsa: the Python example is skipped: python3-httpx is not installed (apt-get install python3-httpx)',
  );

/** The text between two headings of the seed page (the page text glues a heading to the code before it). */
function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`seed 001: "${start}" … "${end}" not found`);
  return text.slice(from + start.length, to).trim();
}

/** Re-indents Python whose indentation the page extraction dropped: the line after a block's colon is its body. */
function reindentPython(code: string): string {
  const lines = code.split('\n');
  return lines
    .map((line, i) => (i > 0 && /^(with|for|if|else|try|except)\b.*:\s*$/.test(lines[i - 1]!) ? `    ${line}` : line))
    .join('\n');
}

let db: Database;
let server: TestServer;
let tsa: LoopbackTsa;
let apiKey: string;
let work: { path: string; remove(): void };
let snippets: { curl: string; python: string; node: string };
beforeAll(async () => {
  if (!SEED) return;
  const text = readFileSync(SEED, 'utf8');
  snippets = {
    curl: between(text, 'Stamp a file with curl', 'Stamp a file with Python'),
    python: between(text, 'Stamp a file with Python', 'Stamp a file with Node.js'),
    node: between(text, 'Stamp a file with Node.js', 'Seal a non-PDF file'),
  };
  work = tempDir('seed-examples');
  tsa = await startTsa({ pki: await createTestPki(join(work.path, 'pki')) });
  db = await openTestDatabase('pglite');
  server = await startTestServer(db, {
    tsas: tsaProviders([{ slug: 'loopback', name: 'Loopback TSA', url: tsa.url }]),
  });
  const u = await newUser(server.url, { organisation: 'Seed examples' });
  const key = await call(server.url, 'POST', '/api/keys', { token: u.token, body: { label: 'examples' } });
  if (key.status !== 200) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
  apiKey = key.body.key;
}, 180_000);
afterAll(async () => {
  await server?.close();
  await db?.close();
  await tsa?.close();
  work?.remove();
});

/** Only the base URL and the key change. */
const adapt = (code: string) =>
  code
    .replaceAll('https://api.sigill.ai', server.url)
    .replaceAll('YOUR_API_KEY', apiKey)
    .replaceAll('your_api_key', apiKey);

/** A fresh folder holding yourfile.pdf; returns it and the file's SHA-256. */
function folder(name: string): { dir: string; sha256: string } {
  const dir = join(work.path, name);
  mkdirSync(dir);
  const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]);
  writeFileSync(join(dir, 'yourfile.pdf'), content);
  return { dir, sha256: createHash('sha256').update(content).digest('hex') };
}

/** The saved yourfile.tsr verifies against the file through the seed's own /tsa/verify-hash. */
async function expectSavedToken(dir: string, sha256: string): Promise<void> {
  const tsr = readFileSync(join(dir, 'yourfile.tsr'));
  const v = await call(server.url, 'POST', '/tsa/verify-hash', {
    body: { fileHashHex: sha256, tsrBase64: tsr.toString('base64') },
  });
  expect(v.body).toMatchObject({
    valid: true,
    message: 'File matches the timestamp.',
    details: { providedHashHex: sha256, hashMatch: true },
  });
}

describe.skipIf(!SEED)('seed 001 stamping examples, as written', () => {
  it.skipIf(!HAS_CURL)('curl: prints the stamp with jq, then saves yourfile.tsr', async () => {
    const { dir, sha256 } = folder('curl');
    const out = await run('bash', ['-c', adapt(snippets.curl)], dir);
    expect(JSON.parse(out)).toMatchObject({ hashHex: sha256, tsaName: 'Loopback TSA', qualified: false });
    await expectSavedToken(dir, sha256);
  });

  it.skipIf(!HAS_HTTPX)('Python httpx: saves yourfile.tsr and prints who stamped it', async () => {
    const { dir, sha256 } = folder('python');
    writeFileSync(join(dir, 'example.py'), adapt(reindentPython(snippets.python)));
    const out = await run(PYTHON!, ['example.py'], dir);
    expect(out).toMatch(/^Stamped at \d{4}-\d\d-\d\dT[\d:.]+Z by Loopback TSA\n$/);
    await expectSavedToken(dir, sha256);
  });

  it('Node fetch (node-fetch): saves yourfile.tsr and prints who stamped it', async () => {
    const { dir, sha256 } = folder('node');
    const shim = join(dir, 'node_modules', 'node-fetch');
    mkdirSync(shim, { recursive: true });
    writeFileSync(join(shim, 'package.json'), JSON.stringify({ name: 'node-fetch', type: 'module', main: 'index.js' }));
    writeFileSync(join(shim, 'index.js'), 'export default globalThis.fetch;\n');
    writeFileSync(join(dir, 'example.mjs'), adapt(snippets.node));
    const out = await run(process.execPath, ['example.mjs'], dir);
    expect(out).toMatch(/^Stamped at \d{4}-\d\d-\d\dT[\d:.]+Z by Loopback TSA\n$/);
    await expectSavedToken(dir, sha256);
  });
});
