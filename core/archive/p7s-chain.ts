// The archive chain of a detached CAdES seal (ETSI EN 319 122-1 §5.5.3): its signature time-stamp, then each
// archive-time-stamp-v3 in order — each checked by the verifier (a sound token, its ATSv3 imprint), each made while
// the previous TSA certificate was valid and before any revocation known, each TSA judged against the trust store;
// protected until the newest TSA certificate's notAfter.
import { readFile } from 'node:fs/promises';
import { embeddedTokens, signedDataLayout } from '../cms/archive-timestamp.js';
import { CoreError, errorMessage } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import { getOperation } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import type { RevocationContext } from '../revocation/collect.js';
import { verifyCades } from '../validation/cades-report.js';
import { tsaTrustProblems } from '../validation/trust.js';
import { judgeChain, type ChainVerdict, type LinkFacts, type LinkVerdict } from './chain-judge.js';
import { knownRevocations } from './chain-revocation.js';

export type P7sChainLink = LinkVerdict & {
  readonly kind: 'signature-timestamp' | 'archive-timestamp';
  readonly genTime: string | null;
  readonly tsaName: string | null;
  readonly tsaCertNotAfter: string | null;
};
export type P7sChain = ChainVerdict<P7sChainLink> & { readonly id: string; readonly path: string };

export async function p7sChainOf(
  db: Ledger,
  id: string,
  anchors: readonly Uint8Array[],
  online: RevocationContext | null = null,
): Promise<P7sChain> {
  const op = getOperation(db, id);
  if (!op || op.signatureType !== 'cades' || !op.outputPath || !op.filePath)
    throw new CoreError('NOT_FOUND', `no .p7s seal ${id}`);
  const content = op.filePath;
  const p7s = new Uint8Array(
    await readFile(op.outputPath).catch((err: unknown) => {
      throw new CoreError('NOT_FOUND', `${op.outputPath} cannot be read (${errorMessage(err)})`);
    }),
  );
  const report = await verifyCades(p7s, {
    digestContent: async (alg) => (await hashFile(content, [alg])).digests[alg],
    anchors,
    now: new Date(),
  });
  const checks = [report.signatureTimestamp, ...report.archiveTimestamps].filter((c) => c !== null);
  const facts = checks.map((c): LinkFacts & Pick<P7sChainLink, 'kind' | 'tsaName'> => ({
    kind: c.kind,
    genTime: c.genTime,
    tsaName: c.tsaName,
    tsaCertNotAfter: c.tsa?.notAfter ?? null,
    problems: c.problems.filter((p) => !c.trustProblems.includes(p)),
    trustProblems: c.tsa ? c.trustProblems : tsaTrustProblems(null),
  }));
  return {
    id,
    path: op.outputPath,
    ...judgeChain(facts, await knownRevocations(db, tokensInOrder(p7s, report.signatureTimestamp !== null), online)),
  };
}

/** The tokens the checks were made of, in the same order: the signature time-stamp (if judged), then each archive time-stamp. */
function tokensInOrder(p7s: Uint8Array, withSignatureTimestamp: boolean): Uint8Array[] {
  let tokens: ReturnType<typeof embeddedTokens>;
  try {
    tokens = embeddedTokens(signedDataLayout(p7s));
  } catch {
    return []; // unreadable: the checks already say why, and no revocation can be looked up
  }
  const signature = tokens.find((t) => t.kind === 'signature');
  return [
    ...(withSignatureTimestamp && signature ? [signature.token] : []),
    ...tokens.filter((t) => t.kind === 'archive').map((t) => t.token),
  ];
}
