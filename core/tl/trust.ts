// Trust from the EU trusted lists (`--trust-eu`, the desktop setting): a certificate under a CA/QC or TSA/QTST service
// granted at the time asked about is trusted, and the report names the list's country and the service. Only services
// whose list's signature verified count; the path itself is checked by core/validation/chain.ts as for any anchor.
import type { TrustSource } from '../model/qualification.js';
import { validateChain } from '../validation/chain.js';
import type { TlContext } from './assess.js';
import { servicesFor, type TlMatch } from './match.js';
import { SVC_TYPE } from './model.js';
import { statusAt } from './status-at.js';

export type TlTrust = { readonly path: readonly string[]; readonly message: string; readonly source: TrustSource };

const source = (m: TlMatch): TrustSource => ({
  kind: 'eu-tl',
  territory: m.service.territory,
  tspName: m.service.tspName,
  serviceName: m.service.serviceName,
  type: m.service.type,
});

/** The certificate's path to a certificate a granted TL service lists, or null (also when `trustEu` is off). */
export async function trustFromTl(
  tl: TlContext,
  leaf: Uint8Array,
  intermediates: readonly Uint8Array[],
  at: Date,
): Promise<TlTrust | null> {
  if (!tl.trustEu) return null;
  const matches = servicesFor(tl.index, leaf, intermediates, [SVC_TYPE.caQc, SVC_TYPE.tsaQtst]).filter(
    (m) => m.list.signature === 'valid' && statusAt(m.service, at).status === 'granted',
  );
  for (const m of matches) {
    const where = `${m.service.serviceName} (${m.service.territory}, ${m.service.tspName})`;
    if (m.via === 'certificate' && m.depth === 0) {
      // The certificate itself is the listed service identity (a TSA unit): trusted while it is valid.
      const c = m.cert;
      if (c.notBefore.getTime() <= at.getTime() && at.getTime() <= c.notAfter.getTime())
        return { path: [], message: `listed in the EU trusted lists: ${where}`, source: source(m) };
      continue;
    }
    const r = await validateChain(leaf, { anchors: [m.cert.der], intermediates, at });
    if (r.status === 'chained')
      return { path: r.path, message: `${r.message}, listed in the EU trusted lists: ${where}`, source: source(m) };
  }
  return null;
}
