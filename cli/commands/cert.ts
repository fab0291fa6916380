// `sealdesk cert list | import`: the certificates Sealdesk seals with (seed /seal/certificates shapes).
import { UsageError } from '../../core/errors.js';
import { listCertificates, type CertificateRecord } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { SIGNER_OPTIONS, pkcs11Ref, requiredSecret, resolveSigner, secretFrom } from '../signer-options.js';
import { activate, provisionCertificate, revoke, type KeySpec } from '../../core/certificates/index.js';
import { parsePemCertificates } from '../../core/asn1/certificate.js';
import { readInput } from './token-input.js';
import { homeDir } from '../context.js';

const PROVISION_OPTIONS = {
  signer: { type: 'string' },
  cn: { type: 'string' },
  org: { type: 'string' },
  country: { type: 'string' },
  ou: { type: 'string' },
  locality: { type: 'string' },
  state: { type: 'string' },
  label: { type: 'string' },
  'destroy-key': { type: 'boolean' },
} as const;
const KEY_SPECS: readonly KeySpec[] = ['rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384'];

export async function certCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parse(`cert ${verb ?? ''}`.trim(), rest, { ...SIGNER_OPTIONS, ...PROVISION_OPTIONS });
  return withLedger(io, async (db) => {
    switch (verb) {
      case 'list':
      case undefined: {
        const all = listCertificates(db);
        if (values.json) printJson(io, all.map(certJson));
        else
          io.stdout(
            all.length === 0
              ? 'no certificates yet: the default seal is made on first `sealdesk seal`\n'
              : all.map(certLine).join(''),
          );
        return EXIT.ok;
      }
      case 'import': {
        if (!values['pkcs11-module'] && !values.key && !values.p12)
          throw new UsageError(
            'cert import: give --p12 <file> --password-env VAR, --pkcs11-module <so> --token <label> --key <label>, or --key <pkcs8.pem> --chain <chain.pem>',
          );
        const { signer, certificate } = await resolveSigner(db, io, values);
        await signer.close();
        if (values.json) printJson(io, certJson(certificate));
        else io.stdout(`imported ${certificate.subject} as ${certificate.id}: seal with --cert ${certificate.id}\n`);
        return EXIT.ok;
      }
      case 'provision': {
        const kind = values.signer;
        if (kind !== 'file' && kind !== 'pkcs11' && kind !== 'kms')
          throw new UsageError('cert provision: --signer file|pkcs11|kms');
        if (!values.cn || !values.org || !values.country)
          throw new UsageError('cert provision: --cn NAME --org ORG --country CC are required');
        if (!/^[A-Z]{2}$/.test(values.country))
          throw new UsageError('--country is a two-letter ISO 3166 code, like NO or DE');
        const spec = (values.key ?? 'ec-p256') as KeySpec;
        if (!KEY_SPECS.includes(spec))
          throw new UsageError(`--key must be one of ${KEY_SPECS.join(', ')} (not ${values.key})`);
        const subject = {
          commonName: values.cn,
          organization: values.org,
          countryCode: values.country,
          organizationalUnit: values.ou,
          locality: values.locality,
          state: values.state,
        };
        const common = { subject, label: values.label, key: spec, now: new Date() };
        const result =
          kind === 'file'
            ? await provisionCertificate(db, {
                signer: 'file',
                home: homeDir(io),
                passphrase: secretFrom(io, values['password-env'], 'the key password'),
                ...common,
              })
            : kind === 'kms'
              ? await provisionCertificate(db, {
                  signer: 'kms',
                  region: values['kms-region'],
                  endpoint: values['kms-endpoint'],
                  ...common,
                })
              : await provisionCertificate(db, {
                  signer: 'pkcs11',
                  ...tokenOf(values),
                  pin: await requiredSecret(io, values['pin-env'], 'the token PIN', 'PIN_REQUIRED', '--pin-env'),
                  ...common,
                });
        if (values.json)
          printJson(io, {
            id: result.record.id,
            label: result.record.label,
            status: result.record.status,
            keyRef: result.record.keyRef,
            csrPem: result.csrPem,
          });
        else
          io.stdout(
            `${result.csrPem}provisioned ${result.record.id}: send the CSR above to your CA, then \`sealdesk cert activate ${result.record.id} <chain.pem>\`\n`,
          );
        return EXIT.ok;
      }
      case 'activate': {
        const [id, chainPath] = positionals;
        if (!id || !chainPath) throw new UsageError('cert activate <id> <chain.pem>');
        const record = await activate(
          db,
          id,
          parsePemCertificates(Buffer.from(readInput(chainPath, 'certificate chain')).toString('utf8')),
        );
        if (values.json)
          printJson(io, {
            id: record.id,
            status: record.status,
            certSubject: record.subject,
            certNotBefore: record.notBefore,
            certNotAfter: record.notAfter,
          });
        else io.stdout(`activated ${record.id}: ${record.subject}, valid until ${record.notAfter}\n`);
        return EXIT.ok;
      }
      case 'revoke': {
        const [id] = positionals;
        if (!id) throw new UsageError('cert revoke <id> [--destroy-key]');
        const { record, keyDestroyed } = await revoke(db, id, {
          destroyKey: values['destroy-key'],
          pin: secretFrom(io, values['pin-env'], 'the token PIN'),
        });
        const message = `Certificate revoked.${keyDestroyed ? ' Key destroyed.' : ''}`;
        if (values.json) printJson(io, { message, id: record.id, status: record.status, keyDestroyed });
        else io.stdout(`${message}\n`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`cert: unknown action "${verb}" (list, import, provision, activate, revoke)`);
    }
  });
}

function tokenOf(v: { 'pkcs11-module'?: string; token?: string }): { module: string; token: string } {
  if (!v['pkcs11-module'] || !v.token)
    throw new UsageError('cert provision --signer pkcs11 needs --pkcs11-module <so> --token <label>');
  return { module: pkcs11Ref({ ...v, key: 'x' }).module, token: v.token };
}

/** Seed /seal/certificates item (+ kind and chain length). */
function certJson(c: CertificateRecord) {
  return {
    id: c.id,
    label: c.label,
    status: c.status,
    source: c.source,
    certSubject: c.subject,
    certNotBefore: c.notBefore,
    certNotAfter: c.notAfter,
    kind: c.kind,
    chainLength: c.chain.length,
  };
}

function certLine(c: CertificateRecord): string {
  return `${c.id}  ${c.status.padEnd(12)} ${c.source.padEnd(5)} ${c.kind.padEnd(7)} ${c.subject ?? ''}  until ${c.notAfter?.slice(0, 10) ?? '?'}\n`;
}
