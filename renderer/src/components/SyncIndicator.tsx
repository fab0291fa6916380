// The status bar's sync state (issue 17): synced / n pending / offline / sign-in needed, from the pushed `sync` event
// (the worker host's background sync), with "Sync now"; nothing at all while no account is set.
import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../preload/api.js';
import { api } from '../api.js';

/** The words for a state: what the user sees in the status bar and the Account panel. */
export function syncText(s: SyncStatus): string {
  const waiting = s.pending === 1 ? '1 record to send' : `${s.pending} records to send`;
  switch (s.state) {
    case 'no-account':
      return 'No sync account';
    case 'synced':
      return s.refused > 0 ? `Synced (${s.refused} the server cannot take)` : 'Synced';
    case 'pending':
      return `Sync: ${waiting}`;
    case 'offline':
      return s.pending > 0 ? `Sync offline: ${waiting}, kept` : 'Sync offline';
    case 'sign-in-needed':
      return 'Sync: sign-in needed (Settings → Account)';
  }
}

/** The latest pushed sync state (null until the first arrives). */
export function useSyncStatus(): SyncStatus | null {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => api().onEvent((e) => e.kind === 'sync' && setStatus(e.status)), []);
  return status;
}

/** The signed-in account's server, for the views' "via server" (null: no account). */
export function useAccountServer(): string | null {
  const status = useSyncStatus();
  return status && status.state !== 'no-account' ? status.serverUrl : null;
}

export function SyncIndicator() {
  const status = useSyncStatus();
  const [running, setRunning] = useState(false);
  if (!status || status.state === 'no-account') return null;
  const title = [
    status.serverUrl ?? '',
    status.lastRunAt ? `last run ${status.lastRunAt.slice(0, 19).replace('T', ' ')}` : 'not run yet',
    status.lastError ?? '',
  ]
    .filter(Boolean)
    .join('\n');
  const now = async () => {
    setRunning(true);
    await api().syncNow({});
    setRunning(false);
  };
  return (
    <span className={`sync sync-${status.state}`}>
      <span role="status" aria-label="Sync status" title={title}>
        {syncText(status)}
      </span>
      {status.state !== 'sign-in-needed' && (
        <>
          {' '}
          <button type="button" className="link" disabled={running} onClick={() => void now()}>
            {running ? 'Syncing…' : 'Sync now'}
          </button>
        </>
      )}
    </span>
  );
}
