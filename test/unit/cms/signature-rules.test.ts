// RFC 5652 §5.4 (signature over the DER of the signed attributes), RFC 8419 (Ed448 with SHAKE256), RFC 4055 (RSA-PSS
// parameters) and RFC 6211 (algorithm protection), through `sealdesk verify --p7s` and checkCmsSignature (the PAdES
// core), with OpenSSL 3 as the second judge of each file.
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCmsSignature } from '../../../core/cms/verify-signer.js';
import { digestBytes } from '../../../core/hash/digest.js';
import { cliRunner } from '../../helpers/cli.js';
import { openssl } from '../../helpers/openssl.js';
import { createTestPki, type TestPki } from '../../helpers/pki.js';
import { tempDir } from '../../helpers/tmp.js';
import {
  NULL,
  OIDS,
  buildSignedData,
  eddsaSigner,
  integer,
  issueEd448,
  pssParams,
  pssSigner,
  type BuildOptions,
} from './cms-builder.js';

const work = tempDir('cms-rules');
let pki: TestPki;
let ed448: Awaited<ReturnType<typeof issueEd448>>;
let sealdesk: ReturnType<typeof cliRunner>;
let n = 0;
const CONTENT = Buffer.from('the sealed document\n');

beforeAll(async () => {
  pki = await createTestPki(join(work.path, 'pki'));
  sealdesk = cliRunner({ SEALDESK_HOME: join(work.path, 'home') });
  ed448 = await issueEd448(pki.root, work.path); // an Ed448 leaf issued by the (RSA) test root, made by OpenSSL
}, 60_000);
afterAll(() => work.remove());

/** Writes the content and the .p7s, and returns Sealdesk's report and OpenSSL's verdict on the pair. */
async function judge(p7s: Uint8Array, content: Uint8Array = CONTENT) {
  const dir = join(work.path, `case-${++n}`);
  const doc = `${dir}.txt`;
  writeFileSync(doc, content);
  writeFileSync(`${doc}.p7s`, p7s);
  const v = await sealdesk('verify', doc, '--p7s', `${doc}.p7s`, '--trust', pki.caFile, '--json');
  const o = await openssl([
    'cms',
    '-verify',
    '-binary',
    '-inform',
    'DER',
    '-in',
    `${doc}.p7s`,
    '-content',
    doc,
    '-CAfile',
    pki.caFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
  return {
    code: v.code,
    cades: v.json().cades,
    openssl: { ok: o.code === 0 && /Verification successful/.test(o.stderr), output: o.stderr.trim().split('\n')[0] },
  };
}

const ed448Options = (over: Partial<BuildOptions> = {}): BuildOptions => ({
  content: CONTENT,
  signerCert: ed448.der,
  sign: eddsaSigner(ed448.key),
  digest: { oid: OIDS.shake256, node: 'shake256' },
  signatureAlgorithm: { oid: OIDS.ed448 },
  ...over,
});

describe('Ed448 with SHAKE256 (RFC 8419)', () => {
  it('id-shake256 (no parameters): TOTAL-PASSED through `verify --p7s`; OpenSSL 3.0 cannot verify EdDSA in CMS', async () => {
    const r = await judge(buildSignedData(ed448Options()));
    expect(r.cades).toMatchObject({
      indication: 'TOTAL-PASSED',
      intact: true,
      valid: true,
      hashMatch: true,
      problems: [],
      certificate: { trust: 'chained' },
    });
    expect(r.cades.fileHashHex).toBe(Buffer.from(digestBytes('shake256', CONTENT)).toString('hex'));
    expect(r.cades.fileHashHex).toHaveLength(128); // 512-bit output, not node's 256-bit default
    expect(r.code).toBe(0);
    expect(r.openssl.ok).toBe(false);
  });

  it('id-shake256-len with its 512-bit parameter passes; another output length is not a digest Sealdesk computes', async () => {
    const ok = await judge(
      buildSignedData(ed448Options({ digest: { oid: OIDS.shake256Len, params: integer(512), node: 'shake256' } })),
    );
    expect(ok.cades).toMatchObject({ indication: 'TOTAL-PASSED', intact: true });
    const other = await judge(
      buildSignedData(ed448Options({ digest: { oid: OIDS.shake256Len, params: integer(256), node: 'shake256' } })),
    );
    expect(other.cades).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
      problems: [expect.stringMatching(/unsupported digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.18/)],
    });
  });

  it('Ed448 with a SHA-512 message digest: intact, but not allowed by RFC 8419 (INDETERMINATE with the reason)', async () => {
    const r = await judge(buildSignedData(ed448Options({ digest: { oid: OIDS.sha512, node: 'sha512' } })));
    expect(r.cades).toMatchObject({
      intact: true,
      valid: false,
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
    });
    expect(r.cades.problems).toEqual([
      expect.stringMatching(/Ed448 requires the SHAKE256 digest \(RFC 8419 §3\), not sha512/),
    ]);
  });

  it('the PAdES core names the RFC 8419 constraint apart from the signature, which stays intact', async () => {
    const digestOf = async (alg: string) => digestBytes(alg, CONTENT);
    const sha512 = await checkCmsSignature(
      buildSignedData(ed448Options({ digest: { oid: OIDS.sha512, node: 'sha512' } })),
      digestOf,
    );
    expect(sha512).toMatchObject({
      digestOk: true,
      signatureOk: true,
      digestAlgorithm: 'sha512',
      signatureAlgorithm: 'Ed448',
    });
    expect(sha512.formatProblems).toEqual([]);
    expect(sha512.constraintProblems).toEqual(['Ed448 requires the SHAKE256 digest (RFC 8419 §3), not sha512']);
    const shake = await checkCmsSignature(buildSignedData(ed448Options()), digestOf);
    expect(shake).toMatchObject({
      digestOk: true,
      signatureOk: true,
      digestAlgorithm: 'shake256',
      constraintProblems: [],
      warnings: [],
    });
  });

  it('a changed document is HASH_FAILURE, a changed signature SIG_CRYPTO_FAILURE', async () => {
    const p7s = buildSignedData(ed448Options());
    expect((await judge(p7s, Buffer.from('the sealed document!\n'))).cades).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'HASH_FAILURE',
    });
    const bad = buildSignedData(
      ed448Options({
        sign: (d) => {
          const s = eddsaSigner(ed448.key)(d);
          s[10]! ^= 1;
          return s;
        },
      }),
    );
    expect((await judge(bad)).cades).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
  });
});

describe('signed attributes: the signature is over their DER encoding (RFC 5652 §5.4)', () => {
  const rsa = () => createPrivateKey(readFileSync(pki.signer.keyPath));
  const rsaOptions = (over: Partial<BuildOptions>): BuildOptions => ({
    content: CONTENT,
    signerCert: pki.signer.der,
    sign: pssSigner(rsa(), 'sha256', 32),
    digest: { oid: OIDS.sha256, params: NULL, node: 'sha256' },
    signatureAlgorithm: { oid: OIDS.rsassaPss, params: pssParams(OIDS.sha256, OIDS.sha256, 32) },
    ...over,
  });

  it('stored unsorted, signed over the sorted DER: intact and TOTAL-PASSED with a warning; OpenSSL (stored bytes) rejects it', async () => {
    const r = await judge(buildSignedData(rsaOptions({ stored: 'reversed', signOver: 'der' })));
    expect(r.cades).toMatchObject({ indication: 'TOTAL-PASSED', intact: true, problems: [] });
    const warning = /non-DER encoding \(a SET OF not sorted\); the signature verifies over their DER encoding/;
    expect(r.cades.warnings).toEqual([expect.stringMatching(warning)]);
    expect(r.openssl).toMatchObject({ ok: false });
  });

  it('stored unsorted and signed over those stored bytes: TOTAL-FAILED/HASH_FAILURE with the reason; OpenSSL accepts it', async () => {
    const r = await judge(buildSignedData(rsaOptions({ stored: 'reversed', signOver: 'stored' })));
    expect(r.cades).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'HASH_FAILURE',
      intact: false,
      hashMatch: true,
    });
    expect(r.cades.problems).toContain(
      'signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)',
    );
    expect(r.openssl.ok).toBe(true);
  });

  it('the PAdES core (checkCmsSignature) gives the same three answers', async () => {
    const digestOf = async (alg: string) => digestBytes(alg, CONTENT);
    const der = await checkCmsSignature(buildSignedData(rsaOptions({})), digestOf);
    expect(der).toMatchObject({ digestOk: true, signatureOk: true, signatureFailure: null, warnings: [] });
    const sortedSigned = await checkCmsSignature(
      buildSignedData(rsaOptions({ stored: 'reversed', signOver: 'der' })),
      digestOf,
    );
    expect(sortedSigned).toMatchObject({
      signatureOk: true,
      signatureFailure: null,
      warnings: [expect.stringMatching(/non-DER/)],
    });
    const storedSigned = await checkCmsSignature(
      buildSignedData(rsaOptions({ stored: 'reversed', signOver: 'stored' })),
      digestOf,
    );
    expect(storedSigned).toMatchObject({
      digestOk: true,
      signatureOk: false,
      signatureFailure: { sub: 'HASH_FAILURE', reason: expect.stringMatching(/^signed over a non-DER encoding/) },
    });
  });
});

describe('RSA-PSS with the parameters the signature states (RFC 4055)', () => {
  async function opensslPss(saltLength: number, mgf1: string): Promise<Uint8Array> {
    const doc = join(work.path, `pss-${++n}.txt`);
    writeFileSync(doc, CONTENT);
    const out = `${doc}.p7s`;
    const r = await openssl([
      'cms',
      '-sign',
      '-binary',
      '-in',
      doc,
      '-signer',
      pki.signer.certPath,
      '-inkey',
      pki.signer.keyPath,
      '-md',
      'sha256',
      '-cades',
      '-nosmimecap',
      '-keyopt',
      'rsa_padding_mode:pss',
      '-keyopt',
      `rsa_pss_saltlen:${saltLength}`,
      '-keyopt',
      `rsa_mgf1_md:${mgf1}`,
      '-outform',
      'DER',
      '-out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    return new Uint8Array(readFileSync(out));
  }

  it('OpenSSL-made PSS (salt 32, MGF1 SHA-256; salt 64, MGF1 SHA-512): both judges say valid', async () => {
    for (const [salt, mgf1] of [
      [32, 'sha256'],
      [64, 'sha512'],
    ] as const) {
      const r = await judge(await opensslPss(salt, mgf1));
      expect(r.cades, `salt ${salt}, MGF1 ${mgf1}`).toMatchObject({
        indication: 'TOTAL-PASSED',
        intact: true,
        problems: [],
      });
      expect(r.openssl.ok).toBe(true);
    }
  });

  it('a PSS value whose parameters state another salt length or MGF1 hash than it was made with fails, as with OpenSSL', async () => {
    const rsa = createPrivateKey(readFileSync(pki.signer.keyPath));
    for (const params of [pssParams(OIDS.sha256, OIDS.sha256, 20), pssParams(OIDS.sha256, OIDS.sha512, 32)]) {
      const p7s = buildSignedData({
        content: CONTENT,
        signerCert: pki.signer.der,
        sign: pssSigner(rsa, 'sha256', 32),
        digest: { oid: OIDS.sha256, params: NULL, node: 'sha256' },
        signatureAlgorithm: { oid: OIDS.rsassaPss, params },
      });
      const r = await judge(p7s);
      expect(r.cades).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
      expect(r.openssl.ok).toBe(false);
    }
  });
});

describe('CMS algorithm protection (RFC 6211)', () => {
  const pss32 = { oid: OIDS.rsassaPss, params: pssParams(OIDS.sha256, OIDS.sha256, 32) };
  const sha256 = { oid: OIDS.sha256, params: NULL };
  const build = (protection: BuildOptions['protection']) =>
    buildSignedData({
      content: CONTENT,
      signerCert: pki.signer.der,
      sign: pssSigner(createPrivateKey(readFileSync(pki.signer.keyPath)), 'sha256', 32),
      digest: { ...sha256, node: 'sha256' },
      signatureAlgorithm: pss32,
      protection,
    });

  it('OpenSSL 3.0 `cms -sign` adds no algorithm-protection attribute (so its signatures are judged without one)', async () => {
    const doc = join(work.path, 'plain.txt');
    writeFileSync(doc, CONTENT);
    const r = await openssl([
      'cms',
      '-sign',
      '-binary',
      '-in',
      doc,
      '-signer',
      pki.signer.certPath,
      '-inkey',
      pki.signer.keyPath,
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-out',
      `${doc}.p7s`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const printed = await openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', `${doc}.p7s`]);
    expect(printed.stdout).toMatch(/messageDigest/);
    expect(printed.stdout).not.toMatch(/1\.2\.840\.113549\.1\.9\.52|CMSAlgorithmProtection/i);
  });

  it('an attribute that repeats the SignerInfo algorithms passes; absent and NULL digest parameters are the same', async () => {
    expect((await judge(build({ digest: sha256, signature: pss32 }))).cades).toMatchObject({
      indication: 'TOTAL-PASSED',
      problems: [],
    });
    expect((await judge(build({ digest: { oid: OIDS.sha256 }, signature: pss32 }))).cades).toMatchObject({
      indication: 'TOTAL-PASSED',
    });
  });

  it('an attribute naming another digest or PSS parameters: TOTAL-FAILED, the substitution named; OpenSSL 3.0 checks neither', async () => {
    const digest = await judge(build({ digest: { oid: OIDS.sha384, params: NULL }, signature: pss32 }));
    expect(digest.cades).toMatchObject({
      indication: 'TOTAL-FAILED',
      subIndication: 'SIG_CRYPTO_FAILURE',
      intact: false,
    });
    const named =
      /protection attribute names digest 2\.16\.840\.1\.101\.3\.4\.2\.2, the SignerInfo 2\.16\.840\.1\.101\.3\.4\.2\.1 /;
    expect(digest.cades.problems).toEqual([expect.stringMatching(named)]);
    const salt = await judge(
      build({ digest: sha256, signature: { oid: OIDS.rsassaPss, params: pssParams(OIDS.sha256, OIDS.sha256, 20) } }),
    );
    expect(salt.cades).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
    const pss =
      /algorithm-protection attribute names signature algorithm 1\.2\.840\.113549\.1\.1\.10 \(with parameters/;
    expect(salt.cades.problems).toEqual([expect.stringMatching(pss)]);
    expect({ digest: digest.openssl.ok, salt: salt.openssl.ok }).toEqual(OPENSSL_CHECKS_PROTECTION);
  });
});

/** What OpenSSL 3.0.x answers for the two substituted attributes (recorded by this test; see the report). */
const OPENSSL_CHECKS_PROTECTION = { digest: true, salt: true };
