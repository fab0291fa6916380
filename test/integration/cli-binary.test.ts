// The built `sealdesk` binary (what package.json's bin points at) runs as its own process.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../helpers/pki.js';
import { startTsa, type LoopbackTsa } from '../helpers/tsa-server.js';
import { tsVerify } from '../helpers/openssl.js';
import { tempDir } from '../helpers/tmp.js';
import { expiringTsaCert, withTsa } from '../helpers/expiring-tsa.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.sealdesk);
const work = tempDir('bin');
let pki: TestPki;
let tsa: LoopbackTsa;
let soon: LoopbackTsa; // its certificate expires in 10 days: the chains it starts are due in a 30-day window

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--cli-only'], { cwd: root });
  pki = await createTestPki(join(work.path, 'pki'));
  tsa = await startTsa({ pki });
  soon = await startTsa({ pki: withTsa(pki, await expiringTsaCert(pki, { days: 10 })) });
});
afterAll(async () => {
  await tsa.close();
  await soon.close();
  work.remove();
});

/** Asynchronous on purpose: the loopback TSA answers from this very process. */
const run = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', env: { ...process.env, SEALDESK_HOME: join(work.path, 'home') } },
      (err, stdout, stderr) => {
        resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });

describe('sealdesk binary', () => {
  it('prints its version and usage; no command is a usage error', async () => {
    expect((await run('--version')).stdout).toMatch(/^sealdesk \d+\.\d+\.\d+/);
    const none = await run();
    expect(none.status).toBe(2);
    expect(none.stdout).toMatch(/Usage:/);
  });

  it('stamps a file end to end in its own process, and OpenSSL verifies the token', async () => {
    for (const slug of ['digicert', 'sectigo', 'globalsign', 'swisssign', 'rfc3161.ai.moda'])
      expect((await run('tsa', 'disable', slug)).status).toBe(0);
    expect((await run('tsa', 'add', 'loop', tsa.url)).status).toBe(0);
    const doc = join(work.path, 'contract.txt');
    writeFileSync(doc, 'binding terms');
    const r = await run('stamp', doc, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tsrPath).toBe(`${doc}.tsr`);
    expect((await tsVerify({ data: doc, tsr: `${doc}.tsr`, caFile: pki.caFile, untrusted: pki.tsa.certPath })).ok).toBe(
      true,
    );
    const bad = await run('inspect', join(work.path, 'nope.tsr'));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('kill -9 in the middle of a bulk restamp, run again: every chain ends with exactly one new link', async () => {
    // Started at a TSA whose certificate expires in 10 days (not in auto's round-robin): due in a 30-day window,
    // restamped by the loopback TSA (to 2040).
    expect((await run('tsa', 'add', 'soon', soon.url)).status).toBe(0);
    expect((await run('tsa', 'disable', 'soon')).status).toBe(0);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const f = join(work.path, `archive-${i}.txt`);
      writeFileSync(f, `record ${i} ${Math.random()}`);
      ids.push(JSON.parse((await run('stamp', f, '--tsa', 'soon', '--json')).stdout).id);
    }
    // The first run is killed (SIGKILL) at its first progress line (one chain has its new link; the line is throttled,
    // so waiting for a later count could let the run finish first).
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [bin, 'restamp', '--expiring-within', '30d', '--concurrency', '1'], {
        env: { ...process.env, SEALDESK_HOME: join(work.path, 'home') },
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        if (/restamped [1-9]/.test(err)) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    // What a kill during a .tsr write leaves (a temp beside a chain still to do) is cleared; others' files are not.
    writeFileSync(join(work.path, '.archive-7.txt.tsr.0123456789ab.tmp'), 'half a token');
    writeFileSync(join(work.path, '.notes.txt.0123456789ab.tmp'), 'not ours');
    const again = await run('restamp', '--expiring-within', '30d', '--json');
    expect(again.status, again.stderr + again.stdout).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ resumed: true, failed: 0 });
    for (const id of ids) {
      const chain = JSON.parse((await run('chain', id, '--json')).stdout);
      expect(chain.links, id).toHaveLength(2);
      expect(chain.intact).toBe(true);
    }
    expect(readdirSync(work.path).filter((f) => f.endsWith('.tmp'))).toEqual(['.notes.txt.0123456789ab.tmp']);
  }, 180_000); // some twenty processes of the built CLI, each a Node start-up
});
