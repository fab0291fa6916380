// Settings → Account (issue 17): sign in by password or API key, the account's state, sign out — core/app/account.ts
// over the keychain-backed AccountStore (main/account-store.ts). Main answers these in the app (the password reaches
// main only, for the login call, and is never stored); the services answer them where main is the same process
// (tests, the loopback host). `changed` hands the new account (or null) to background sync.
import { login, logout } from '../../core/app/account.js';
import { CoreError } from '../../core/errors.js';
import type { Account, AccountStore } from '../../core/sync/types.js';
import type { AccountState, AccountView, WireRequestOf } from '../../preload/api.js';
import { refusingAccountStore, secretAccountStore } from '../account-store.js';
import type { DesktopHooks } from './desktop.js';

type Hooks = Pick<DesktopHooks, 'secrets' | 'keychainProblem'>;

/** Why no account can be kept here: the credential lives only in the OS keychain (never in a file in clear). */
function refusal(hooks: Hooks): string {
  const why = hooks.keychainProblem ?? 'no OS keychain is available here';
  return (
    `signing in needs the OS keychain to keep the account's credential, and ${why}. ` +
    'Unlock or install a keyring (GNOME Keyring, KWallet), or use the command line (`sealdesk account login`).'
  );
}

/** What the window may see of an account: never the password, key, secret or tokens. */
export function accountView(a: Account | null): AccountView | null {
  if (!a) return null;
  const email = a.user.email ?? (a.credential.scheme === 'password' ? a.credential.email : null);
  return {
    serverUrl: a.serverUrl,
    scheme: a.credential.scheme,
    email: email ?? null,
    tenantId: a.user.tenantId ?? null,
    role: a.user.role ?? null,
    capabilities: [...a.capabilities],
  };
}

export function accountStore(hooks: Hooks): AccountStore {
  return hooks.secrets ? secretAccountStore(hooks.secrets) : refusingAccountStore(refusal(hooks));
}

export function accountServices(hooks: Hooks, changed: (account: Account | null) => Promise<void> | void) {
  const store = accountStore(hooks);
  const state = async (): Promise<AccountState> => ({
    account: accountView(await store.read()),
    keychain: hooks.secrets !== undefined,
    keychainNote: hooks.secrets ? null : refusal(hooks),
  });
  return {
    store,
    state,
    login: async (r: WireRequestOf<'account:login'>): Promise<AccountState> => {
      if (!hooks.secrets) throw new CoreError('NOT_SUPPORTED', refusal(hooks));
      const account = await login(
        store,
        'password' in r
          ? { serverUrl: r.serverUrl, email: r.email, password: r.password }
          : { serverUrl: r.serverUrl, apiKey: r.apiKey },
      );
      await changed(account);
      return state();
    },
    /** Forgets the credential; the outbox keeps what waits, for the next sign-in. */
    logout: async (): Promise<AccountState> => {
      await logout(store);
      await changed(null);
      return state();
    },
  };
}
