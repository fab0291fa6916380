// The desktop's sync account (issue 17): kept in the OS keychain through the SecretStore main/keychain.ts builds on
// Electron's safeStorage (refused on Linux's `basic_text` backend: then no account can be kept and sign-in says why).
// One secret holds the whole Account as JSON, so the credential never touches the ledger, a log or the renderer.
import { CoreError } from '../core/errors.js';
import type { Account, AccountStore } from '../core/sync/types.js';
import type { SecretStore } from './services/desktop.js';

/** The keychain entry of the account (server URL, credential, user, capabilities). */
export const ACCOUNT_SECRET = 'sync-account';

/** Whether a parsed keychain value has an Account's shape (an older or damaged entry reads as no account). */
export function isAccount(v: unknown): v is Account {
  const a = v as Partial<Account> | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.serverUrl === 'string' &&
    typeof a.credential === 'object' &&
    a.credential !== null &&
    typeof (a.credential as { scheme?: unknown }).scheme === 'string' &&
    Array.isArray(a.capabilities)
  );
}

/** An AccountStore over a SecretStore: the keychain in main, its mirror in the worker host, a Map in tests. */
export function secretAccountStore(secrets: SecretStore): AccountStore {
  return {
    read: async () => {
      const raw = secrets.get(ACCOUNT_SECRET);
      if (raw === null) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        return isAccount(parsed) ? parsed : null;
      } catch {
        return null; // unreadable: as if none (sign in again)
      }
    },
    write: async (account) => secrets.set(ACCOUNT_SECRET, JSON.stringify(account)),
    clear: async () => secrets.set(ACCOUNT_SECRET, null),
  };
}

/** The signed-in account's server URL, read from the keychain (null: no account, or no keychain). */
export function accountServer(secrets: SecretStore | undefined): string | null {
  try {
    const parsed: unknown = JSON.parse(secrets?.get(ACCOUNT_SECRET) ?? 'null');
    return isAccount(parsed) ? parsed.serverUrl : null;
  } catch {
    return null;
  }
}

/** A store that keeps nothing: where there is no keychain, sign-in is refused with the keychain's reason. */
export function refusingAccountStore(reason: string): AccountStore {
  return {
    read: async () => null,
    write: async () => {
      throw new CoreError('NOT_SUPPORTED', reason);
    },
    clear: async () => undefined,
  };
}
