// `sealdesk tokens --pkcs11-module <so> [--pin-env VAR] [--json]`: tokens, their keys (after login) and certificates.
import { UsageError } from '../../core/errors.js';
import { listTokens, withModule, type TokenListing } from '../../core/signers/pkcs11/index.js';
import { pemEncode } from '../../core/util/pem.js';
import { parse } from '../args.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { secretFrom } from '../signer-options.js';

export async function tokensCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parse('tokens', argv, {
    'pkcs11-module': { type: 'string' },
    'pin-env': { type: 'string' },
    token: { type: 'string' },
  });
  const module = values['pkcs11-module'] ?? io.env.SEALDESK_PKCS11_MODULE;
  if (!module)
    throw new UsageError('tokens: name the PKCS#11 module with --pkcs11-module <path.so> (or SEALDESK_PKCS11_MODULE)');
  const pin = secretFrom(io, values['pin-env'], 'the token PIN');
  const tokens = await withModule(module, (p) =>
    listTokens(p, (label) => (!values.token || values.token === label ? pin : undefined)),
  );
  if (values.json) printJson(io, tokens.map(json));
  else io.stdout(tokens.length === 0 ? 'no token present\n' : tokens.map(text).join(''));
  return EXIT.ok;
}

function json(t: TokenListing) {
  return { ...t, certificates: t.certificates.map(({ der, ...c }) => ({ ...c, certificatePem: pemEncode(der) })) };
}

function text(t: TokenListing): string {
  const lines = [`${t.label} (${t.manufacturer} ${t.model}, serial ${t.serial})`];
  for (const k of t.keys) lines.push(`  key   ${k.label || '(no label)'}  id:${k.idHex}  ${k.type}`);
  if (t.keys.length === 0 && t.loginRequired) lines.push('  keys  (give --pin-env VAR to list them)');
  for (const c of t.certificates)
    lines.push(`  cert  ${c.label || '(no label)'}  id:${c.idHex}  ${c.subject}  until ${c.notAfter.slice(0, 10)}`);
  return `${lines.join('\n')}\n`;
}
