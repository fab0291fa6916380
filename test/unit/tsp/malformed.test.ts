// Bad bytes never crash: every truncation and many byte flips of real tokens and signatures give a report or a CoreError.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { inspectTimeStamp } from '../../../core/tsp/index.js';
import { verifyCades } from '../../../core/validation/index.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const present = existsSync(join(corpus, 'MANIFEST.tsv'));
if (!present) console.warn(`SKIPPED: malformed-input tests mutate files from ${corpus}, which is absent`);

/** Deterministic mutations: every prefix (stepped), and bytes flipped at spread positions. */
function* mutations(bytes: Uint8Array, count = 150): Generator<Uint8Array> {
  const step = Math.max(1, Math.floor(bytes.length / count));
  for (let n = 0; n < bytes.length; n += step) yield bytes.subarray(0, n);
  for (let i = 0; i < count; i++) {
    const copy = new Uint8Array(bytes);
    const at = (i * 7919) % bytes.length;
    copy[at] = copy[at]! ^ (1 << (i % 8));
    yield copy;
  }
}

async function outcome(fn: () => Promise<unknown>): Promise<'report' | string> {
  try {
    await fn();
    return 'report';
  } catch (err) {
    if (err instanceof CoreError) return err.code;
    throw new Error(`not a CoreError: ${(err as Error).stack}`);
  }
}

describe.skipIf(!present)('malformed input', () => {
  it('time-stamp tokens: a report or TOKEN_MALFORMED, never anything else', async () => {
    const codes = new Set<string>();
    for (const name of ['ietfcms_digicert-sha2.tsr', 'dss_d-trust-tsu12_pss.tst', 'tob_identrust_issue-104.tsr']) {
      for (const m of mutations(new Uint8Array(readFileSync(join(corpus, 'tsr', name)))))
        codes.add(await outcome(() => inspectTimeStamp(m)));
    }
    expect([...codes].sort()).toEqual(['TOKEN_MALFORMED', 'report']);
  });

  it('CAdES signatures: a report or CMS_MALFORMED, never anything else', async () => {
    const codes = new Set<string>();
    for (const [name, count] of [
      ['ietfcms_openssl-detached.p7s', 150],
      ['dss_cades-a_tstv2-detached.p7s', 40],
    ] as const) {
      const content = new Uint8Array(readFileSync(join(corpus, 'cms', `${name}.content.txt`)));
      const digestContent = async (alg: string) =>
        new Uint8Array(await crypto.subtle.digest(alg.replace('sha', 'SHA-'), content));
      for (const m of mutations(new Uint8Array(readFileSync(join(corpus, 'cms', name))), count))
        codes.add(await outcome(() => verifyCades(m, { digestContent, now: new Date() })));
    }
    expect([...codes].sort()).toEqual(['CMS_MALFORMED', 'report']);
  });
});
