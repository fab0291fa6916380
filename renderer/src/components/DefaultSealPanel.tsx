// Settings → default seal: protect its key with a passphrase the OS keychain keeps for this app.
import { useEffect, useState } from 'react';
import type { DefaultSealState } from '../../../preload/api.js';
import { api } from '../api.js';

export function DefaultSealPanel() {
  const [state, setState] = useState<DefaultSealState | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [note, setNote] = useState<string | null>(null);
  useEffect(
    () =>
      void api()
        .defaultSealState({})
        .then((r) => r.ok && setState(r.value)),
    [],
  );
  const protect = async () => {
    const r = await api().defaultSealProtect({ passphrase });
    setPassphrase('');
    if (r.ok) setState(r.value);
    setNote(
      r.ok
        ? 'Protected. The passphrase is kept in your OS keychain; on the command line give it with --passphrase-env.'
        : r.error.message,
    );
  };
  if (!state) return null;
  return (
    <>
      <p>
        {!state.exists
          ? 'Not made yet: it is created the first time you seal without choosing a certificate.'
          : state.protected
            ? 'Its key is protected by a passphrase.'
            : 'Its key file is readable by your user alone, without a passphrase.'}
      </p>
      {state.exists && state.keychain && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void protect();
          }}
        >
          <label htmlFor="seal-passphrase">{state.protected ? 'New passphrase' : 'Protect with a passphrase'}</label>
          <input
            id="seal-passphrase"
            type="password"
            autoComplete="new-password"
            minLength={8}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <button type="submit" disabled={passphrase.length < 8}>
            Protect
          </button>
        </form>
      )}
      {state.exists && !state.keychain && (
        <p className="hint">{state.keychainNote ?? 'No OS keychain is available here to keep a passphrase.'}</p>
      )}
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
    </>
  );
}
