// Settings → tokens: a PKCS#11 module's tokens and their certificates; one click makes a certificate usable for sealing.
import { useState } from 'react';
import type { TokenItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function TokensPanel() {
  const [module, setModule] = useState('');
  const [tokens, setTokens] = useState<readonly TokenItem[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const list = async () => {
    setNote(null);
    const r = await api().tokensList({ module: module.trim() });
    if (r.ok) setTokens(r.value);
    else setNote(r.error.message);
  };
  const use = async (token: string, idHex: string) => {
    const r = await api().tokensUse({ module: module.trim(), token, idHex });
    setNote(r.ok ? `Ready to seal with "${r.value.label}" (the PIN is asked when you seal, never stored)` : r.error.message);
  };
  return (
    <>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void list(); }}>
        <label htmlFor="pkcs11-module">PKCS#11 module</label>
        <input id="pkcs11-module" value={module} onChange={(e) => setModule(e.target.value)} placeholder="/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so" spellCheck={false} />
        <button type="submit" disabled={!module.trim()}>List tokens</button>
      </form>
      {note && <p className="hint" role="status">{note}</p>}
      {tokens && tokens.length === 0 && <p className="hint">No token is present.</p>}
      <ul className="plain" aria-label="Tokens">
        {tokens?.map((t) => (
          <li key={t.label}>
            <strong>{t.label}</strong> <span className="hint">{t.manufacturer} {t.model}</span>
            <ul className="plain">
              {t.certificates.map((c) => (
                <li key={c.idHex}>
                  {c.subject} <span className="hint">until {c.notAfter.slice(0, 10)}</span>{' '}
                  <button type="button" className="link" aria-label={`Use ${c.label || c.idHex} on ${t.label} for sealing`} onClick={() => void use(t.label, c.idHex)}>Use for sealing</button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
