// The signed-in account's client for the CLI's remote work (`stamp --remote`, `seal --remote-cert`, `restamp
// --remote`): the account from the data folder's 0600 file, a refreshed session written back to it. No account:
// ACCOUNT_NONE naming the login command. SEALDESK_SYNC_ATTEMPTS (1–10) bounds the attempts before OFFLINE.
import { CoreError } from '../core/errors.js';
import { fileAccountStore } from '../core/sync/account-file.js';
import { openRemoteClient } from '../core/sync/http.js';
import type { RemoteClient } from '../core/sync/types.js';
import { homeDir } from './context.js';
import type { CliIo } from './io.js';

export async function remoteClientFor(io: CliIo): Promise<RemoteClient> {
  const store = fileAccountStore(homeDir(io));
  const account = await store.read();
  if (!account)
    throw new CoreError(
      'ACCOUNT_NONE',
      'no account is set up for remote work: sign in with `sealdesk account login <server-url>` first',
    );
  const attempts = Number(io.env.SEALDESK_SYNC_ATTEMPTS);
  return openRemoteClient(account, {
    onCredential: (credential) => store.write({ ...account, credential }),
    ...(Number.isInteger(attempts) && attempts >= 1 && attempts <= 10
      ? { retry: { attempts, baseMs: 250, maxMs: 10_000 } }
      : {}),
  });
}
