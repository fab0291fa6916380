// The Verify view's wording of a verified item by its kind (renderer/src/lib/verify-outcome.ts): the indication is the
// report's own, the lines are its problems, a token's verdict message comes first.
import { describe, expect, it } from 'vitest';
import type { CadesReport, PdfReport, TokenReport, TokenVerification } from '../../../core/model/index.js';
import { outcomeOf } from '../../../renderer/src/lib/verify-outcome.js';

const pdf: PdfReport = {
  file: '/x/contract.pdf',
  indication: 'TOTAL-FAILED',
  subIndication: 'FORMAT_FAILURE',
  signatures: [],
  revisions: 2,
  problems: ['the PDF is damaged'],
  validationTime: '2026-12-05T00:00:00.000Z',
  trustAnchors: [],
};

const cades: CadesReport = {
  signaturePresent: true,
  hashMatch: true,
  fileHashHex: 'ab',
  certificate: null,
  timestamp: null,
  tsrSource: null,
  tsrMatchError: null,
  error: 'no ESS signing-certificate attribute',
  intact: true,
  valid: false,
  signingTime: null,
  signatureAlgorithmOid: null,
  problems: ['no ESS signing-certificate attribute'],
  indication: 'INDETERMINATE',
  subIndication: 'SIG_CONSTRAINTS_FAILURE',
  revocation: null,
  signatureTimestamp: null,
  archiveTimestamps: [],
};

const token: TokenReport = {
  kind: 'response',
  status: null,
  genTime: '2026-12-05T00:00:00.000Z',
  serialHex: '01',
  hashAlgorithmOid: null,
  hashAlgorithm: 'sha256',
  imprintHex: 'ab',
  policyOid: null,
  nonceHex: null,
  accuracy: null,
  ordering: false,
  tsaName: 'Loopback TSA',
  signer: null,
  certificateCount: 0,
  signerDer: null,
  certificates: [],
  signatureValid: true,
  problems: [],
};

const tsr = (valid: boolean): TokenVerification => ({
  report: token,
  fileHashHex: 'ab',
  trust: { status: 'not_checked', path: [], message: 'no trust anchor given' },
  verdict: { valid, hashMatch: valid, message: valid ? 'File matches the timestamp.' : 'File does not match.' },
  indication: valid ? 'INDETERMINATE' : 'TOTAL-FAILED',
  subIndication: valid ? 'NO_CERTIFICATE_CHAIN_FOUND' : 'HASH_FAILURE',
  reasons: valid ? ["the TSA's certificate was not checked against a trust anchor"] : ["the file's digest differs"],
});

describe('outcomeOf', () => {
  it('a PDF, a .p7s and a .p7m: the report indication and its problems, named by what was verified', () => {
    expect(outcomeOf({ file: pdf.file, kind: 'pdf', report: pdf })).toEqual({
      indication: 'TOTAL-FAILED',
      subIndication: 'FORMAT_FAILURE',
      what: 'PDF signatures (PAdES)',
      lines: ['the PDF is damaged'],
    });
    expect(outcomeOf({ file: '/x/a.txt', kind: 'p7s', report: cades })).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
      what: 'Detached signature (.p7s, CAdES)',
      lines: ['no ESS signing-certificate attribute'],
    });
    expect(outcomeOf({ file: '/x/a.p7m', kind: 'p7m', report: cades }).what).toBe('Signed file (.p7m, CAdES)');
  });

  it('a .tsr: the verdict message first, then the ETSI reasons', () => {
    expect(outcomeOf({ file: '/x/a.txt', kind: 'tsr', report: tsr(true) })).toEqual({
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      what: 'Time-stamp token (.tsr)',
      lines: ['File matches the timestamp.', "the TSA's certificate was not checked against a trust anchor"],
    });
    expect(outcomeOf({ file: '/x/a.txt', kind: 'tsr', report: tsr(false) }).lines[0]).toBe('File does not match.');
  });

  it('a kind the contract does not know is an error, never a silent pass', () => {
    const unknown = { file: '/x/a.bin', kind: 'zip', report: pdf } as unknown as Parameters<typeof outcomeOf>[0];
    expect(() => outcomeOf(unknown)).toThrow(/unknown kind/);
  });
});
