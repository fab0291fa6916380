// Turns a TSA's answer into the facts the ledger keeps and the seed's stamp response shows.
import { createHash } from 'node:crypto';
import type { StampResult } from '../tsp/dispatcher.js';
import type { TokenFacts } from '../ledger/stamps.js';

export function tokenFacts(result: StampResult): TokenFacts {
  const info = result.decoded.token!.tstInfo;
  return {
    tsaSlug: result.provider.slug,
    tsaName: result.provider.name,
    genTime: info.genTime.toISOString(),
    serialHex: info.serialHex,
    policyOid: info.policyOid,
    tsaCertNotAfter: result.signature.signer?.notAfter.toISOString() ?? null,
    tsr: result.responseDer,
    tsrSha256: createHash('sha256').update(result.responseDer).digest('hex'),
    qualified: result.provider.qualified,
  };
}
