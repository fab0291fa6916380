// Seed 001's seal examples (the curl and Python httpx "Seal a non-PDF file (CAdES)" and the curl "Verify a CAdES
// seal"), read from the seed file itself and run against this server with only the base URL, the API key and the
// certificate id changed (the platform certificate: a test-CA seal, so no token is needed here). Two repairs of the
// page extraction: the curl snippet's `tr -d '\r'` lost its \r to a line break, and the Python snippet its indentation.
// Needs curl, jq and a python3 with httpx (Debian's python3-httpx).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/sql.js';
import { platformId } from '../../server/sealing/keystore.js';
import { openssl } from '../helpers/openssl.js';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { call, newUser } from '../helpers/server-client.js';
import { openTestDatabase, startTestServer, tsaProviders, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';

function seedPath(): string | null {
  if (process.env.SEALDESK_SEED_001) return process.env.SEALDESK_SEED_001;
  const dir = resolve(process.cwd(), '..', 'shared', 'seeds');
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith('001_')) : undefined;
  return name ? join(dir, name) : null;
}
/** Asynchronous: the server answering the example runs in this process. */
const exec = promisify(execFile);
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const SEED = seedPath();
const HAS_CURL = has('curl', ['--version']) && has('jq', ['--version']);
/** The first python3 with httpx: the PATH's, else Debian's (a pyenv python3 may come first on PATH). */
const PYTHON = ['python3', '/usr/bin/python3'].find((p) => has(p, ['-c', 'import httpx'])) ?? null;
if (!SEED) console.warn('seed-examples-seal: skipped, seed 001 not found (set SEALDESK_SEED_001)');

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`seed 001: "${start}" … "${end}" not found`);
  return text.slice(from + start.length, to).trim();
}
/** Re-indents the Python whose indentation the page extraction dropped: a block's body after its colon, `else`
 * back at its `if`, and the `with` block closed after the request (its response is read in full by then). */
function reindentPython(code: string): string {
  const lines = code.split('\n');
  let depth = 0;
  let ifDepth = 0;
  return lines
    .map((line, i) => {
      if (/^else\b/.test(line)) depth = ifDepth;
      else if (i > 0 && /:\s*$/.test(lines[i - 1]!)) depth += 1;
      else if (/^resp\.raise_for_status/.test(line)) depth = 0;
      if (/^if\b/.test(line)) ifDepth = depth;
      return '    '.repeat(depth) + line;
    })
    .join('\n');
}

let pki: TestPki;
let tsa: LoopbackTsa;
let db: Database;
let server: TestServer;
let apiKey: string;
let certId: string;
let work: { path: string; remove(): void };
let snippets: { sealCurl: string; sealPython: string; verifyCurl: string };
const REPORT = Buffer.from('{"quarter": "Q3", "revenue": 1200}\n');

beforeAll(async () => {
  if (!SEED) return;
  const text = readFileSync(SEED, 'utf8');
  snippets = {
    sealCurl: between(text, 'Check X-Seal-Format to branch.\n', 'Seal a non-PDF file (CAdES) with Python'),
    sealPython: between(text, 'Seal a non-PDF file (CAdES) with Python', 'Verify a CAdES seal with curl'),
    verifyCurl: `${between(text, 'Verify a CAdES seal with curl', 'when .tsr matched')} when .tsr matched\n`,
  };
  work = tempDir('seed-examples-seal');
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  db = await openTestDatabase('pglite');
  const platform = {
    label: 'Test platform seal',
    chainPem: pki.signer.certPem + pki.root.certPem,
    key: { kind: 'pem' as const, keyPem: pki.signer.keyPem },
  };
  certId = platformId(platform);
  const tsas = tsaProviders([{ slug: 'loopback', name: 'Loopback TSA', url: tsa.url }]);
  server = await startTestServer(db, { tsas, ctx: { sealing: { store: null, platform, trustDev: [pki.root.der] } } });
  const u = await newUser(server.url, { organisation: 'Seal examples' });
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

const adapt = (code: string) =>
  code
    .replaceAll('https://api.sigill.ai', server.url)
    .replaceAll('YOUR_API_KEY', apiKey)
    .replaceAll('your_api_key', apiKey)
    .replaceAll('<your-certificate-uuid>', certId);

function folder(name: string): string {
  const dir = join(work.path, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'report.json'), REPORT);
  return dir;
}

/** The saved report.p7s is a detached signature over report.json that OpenSSL verifies against the test CA. */
async function expectP7s(dir: string): Promise<void> {
  const v = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    join(dir, 'report.p7s'),
    '-content',
    join(dir, 'report.json'),
    '-CAfile',
    pki.root.certPath,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  expect(v.stderr).toMatch(/Verification successful/);
}

describe.skipIf(!SEED)('seed 001 seal examples, as written', () => {
  it.skipIf(!HAS_CURL)('curl: seals report.json and saves report.p7s', async () => {
    const dir = folder('curl');
    const code = adapt(snippets.sealCurl).replace("tr -d '\n'", "tr -d '\\r'");
    const { stdout: out } = await exec('bash', ['-c', code], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe('CAdES seal saved: report.p7s\nKeep alongside original: report.json\n');
    await expectP7s(dir);
  });

  it.skipIf(!PYTHON)('Python httpx: seals report.json and saves report.p7s', async () => {
    const dir = folder('python');
    writeFileSync(join(dir, 'example.py'), adapt(reindentPython(snippets.sealPython)));
    const { stdout: out } = await exec(PYTHON!, ['example.py'], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe(
      'CAdES seal → report.p7s\nKeep original file: report.json\n' +
        'Verify: POST /seal/verify with file=report.json + p7s=report.p7s\n',
    );
    await expectP7s(dir);
  });

  it.skipIf(!HAS_CURL)(
    'curl verify: the summary, and tsrSource "external" for a seal made while the TSA was down',
    async () => {
      const dir = folder('verify');
      tsa.setMode('http503');
      try {
        await exec('bash', ['-c', adapt(snippets.sealCurl).replace("tr -d '\n'", "tr -d '\\r'")], { cwd: dir });
      } finally {
        tsa.setMode('ok');
      }
      const sha256 = createHash('sha256').update(REPORT).digest('hex');
      const stamp = await call(server.url, 'POST', '/tsa/stamp-hash', {
        headers: { authorization: `Bearer ${apiKey}` },
        body: { hashHex: sha256, tsaSlug: 'auto' },
      });
      expect(stamp.status).toBe(200);
      writeFileSync(join(dir, 'report.tsr'), Buffer.from(stamp.body.tsrBase64, 'base64'));
      const { stdout: out } = await exec('bash', ['-c', adapt(snippets.verifyCurl)], { cwd: dir, encoding: 'utf8' });
      const [summary, source] = out.trim().split(/\n(?="external"|null|"embedded")/);
      expect(JSON.parse(summary!)).toEqual({
        format: 'cades',
        intact: true,
        signer: expect.stringContaining('CN=Sealdesk Test Seal RSA'),
        timestamp: null,
        tsa: null,
        qualified: null,
      });
      expect(JSON.parse(source!)).toBe('external');
    },
  );
});
