// A SoftHSM2 token per test run, in its own SOFTHSM2_CONF, with keys and certificates imported by the real tools.
import { execFile } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCert } from './pki.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export type SoftHsmToken = {
  readonly module: string;
  readonly conf: string;
  readonly label: string;
  readonly pin: string;
  readonly soPin: string;
};

function run(cmd: string, args: string[], conf: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, SOFTHSM2_CONF: conf } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || stdout}`)) : resolve(stdout),
    );
  });
}

/**
 * Creates a token and points this process at it (SOFTHSM2_CONF is read when the module initialises).
 * Each key is imported with `softhsm2-util --import` and its certificate with `pkcs11-tool --write-object`.
 */
export async function createSoftHsmToken(
  dir: string,
  label: string,
  keys: { label: string; idHex: string; cert: TestCert }[],
): Promise<SoftHsmToken> {
  mkdirSync(join(dir, 'tokens'), { recursive: true });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const token: SoftHsmToken = { module: SOFTHSM_MODULE, conf, label, pin: '123456', soPin: '87654321' };
  await run(
    'softhsm2-util',
    ['--init-token', '--free', '--label', label, '--pin', token.pin, '--so-pin', token.soPin],
    conf,
  );
  for (const k of keys) {
    await run(
      'softhsm2-util',
      ['--import', k.cert.keyPath, '--token', label, '--label', k.label, '--id', k.idHex, '--pin', token.pin],
      conf,
    );
    const der = join(dir, `${k.label}.der`);
    writeFileSync(der, k.cert.der);
    await run(
      'pkcs11-tool',
      [
        '--module',
        SOFTHSM_MODULE,
        '--token-label',
        label,
        '--login',
        '--pin',
        token.pin,
        '--write-object',
        der,
        '--type',
        'cert',
        '--id',
        k.idHex,
        '--label',
        k.label,
      ],
      conf,
    );
  }
  process.env.SOFTHSM2_CONF = conf;
  return token;
}
