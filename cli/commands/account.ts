// `sealdesk account login <url> … | status | logout`: the remote API account this machine syncs with (issue 17). The
// credential is kept in <data folder>/account.json (0600, core/sync/account-file.ts); secrets come from environment
// variables or a prompt without echo, never from the command line, and never appear in the output or --json.
import { accountStatus, login, logout, viewOf, type AccountView, type LoginOptions } from '../../core/app/account.js';
import { UsageError } from '../../core/errors.js';
import { fileAccountStore } from '../../core/sync/account-file.js';
import { parse } from '../args.js';
import { homeDir, withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

const LOGIN = {
  email: { type: 'string' },
  'password-env': { type: 'string' },
  'api-key-env': { type: 'string' },
  'hmac-key-env': { type: 'string' },
  'hmac-secret-env': { type: 'string' },
  'jwt-kid': { type: 'string' },
  'jwt-secret-env': { type: 'string' },
} as const;
/** One option set for every action (the help test probes each option with the first action); checked per action. */
const OPTIONS = { ...LOGIN, offline: { type: 'boolean' } } as const;

export async function accountCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const store = fileAccountStore(homeDir(io));
  const { values, positionals } = parse(`account ${verb ?? ''}`.trim(), rest, OPTIONS);
  const given = Object.keys(values).filter((k) => k !== 'json' && k !== 'help');
  const allowed = verb === 'login' ? Object.keys(LOGIN) : verb === 'status' ? ['offline'] : [];
  const stray = given.find((k) => !allowed.includes(k));
  if (stray) throw new UsageError(`account ${verb ?? ''}: --${stray} does not apply here`);
  if (verb !== 'login' && positionals.length > 0) throw new UsageError(`account ${verb ?? ''}: takes no arguments`);
  if (verb === 'login') {
    if (positionals.length !== 1)
      throw new UsageError('account login: name the server URL, e.g. https://seal.example.org');
    const o = await loginOptions(positionals[0]!, values, io);
    const account = await withLedger(io, (db) => login(store, o, db));
    const view = viewOf(account);
    if (values.json) printJson(io, { state: 'signed-in', account: view });
    else io.stdout(`signed in to ${view.serverUrl} ${who(view)}\n`);
    return EXIT.ok;
  }
  if (verb === 'status') {
    const status = await accountStatus(store, { check: !values.offline });
    if (values.json) printJson(io, status);
    else if (status.state === 'no-account') io.stdout('no account (sign in with `sealdesk account login <url>`)\n');
    else io.stdout(`${status.account.serverUrl} ${who(status.account)}: ${STATE_LINE[status.state]}\n`);
    if (status.state === 'offline') return EXIT.queued;
    return status.state === 'sign-in-needed' ? EXIT.usage : EXIT.ok;
  }
  if (verb === 'logout') {
    const had = await withLedger(io, (db) => logout(store, db));
    if (values.json) printJson(io, { state: 'no-account', signedOut: had });
    else io.stdout(had ? 'signed out; queued work is kept for the next sign-in\n' : 'no account was signed in\n');
    return EXIT.ok;
  }
  throw new UsageError(`account: unknown action "${verb ?? ''}" (login, status, logout)`);
}

const STATE_LINE = {
  'signed-in': 'signed in, the server accepts this machine',
  offline: 'the server cannot be reached now',
  'sign-in-needed': 'the server refused the credential; sign in again',
  unchecked: 'signed in (not checked with the server)',
} as const;

function who(v: AccountView): string {
  const as = v.user.email ? `as ${v.user.email}` : 'signed in';
  const tenant = v.user.tenantId ? `, organisation ${v.user.tenantId}` : '';
  return `(${as} by ${v.scheme}${v.keyId ? ` key ${v.keyId}` : ''}${tenant})`;
}

function secretFrom(io: CliIo, option: string, name: string): string {
  const value = io.env[name];
  if (value === undefined || value === '')
    throw new UsageError(`account login: --${option} ${name}: ${name} is not set`);
  return value;
}

type LoginValues = { [K in keyof typeof LOGIN]?: string };

async function loginOptions(serverUrl: string, v: LoginValues, io: CliIo): Promise<LoginOptions> {
  const schemes = [v['api-key-env'], v['hmac-key-env'] ?? v['hmac-secret-env'], v['jwt-kid'] ?? v['jwt-secret-env']];
  const chosen = schemes.filter((s) => s !== undefined).length;
  if (chosen > 1 || (chosen === 1 && (v.email !== undefined || v['password-env'] !== undefined)))
    throw new UsageError('account login: choose one way to sign in (password, API key, HMAC key or JWT key)');
  if (v['api-key-env']) return { serverUrl, apiKey: secretFrom(io, 'api-key-env', v['api-key-env']) };
  if (v['hmac-key-env'] || v['hmac-secret-env']) {
    if (!v['hmac-key-env'] || !v['hmac-secret-env'])
      throw new UsageError('account login: an HMAC key needs both --hmac-key-env and --hmac-secret-env');
    const keyId = secretFrom(io, 'hmac-key-env', v['hmac-key-env']);
    return { serverUrl, hmac: { keyId, secret: secretFrom(io, 'hmac-secret-env', v['hmac-secret-env']) } };
  }
  if (v['jwt-kid'] || v['jwt-secret-env']) {
    if (!v['jwt-kid'] || !v['jwt-secret-env'])
      throw new UsageError('account login: a JWT key needs both --jwt-kid and --jwt-secret-env');
    return { serverUrl, jwt: { kid: v['jwt-kid'], secret: secretFrom(io, 'jwt-secret-env', v['jwt-secret-env']) } };
  }
  if (!v.email) throw new UsageError('account login: give --email (or an API key, HMAC key or JWT key)');
  if (v['password-env'])
    return { serverUrl, email: v.email, password: secretFrom(io, 'password-env', v['password-env']) };
  if (!io.askSecret) throw new UsageError('account login: no terminal to ask the password on; use --password-env VAR');
  return { serverUrl, email: v.email, password: await io.askSecret(`Password for ${v.email}: `) };
}
