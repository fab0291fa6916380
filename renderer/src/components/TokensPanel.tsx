// Settings → tokens: the PKCS#11 modules main knows (found at their usual places, or added in main's dialog), a
// module's tokens and their certificates; one click makes a certificate usable for sealing. Modules go by id, never
// by path: main loads only libraries it found or the user picked.
import { useEffect, useState } from 'react';
import type { Pkcs11Module, TokenItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function TokensPanel() {
  const [modules, setModules] = useState<readonly Pkcs11Module[]>([]);
  const [module, setModule] = useState('');
  const [tokens, setTokens] = useState<readonly TokenItem[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const take = (list: readonly Pkcs11Module[]) => {
    setModules(list);
    setModule((m) => (list.some((x) => x.id === m) ? m : (list[0]?.id ?? '')));
  };
  useEffect(
    () =>
      void api()
        .tokensModules({})
        .then((r) => (r.ok ? take(r.value) : setNote(r.error.message))),
    [],
  );
  const addModule = async () => {
    const r = await api().tokensAddModule({});
    if (r.ok) take(r.value);
    else if (r.error.code !== 'CANCELLED') setNote(r.error.message);
  };
  const list = async () => {
    setNote(null);
    const r = await api().tokensList({ module });
    if (r.ok) setTokens(r.value);
    else setNote(r.error.message);
  };
  const use = async (token: string, idHex: string) => {
    const r = await api().tokensUse({ module, token, idHex });
    setNote(
      r.ok ? `Ready to seal with "${r.value.label}" (the PIN is asked when you seal, never stored)` : r.error.message,
    );
  };
  return (
    <>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void list();
        }}
      >
        <label htmlFor="pkcs11-module">PKCS#11 module</label>
        <select id="pkcs11-module" value={module} onChange={(e) => setModule(e.target.value)}>
          {modules.length === 0 && <option value="">None found</option>}
          {modules.map((m) => (
            <option key={m.id} value={m.id} title={m.location}>
              {m.name}
              {m.source === 'picked' ? ' (added)' : ''}
            </option>
          ))}
        </select>
        <button type="submit" disabled={!module}>
          List tokens
        </button>
        <button type="button" onClick={() => void addModule()}>
          Add a module…
        </button>
      </form>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      {tokens && tokens.length === 0 && <p className="hint">No token is present.</p>}
      <ul className="plain" aria-label="Tokens">
        {tokens?.map((t) => (
          <li key={t.label}>
            <strong>{t.label}</strong>{' '}
            <span className="hint">
              {t.manufacturer} {t.model}
            </span>
            <ul className="plain">
              {t.certificates.map((c) => (
                <li key={c.idHex}>
                  {c.subject} <span className="hint">until {c.notAfter.slice(0, 10)}</span>{' '}
                  <button
                    type="button"
                    className="link"
                    aria-label={`Use ${c.label || c.idHex} on ${t.label} for sealing`}
                    onClick={() => void use(t.label, c.idHex)}
                  >
                    Use for sealing
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
