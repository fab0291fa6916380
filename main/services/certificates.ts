// Settings → certificates: provision a key here and save its CSR for the CA, activate with the CA's chain, revoke.
// (Token and KMS provisioning stay on the command line, which holds the PIN and the cloud credentials.)
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { openSigner } from '../../core/app/open-signer.js';
import { activate, provisionCertificate, revoke } from '../../core/certificates/index.js';
import { InputError } from '../../core/errors.js';
import { writeNewFile } from '../../core/fs/atomic.js';
import type { CertificateItem, RequestOf } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

const item = (r: {
  id: string;
  label: string;
  kind: string;
  subject: string | null;
  status: string;
  notAfter: string | null;
}): CertificateItem => ({
  id: r.id,
  label: r.label,
  kind: r.kind,
  subject: r.subject,
  status: r.status,
  notAfter: r.notAfter,
});

export function certificateServices(c: ServiceContext) {
  return {
    provision: (r: RequestOf<'certs:provision'>) =>
      c.withDb(async (db) => {
        const csrOut = resolve(r.csrOut);
        const { record, csrPem } = await provisionCertificate(db, {
          signer: 'file',
          home: c.opts.dataDir,
          key: r.key ?? 'ec-p256',
          label: r.label,
          now: new Date(),
          subject: {
            commonName: r.commonName,
            organization: r.organization,
            countryCode: r.countryCode,
            organizationalUnit: r.organizationalUnit || undefined,
            locality: r.locality || undefined,
            state: r.state || undefined,
          },
        });
        await writeNewFile(csrOut, Buffer.from(csrPem));
        return { certificate: item(record), csrPath: csrOut };
      }),
    /** `path`: the chain the CA returned (a file the user chose; main resolved its handle). */
    activate: (r: { id: string; path: string }) =>
      c.withDb(async (db) => {
        const text = await readFile(r.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
          throw new InputError('INPUT_UNREADABLE', `cannot read ${r.path}: ${err.code ?? err.message}`);
        });
        return item(await activate(db, r.id, parsePemCertificates(text)));
      }),
    revoke: (r: { id: string }) => c.withDb(async (db) => item((await revoke(db, r.id)).record)),
    /** `sealdesk cert import --p12`, through core/app/open-signer as the CLI: the ledger keeps where the file is. */
    importP12: (r: { path: string; password: string }) =>
      c.withDb(async (db) => {
        const spec = { kind: 'p12', path: r.path, password: r.password } as const;
        const { signer, certificate } = await openSigner({ db, home: c.opts.dataDir }, spec);
        await signer.close();
        return item(certificate);
      }),
  };
}
