// `sealdesk tsa list|add|enable|disable|remove|move`: the user's TSA list (seed /proxy/services).
import { UsageError } from '../../core/errors.js';
import { OID } from '../../core/asn1/oids.js';
import { addTsa, listTsas, moveTsa, recentFailures, removeTsa, setTsaEnabled } from '../../core/ledger/index.js';
import type { TsaProvider } from '../../core/tsp/index.js';
import { hashOption, parse, positiveInt } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function tsaCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parse(`tsa ${verb ?? ''}`.trim(), rest, {
    name: { type: 'string' },
    hash: { type: 'string' },
    url: { type: 'string' },
    qualified: { type: 'boolean' },
  });
  const arg = (i: number, what: string) =>
    positionals[i] ??
    (() => {
      throw new UsageError(`tsa ${verb}: missing ${what}`);
    })();
  return withLedger(io, (db) => {
    switch (verb) {
      case 'list':
      case undefined:
        break;
      case 'add':
        addTsa(db, {
          slug: arg(0, '<slug>'),
          url: arg(1, '<url>'),
          name: values.name,
          preferredHash: hashOption(values.hash),
          qualified: values.qualified,
        });
        break;
      case 'enable':
        setTsaEnabled(db, arg(0, '<slug>'), true, values.url);
        break;
      case 'disable':
        setTsaEnabled(db, arg(0, '<slug>'), false);
        break;
      case 'remove':
        removeTsa(db, arg(0, '<slug>'));
        break;
      case 'move':
        moveTsa(db, arg(0, '<slug>'), positiveInt('<position>', arg(1, '<position>'), 1));
        break;
      case 'failures': {
        const failures = recentFailures(db, 50, positionals[0]);
        if (values.json) printJson(io, failures);
        else
          for (const f of failures)
            io.stdout(
              `${f.at}  ${f.tsa}  ${f.errorClass}${f.statusCode ? ` ${f.statusCode}` : ''}  ${f.latencyMs} ms  ${f.message}\n`,
            );
        return EXIT.ok;
      }
      default:
        throw new UsageError(`tsa: unknown action "${verb}" (list, add, enable, disable, remove, move, failures)`);
    }
    const all = listTsas(db);
    if (values.json) printJson(io, all.map(serviceJson));
    else io.stdout(all.map(serviceLine).join('\n') + '\n');
    return EXIT.ok;
  });
}

/** Seed /proxy/services item (+ position, qualified, builtin). */
function serviceJson(t: TsaProvider) {
  return {
    id: t.id,
    name: t.name,
    proxySlug: t.slug,
    endpointUrl: t.url,
    preferredHashOid: OID[t.preferredHash],
    isActive: t.enabled,
    position: t.position,
    qualified: t.qualified,
    builtin: t.builtin,
  };
}

function serviceLine(t: TsaProvider): string {
  const state = t.enabled ? 'enabled ' : t.url ? 'disabled' : 'needs URL';
  return (
    `${String(t.position).padStart(2)}. ${t.slug.padEnd(18)} ${state.padEnd(9)} ${t.preferredHash.padEnd(7)}` +
    ` ${t.qualified ? 'qualified ' : ''}${t.url ?? ''}`
  );
}
