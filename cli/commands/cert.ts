// `sealdesk cert list | import`: the certificates Sealdesk seals with (seed /seal/certificates shapes).
import { UsageError } from '../../core/errors.js';
import { listCertificates, type CertificateRecord } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { SIGNER_OPTIONS, resolveSigner } from '../signer-options.js';

export async function certCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values } = parse(`cert ${verb ?? ''}`.trim(), rest, SIGNER_OPTIONS);
  return withLedger(io, async (db) => {
    switch (verb) {
      case 'list':
      case undefined: {
        const all = listCertificates(db);
        if (values.json) printJson(io, all.map(certJson));
        else io.stdout(all.length === 0 ? 'no certificates yet: the default seal is made on first `sealdesk seal`\n' : all.map(certLine).join(''));
        return EXIT.ok;
      }
      case 'import': {
        if (!values['pkcs11-module'] && !values.key && !values.p12) throw new UsageError('cert import: give --p12 <file> --password-env VAR, --pkcs11-module <so> --token <label> --key <label>, or --key <pkcs8.pem> --chain <chain.pem>');
        const { signer, certificate } = await resolveSigner(db, io, values);
        await signer.close();
        if (values.json) printJson(io, certJson(certificate));
        else io.stdout(`imported ${certificate.subject} as ${certificate.id}: seal with --cert ${certificate.id}\n`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`cert: unknown action "${verb}" (list, import)`);
    }
  });
}

/** Seed /seal/certificates item (+ kind and chain length). */
function certJson(c: CertificateRecord) {
  return { id: c.id, label: c.label, status: c.status, source: c.source, certSubject: c.subject, certNotBefore: c.notBefore, certNotAfter: c.notAfter, kind: c.kind, chainLength: c.chain.length };
}

function certLine(c: CertificateRecord): string {
  return `${c.id}  ${c.status.padEnd(12)} ${c.source.padEnd(5)} ${c.kind.padEnd(7)} ${c.subject ?? ''}  until ${c.notAfter?.slice(0, 10) ?? '?'}\n`;
}
