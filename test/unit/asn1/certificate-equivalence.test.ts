// The TLV certificate readers (core/asn1/certificate.ts, names.ts, qc.ts, policies.ts, core/revocation/sources.ts)
// give exactly what @peculiar/x509 gives, and certificateParts' SPKI is the library's public key bytes, on every real
// certificate at hand: over a thousand CA and service certificates from the EU trusted lists (names from every member
// state, every string type) and every certificate inside the corpus's signatures and time-stamps (issue 15: the seal
// and verify paths no longer load the library).
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certificateFacts, keyUsageNames } from '../../../core/asn1/certificate.js';
import { certificateParts } from '../../../core/asn1/cert-der.js';
import { nameToString } from '../../../core/asn1/names.js';
import { qcStatements } from '../../../core/asn1/qc.js';
import { certificatePolicies } from '../../../core/asn1/policies.js';
import { revocationSources } from '../../../core/revocation/sources.js';
import { CoreError } from '../../../core/errors.js';
import { CORPUS, collectCertificates } from './cert-corpus.js';
import { referenceFacts } from './x509-reference.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'read';
  } catch (err) {
    return err instanceof CoreError ? err.code : (err as Error).name;
  }
};

function oursFor(der: Uint8Array) {
  const f = certificateFacts(der);
  const parts = certificateParts(der);
  return {
    subject: f.subject,
    issuer: f.issuer,
    serialHex: f.serialHex,
    notBefore: f.notBefore.getTime(),
    notAfter: f.notAfter.getTime(),
    selfSigned: f.selfSigned,
    extKeyUsage: f.extKeyUsage,
    keyUsage: keyUsageNames(der),
    qc: qcStatements(der),
    policies: certificatePolicies(der),
    spki: Buffer.from(parts.spki).toString('hex'),
    revocation: revocationSources(der),
    names: [nameToString(parts.subject), nameToString(parts.issuer)],
  };
}

describe('certificate facts without @peculiar/x509', () => {
  const certs = [...collectCertificates().values()];

  it('finds over a thousand distinct trusted-list certificates', () => {
    expect(certs.filter((c) => c.from.includes('trusted-lists')).length).toBeGreaterThan(1000);
  });

  it.skipIf(!existsSync(CORPUS))("finds the certificates of the corpus's signatures and time-stamps", () => {
    expect(certs.filter((c) => c.from.startsWith(CORPUS)).length).toBeGreaterThan(100);
  });

  it('reads every certificate exactly as @peculiar/x509 does', () => {
    const differences: string[] = [];
    let compared = 0;
    let refusedByLibrary = 0;
    let refusedByBoth = 0;
    for (const { der, from } of certs) {
      let want: ReturnType<typeof referenceFacts> & { names: string[] };
      try {
        const facts = referenceFacts(der);
        want = { ...facts, names: [facts.subject, facts.issuer] }; // nameToString on the bare Names gives the same
      } catch {
        refusedByBoth += codeOf(() => certificateFacts(der)) === 'CERT_MALFORMED' ? 1 : 0;
        refusedByLibrary++;
        continue;
      }
      compared++;
      try {
        const got = oursFor(der);
        if (JSON.stringify(got) !== JSON.stringify(want))
          differences.push(`${from}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
      } catch (err) {
        differences.push(`${from}: ${(err as Error).message}`);
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
    expect(refusedByBoth).toBe(refusedByLibrary); // what the library cannot read is CERT_MALFORMED here too
  });
});
