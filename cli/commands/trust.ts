// `sealdesk trust add <ca.pem> | list | remove <id>`: the ledger's trust store, used by `verify` with --trust.
import { certificateFacts } from '../../core/asn1/certificate.js';
import { CoreError, UsageError } from '../../core/errors.js';
import { addTrustAnchor, listTrustAnchors, removeTrustAnchor } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { readCertificates } from './token-input.js';

export async function trustCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parse(`trust ${verb ?? ''}`.trim(), rest, {});
  if (verb === 'add') {
    if (positionals.length === 0) throw new UsageError('trust add: name a PEM or DER certificate file');
    const certs = readCertificates(positionals);
    const added = await withLedger(io, (db) =>
      certs.map((der) => {
        const f = certificateFacts(der);
        return addTrustAnchor(db, {
          subject: f.subject,
          der,
          notAfter: f.notAfter.toISOString(),
          at: new Date().toISOString(),
        });
      }),
    );
    if (values.json)
      printJson(
        io,
        added.map(({ anchor, added }) => ({ ...json(anchor), added })),
      );
    else
      for (const { anchor, added: isNew } of added)
        io.stdout(`${isNew ? 'trusted' : 'already trusted'}: ${anchor.subject}  (${anchor.id})\n`);
    return EXIT.ok;
  }
  if (verb === 'list' || verb === undefined) {
    const anchors = await withLedger(io, (db) => listTrustAnchors(db));
    if (values.json) printJson(io, anchors.map(json));
    else
      io.stdout(
        anchors.length === 0
          ? 'no trust anchors (add one with `sealdesk trust add <ca.pem>`)\n'
          : anchors
              .map((a) => `${a.id}  ${a.sha256.slice(0, 16)}  until ${a.notAfter.slice(0, 10)}  ${a.subject}\n`)
              .join(''),
      );
    return EXIT.ok;
  }
  if (verb === 'remove') {
    const id = positionals[0];
    if (!id) throw new UsageError('trust remove: name the anchor (its id or SHA-256 prefix, see `trust list`)');
    if (!(await withLedger(io, (db) => removeTrustAnchor(db, id))))
      throw new CoreError('NOT_FOUND', `no trust anchor ${id}`);
    if (!values.json) io.stdout(`removed ${id}\n`);
    else printJson(io, { removed: id });
    return EXIT.ok;
  }
  throw new UsageError(`trust: unknown action "${verb}" (add, list, remove)`);
}

const json = (a: { id: string; subject: string; sha256: string; notAfter: string; addedAt: string }) => ({
  id: a.id,
  subject: a.subject,
  sha256: a.sha256,
  notAfter: a.notAfter,
  addedAt: a.addedAt,
});
