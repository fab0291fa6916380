// main/errors.ts toApiError: a stable code for every error, and an all-TSAs-failed stamp's per-TSA failures as
// structured details, from a real dispatch against loopback TSAs that refuse (HTTP 503) and answer garbage.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllTsasFailedError, CoreError } from '../../../core/errors.js';
import { HttpTimeStampTransport, requestTimestamp, type TsaProvider } from '../../../core/tsp/index.js';
import { HostError, toApiError } from '../../../main/errors.js';
import { createTestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import { startTsa, type LoopbackTsa } from '../../helpers/tsa-server.js';

const work = tempDir('api-errors');
let refusing: LoopbackTsa;
let garbage: LoopbackTsa;

beforeAll(async () => {
  const pki = await createTestPki(join(work.path, 'pki'));
  refusing = await startTsa({ pki, mode: 'http503' });
  garbage = await startTsa({ pki, mode: 'garbage' });
}, 60_000);

afterAll(async () => {
  await refusing.close();
  await garbage.close();
  work.remove();
});

const provider = (slug: string, name: string, url: string, position: number): TsaProvider => ({
  id: slug,
  slug,
  name,
  url,
  preferredHash: 'sha256',
  qualified: false,
  enabled: true,
  position,
  builtin: false,
});

describe('toApiError', () => {
  it('ALL_TSAS_FAILED carries each TSA tried: slug, name, failure class and message', async () => {
    const order = [provider('down', 'TSA down', refusing.url, 1), provider('junk', 'TSA junk', garbage.url, 2)];
    const plan = { order, hashAlgorithm: 'sha256' as const, advancesCursor: false };
    const err = await requestTimestamp(plan, new Uint8Array(32), { transport: new HttpTimeStampTransport() }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AllTsasFailedError);
    const api = toApiError(err);
    expect(api).toMatchObject({ code: 'ALL_TSAS_FAILED', message: 'All enabled TSAs failed.' });
    expect(api.details?.tsas).toEqual([
      { slug: 'down', name: 'TSA down', errorClass: 'http_status', message: expect.stringMatching(/503/) },
      { slug: 'junk', name: 'TSA junk', errorClass: 'parse', message: expect.any(String) },
    ]);
    expect(structuredClone(api)).toEqual(api); // plain data: it crosses IPC and the worker host as it is
  });

  it('a core error keeps its code and has no details; anything else is INTERNAL; a host error passes unchanged', () => {
    expect(toApiError(new CoreError('PDF_ENCRYPTED', 'the PDF is encrypted'))).toEqual({
      code: 'PDF_ENCRYPTED',
      message: 'the PDF is encrypted',
    });
    expect(toApiError(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    const fromHost = { code: 'ALL_TSAS_FAILED', message: 'All enabled TSAs failed.', details: { tsas: [] } } as const;
    expect(toApiError(new HostError(fromHost))).toBe(fromHost);
  });
});
