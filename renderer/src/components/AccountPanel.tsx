// Settings → Account (issue 17): the server, sign-in by password or API key, the account and its sync state, sign
// out. The password or key goes to main for the sign-in call only; the OS keychain keeps what the server gives back,
// and nothing secret ever comes back to this window.
import { useEffect, useState } from 'react';
import type { AccountState, SyncStatus } from '../../../preload/api.js';
import { api } from '../api.js';
import { syncText, useSyncStatus } from './SyncIndicator.js';

type Method = 'password' | 'api-key';

export function AccountPanel() {
  const [state, setState] = useState<AccountState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sync = useSyncStatus();
  useEffect(
    () =>
      void api()
        .accountStatus({})
        .then((r) => (r.ok ? setState(r.value) : setError(r.error.message))),
    [],
  );
  const act = async (call: () => ReturnType<ReturnType<typeof api>['accountStatus']>) => {
    setBusy(true);
    setError(null);
    const r = await call();
    setBusy(false);
    if (r.ok) setState(r.value);
    else setError(r.error.message);
    return r.ok;
  };
  if (!state) return error ? <p className="error">{error}</p> : null;
  const a = state.account;
  return (
    <div aria-label="Account">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {a ? (
        <>
          <dl>
            <dt>Server</dt>
            <dd>
              <code>{a.serverUrl}</code>
            </dd>
            <dt>Signed in as</dt>
            <dd>
              {a.email ?? 'an API key'}
              <span className="hint"> ({a.scheme === 'api-key' ? 'API key' : a.scheme})</span>
              {a.role ? <span className="hint"> · {a.role}</span> : null}
            </dd>
            <dt>Sync</dt>
            <dd role="status" aria-label="Account sync status">
              {sync ? syncText(sync) : 'starting…'}
              {sync?.lastRunAt && <span className="hint"> · last run {sync.lastRunAt.slice(0, 19)}</span>}
            </dd>
          </dl>
          <SyncDetails sync={sync} />
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void api().syncNow({})}>
              Sync now
            </button>
            <button type="button" disabled={busy} onClick={() => void act(() => api().accountLogout({}))}>
              Sign out
            </button>
          </div>
          <p className="hint">Signing out keeps what waits to be sent: it goes at the next sign-in.</p>
          {sync?.state === 'sign-in-needed' && (
            <>
              <p role="alert" className="error">
                The server no longer accepts this sign-in: sign in again (nothing waiting is lost).
              </p>
              <SignIn busy={busy} serverUrl={a.serverUrl} onSignIn={(r) => act(() => api().accountLogin(r))} />
            </>
          )}
        </>
      ) : state.keychain ? (
        <SignIn busy={busy} onSignIn={(r) => act(() => api().accountLogin(r))} />
      ) : (
        <p className="hint">{state.keychainNote}</p>
      )}
    </div>
  );
}

function SyncDetails({ sync }: { sync: SyncStatus | null }) {
  if (!sync || (!sync.lastError && sync.refused === 0)) return null;
  return (
    <p className="hint">
      {sync.lastError && <>Last problem: {sync.lastError}. </>}
      {sync.refused > 0 && <>{sync.refused} local record(s) the server cannot take (see the command line's sync).</>}
    </p>
  );
}

type LoginRequest = { serverUrl: string; email: string; password: string } | { serverUrl: string; apiKey: string };

type SignInProps = { busy: boolean; serverUrl?: string; onSignIn: (r: LoginRequest) => Promise<boolean> };

function SignIn({ busy, onSignIn, ...o }: SignInProps) {
  const [serverUrl, setServerUrl] = useState(o.serverUrl ?? '');
  const [method, setMethod] = useState<Method>('password');
  const [email, setEmail] = useState('');
  const [secret, setSecret] = useState('');
  const ready = serverUrl.trim() !== '' && secret !== '' && (method === 'api-key' || email.trim() !== '');
  const submit = async () => {
    const url = serverUrl.trim();
    const request =
      method === 'password'
        ? { serverUrl: url, email: email.trim(), password: secret }
        : { serverUrl: url, apiKey: secret };
    setSecret(''); // never kept in the window longer than the call
    await onSignIn(request);
  };
  return (
    <form
      aria-label="Sign in to a Sealdesk server"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="row">
        <label htmlFor="account-server">Server URL</label>
        <input
          id="account-server"
          type="url"
          value={serverUrl}
          onChange={(e) => setServerUrl(e.target.value)}
          placeholder="https://sealdesk.example.org"
        />
      </div>
      <fieldset className="row">
        <legend>Sign in with</legend>
        {(['password', 'api-key'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="account-method" checked={method === m} onChange={() => setMethod(m)} />{' '}
            {m === 'password' ? 'Email and password' : 'API key'}
          </label>
        ))}
      </fieldset>
      {method === 'password' && (
        <div className="row">
          <label htmlFor="account-email">Email</label>
          <input
            id="account-email"
            type="email"
            autoComplete="username"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
      )}
      <div className="row">
        <label htmlFor="account-secret">{method === 'password' ? 'Password' : 'API key'}</label>
        <input
          id="account-secret"
          type="password"
          autoComplete={method === 'password' ? 'current-password' : 'off'}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
        <button type="submit" disabled={busy || !ready}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
      <p className="hint">
        The password is used for this sign-in only and never stored; the OS keychain keeps the session (or the key).
      </p>
    </form>
  );
}
