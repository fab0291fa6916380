// The archive chain of a sealed PDF: its seal's time-stamp, then each document time-stamp in file order — each
// checked by the verifier (its byte range, its imprint, its token), each made while the previous TSA certificate was
// valid and before any revocation the ledger knows, each TSA judged against the trust store; protected until the
// newest TSA certificate's notAfter.
import { CoreError } from '../errors.js';
import { getOperation } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import { chainEvidence } from '../pades/chain-evidence.js';
import type { CertificateReport, SignatureReport } from '../pades/verify/types.js';
import { verifyPdf } from '../pades/verify/verify-pdf.js';
import type { RevocationContext } from '../revocation/collect.js';
import { tsaTrustProblems } from '../validation/trust.js';
import { judgeChain, type ChainVerdict, type LinkFacts, type LinkVerdict } from './chain-judge.js';
import { knownRevocations } from './chain-revocation.js';

export type PdfChainLink = LinkVerdict & {
  readonly fieldName: string;
  readonly kind: 'signature-timestamp' | 'document-timestamp';
  readonly genTime: string | null;
  readonly tsaName: string | null;
  readonly tsaCertNotAfter: string | null;
};
export type PdfChain = ChainVerdict<PdfChainLink> & { readonly id: string; readonly path: string };

type PdfLinkFacts = LinkFacts & Pick<PdfChainLink, 'fieldName' | 'kind' | 'tsaName'>;

export async function pdfChainOf(
  db: Ledger,
  id: string,
  anchors: readonly Uint8Array[],
  online: RevocationContext | null = null,
): Promise<PdfChain> {
  const op = getOperation(db, id);
  if (!op || op.signatureType !== 'pades' || !op.outputPath) throw new CoreError('NOT_FOUND', `no sealed PDF ${id}`);
  const report = await verifyPdf(op.outputPath, { anchors, now: new Date(), online: null });
  const facts = report.signatures.flatMap((s): PdfLinkFacts[] => {
    const t = s.timestamp;
    if (s.kind === 'document-timestamp')
      return [
        {
          fieldName: s.fieldName,
          kind: 'document-timestamp',
          genTime: t?.genTime ?? null,
          tsaName: t?.tsaName ?? null,
          tsaCertNotAfter: s.signer?.notAfter ?? null,
          problems: docTimestampProblems(s),
          trustProblems: trustOf(s.signer),
        },
      ];
    if (t)
      return [
        {
          fieldName: s.fieldName,
          kind: 'signature-timestamp',
          genTime: t.genTime,
          tsaName: t.tsaName,
          tsaCertNotAfter: t.tsa?.notAfter ?? null,
          problems: t.problems,
          trustProblems: trustOf(t.tsa),
        },
      ];
    return [];
  });
  const evidence = facts.length ? chainEvidence(op.outputPath) : new Map();
  const revoked = await knownRevocations(
    db,
    facts.map((l) => evidence.get(l.fieldName)?.token ?? null),
    online,
  );
  return { id, path: op.outputPath, ...judgeChain(facts, revoked) };
}

/** The token and what it covers (its byte range, its imprint), and nothing changed after it that is not allowed. */
function docTimestampProblems(s: SignatureReport): string[] {
  const problems = [...(s.timestamp?.problems ?? [])];
  if (!s.intact && problems.length === 0)
    problems.push(s.reasons[0] ?? 'the document time-stamp could not be shown to be intact');
  for (const c of s.changesAfter) if (!c.allowed) problems.push(`changed after this time-stamp: ${c.detail}`);
  return problems;
}

const trustOf = (tsa: CertificateReport | null) =>
  tsaTrustProblems(tsa && { trust: tsa.trust, message: tsa.trustMessage });
