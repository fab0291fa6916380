// Tokens (PKCS#11) from the desktop: list a module's tokens and certificates (no PIN needed), and make one of them a
// certificate to seal with; the PIN is asked at sealing time and never stored.
import { registerPkcs11 } from '../../core/certificates/register.js';
import { CoreError } from '../../core/errors.js';
import { listTokens, withModule } from '../../core/signers/pkcs11/index.js';
import type { CertificateItem, TokenItem } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

export function tokenServices(c: ServiceContext) {
  const list = (module: string) => withModule(module, (p) => listTokens(p));
  return {
    list: async (r: { module: string }): Promise<TokenItem[]> =>
      (await list(r.module)).map((t) => ({
        label: t.label,
        manufacturer: t.manufacturer,
        model: t.model,
        certificates: t.certificates.map((x) => ({
          label: x.label,
          idHex: x.idHex,
          subject: x.subject,
          notAfter: x.notAfter,
        })),
      })),
    use: async (r: { module: string; token: string; idHex: string }): Promise<CertificateItem> => {
      const token = (await list(r.module)).find((t) => t.label === r.token);
      const cert = token?.certificates.find((x) => x.idHex === r.idHex);
      if (!token || !cert) throw new CoreError('CERT_NOT_FOUND', `no certificate id:${r.idHex} on token "${r.token}"`);
      const rec = await c.withDb((db) =>
        registerPkcs11(db, { module: r.module, token: r.token, key: `id:${r.idHex}` }, [cert.der]),
      );
      return {
        id: rec.id,
        label: rec.label,
        kind: rec.kind,
        subject: rec.subject,
        status: rec.status,
        notAfter: rec.notAfter,
      };
    },
  };
}
