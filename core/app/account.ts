// The sync account's user actions (issue 17, "Accounts"): sign in with a password, an API key, seed 004's HMAC key or
// seed 000's client-JWT key; show the account; sign out (queued work is kept). The CLI and the desktop call these with
// their own AccountStore (a 0600 file, the OS keychain). A password is sent once and never stored: only the session
// tokens it yields are.
import { CoreError, UsageError } from '../errors.js';
import { setSyncAccount, type Ledger } from '../ledger/index.js';
import { openRemoteClient, type RemoteClientOptions } from '../sync/http.js';
import type { Account, AccountStore, Credential, RemoteClient } from '../sync/types.js';

export type LoginOptions = {
  readonly serverUrl: string;
  readonly email?: string;
  readonly password?: string;
  readonly apiKey?: string;
  readonly hmac?: { readonly keyId: string; readonly secret: string };
  readonly jwt?: { readonly kid: string; readonly secret: string };
};

/** What may be shown of an account (status, --json, logs): no token, key or secret. */
export type AccountView = {
  readonly serverUrl: string;
  readonly scheme: Credential['scheme'];
  /** The HMAC key id or the JWT kid (identifiers, not secrets); null otherwise. */
  readonly keyId: string | null;
  readonly user: Account['user'];
  readonly capabilities: readonly string[];
};

export type AccountStatus =
  | { readonly state: 'no-account' }
  | { readonly state: 'signed-in' | 'offline' | 'sign-in-needed' | 'unchecked'; readonly account: AccountView };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Scheme, host, port and path prefix, no trailing slash; https, or http on loopback only (a password in clear). */
export function normaliseServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UsageError(`"${input}" is not a server URL (https://host[:port][/prefix])`);
  }
  if (url.username || url.password) throw new UsageError('the server URL must not carry a user name or password');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new UsageError(`the server URL must be https:// (plain http only on this machine), not ${url.protocol}//`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function viewOf(a: Account): AccountView {
  const c = a.credential;
  const keyId = c.scheme === 'hmac' ? c.keyId : c.scheme === 'jwt' ? c.kid : null;
  return { serverUrl: a.serverUrl, scheme: c.scheme, keyId, user: a.user, capabilities: a.capabilities };
}

function chooseCredential(o: LoginOptions): Credential | 'password' {
  const given = [o.password !== undefined, o.apiKey !== undefined, o.hmac !== undefined, o.jwt !== undefined];
  if (given.filter(Boolean).length !== 1)
    throw new UsageError('sign in with exactly one of: a password, an API key, an HMAC key, a JWT key');
  if (o.apiKey !== undefined) return { scheme: 'api-key', key: o.apiKey };
  if (o.hmac) return { scheme: 'hmac', keyId: o.hmac.keyId, secret: o.hmac.secret };
  if (o.jwt) return { scheme: 'jwt', kid: o.jwt.kid, secret: o.jwt.secret };
  if (!o.email) throw new UsageError('a password sign-in needs the email address (--email)');
  return 'password';
}

/** GET /api/capabilities (ours); a server without it (the real Sigill: 404) offers no extensions. */
async function capabilities(client: RemoteClient): Promise<string[]> {
  try {
    const body = await client.json<{ extensions?: unknown }>({
      method: 'GET',
      path: '/api/capabilities',
      anonymous: true,
    });
    const ext = body.extensions;
    return Array.isArray(ext) ? ext.filter((e): e is string => typeof e === 'string') : [];
  } catch (err) {
    if (err instanceof CoreError && err.code === 'REMOTE_REFUSED' && err.details?.status === 404) return [];
    if (err instanceof CoreError && err.code === 'REMOTE_UNSUPPORTED') return [];
    throw err;
  }
}

async function passwordSession(client: RemoteClient, email: string, password: string): Promise<Credential> {
  try {
    const body = await client.json<{ token?: unknown; refreshToken?: unknown }>({
      method: 'POST',
      path: '/auth/login',
      json: { email, password },
      anonymous: true,
    });
    if (typeof body.token !== 'string') throw new CoreError('REMOTE_REFUSED', 'the server’s login gave no token');
    const refreshToken = typeof body.refreshToken === 'string' ? body.refreshToken : body.token;
    return { scheme: 'password', email, accessToken: body.token, refreshToken };
  } catch (err) {
    if (err instanceof CoreError && err.code === 'REMOTE_REFUSED' && err.details?.status === 401)
      throw new CoreError('AUTH_REQUIRED', `${client.account.serverUrl} refused the email or password`);
    throw err;
  }
}

type Me = { email?: unknown; tenantId?: unknown; role?: unknown };
const userOf = (me: Me): Account['user'] => ({
  ...(typeof me.email === 'string' ? { email: me.email } : {}),
  ...(typeof me.tenantId === 'string' ? { tenantId: me.tenantId } : {}),
  ...(typeof me.role === 'string' ? { role: me.role } : {}),
});

/** Signs in, checks the credential against GET /auth/me, keeps the account in `store` and turns the outbox on. */
export async function login(
  store: AccountStore,
  o: LoginOptions,
  ledger?: Ledger,
  client: RemoteClientOptions = {},
): Promise<Account> {
  const serverUrl = normaliseServerUrl(o.serverUrl);
  const chosen = chooseCredential(o);
  const probe = openRemoteClient(
    { serverUrl, credential: { scheme: 'api-key', key: '-' }, user: {}, capabilities: [] },
    client,
  );
  const caps = await capabilities(probe); // also learns the server's clock before anything is signed
  const credential = chosen === 'password' ? await passwordSession(probe, o.email!, o.password!) : chosen;
  let account: Account = { serverUrl, credential, user: {}, capabilities: caps };
  const remote = openRemoteClient(account, {
    ...client,
    onCredential: async (c) => void (account = { ...account, credential: c }),
  });
  const me = await remote.json<Me>({ method: 'GET', path: '/auth/me' });
  account = { ...account, user: userOf(me) };
  await store.write(account);
  if (ledger) setSyncAccount(ledger, serverUrl); // from now on local work is queued for the server
  return account;
}

/** The stored account; with `check`, whether the server still accepts it (GET /auth/me; refreshed tokens are kept). */
export async function accountStatus(
  store: AccountStore,
  o: { check?: boolean; client?: RemoteClientOptions } = {},
): Promise<AccountStatus> {
  let account = await store.read();
  if (!account) return { state: 'no-account' };
  if (!o.check) return { state: 'unchecked', account: viewOf(account) };
  const remote = openRemoteClient(account, {
    ...o.client,
    onCredential: async (c) => {
      account = { ...account!, credential: c };
      await store.write(account);
    },
  });
  try {
    const me = await remote.json<Me>({ method: 'GET', path: '/auth/me' });
    const user = userOf(me);
    if (JSON.stringify(user) !== JSON.stringify(account.user)) await store.write((account = { ...account, user }));
    return { state: 'signed-in', account: viewOf(account) };
  } catch (err) {
    if (err instanceof CoreError && err.code === 'OFFLINE') return { state: 'offline', account: viewOf(account) };
    if (err instanceof CoreError && err.code === 'AUTH_REQUIRED')
      return { state: 'sign-in-needed', account: viewOf(account) };
    throw err;
  }
}

/** Forgets the credential; work queued in the ledger's outbox is kept for the next account. */
export async function logout(store: AccountStore, ledger?: Ledger): Promise<boolean> {
  const had = (await store.read().catch(() => null)) !== null;
  await store.clear();
  if (ledger) setSyncAccount(ledger, null); // nothing new is queued; queued rows stay
  return had;
}
