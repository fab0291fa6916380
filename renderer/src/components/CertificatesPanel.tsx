// Settings → certificates: the ones Sealdesk can seal with; a new key made here with its CSR for the CA, activation
// with the chain the CA returns, revocation.
import { useEffect, useState } from 'react';
import type { CertificateItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function CertificatesPanel() {
  const [certs, setCerts] = useState<readonly CertificateItem[]>([]);
  const [draft, setDraft] = useState({ commonName: '', organization: '', countryCode: '', csrOut: '' });
  const [chains, setChains] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string | null>(null);
  const refresh = () => void api().certsList({}).then((r) => r.ok && setCerts(r.value));
  useEffect(refresh, []);
  const done = (message: string) => {
    setNote(message);
    refresh();
  };
  const provision = async () => {
    const r = await api().certsProvision({ ...draft, countryCode: draft.countryCode.toUpperCase() });
    if (!r.ok) return setNote(r.error.message);
    setDraft({ commonName: '', organization: '', countryCode: '', csrOut: '' });
    done(`Key created; its request is saved to ${r.value.csrPath}: send it to your CA, then activate with the chain it returns`);
  };
  const activate = async (id: string) => {
    const r = await api().certsActivate({ id, chainPath: chains[id] ?? '' });
    done(r.ok ? `"${r.value.label}" is active` : r.error.message);
  };
  const revoke = async (id: string) => {
    const r = await api().certsRevoke({ id });
    done(r.ok ? `"${r.value.label}" is revoked: Sealdesk will not seal with it again` : r.error.message);
  };
  const field = (key: keyof typeof draft, label: string, placeholder: string) => (
    <>
      <label htmlFor={`cert-${key}`}>{label}</label>
      <input id={`cert-${key}`} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} placeholder={placeholder} />
    </>
  );
  return (
    <>
      <ul className="plain" aria-label="Certificates">
        {certs.map((c) => (
          <li key={c.id}>
            {c.label} <span className="hint">{c.kind} · {c.status}{c.notAfter ? ` · until ${c.notAfter.slice(0, 10)}` : ''}</span>
            {c.status === 'provisioning' && (
              <form className="row" onSubmit={(e) => { e.preventDefault(); void activate(c.id); }}>
                <label htmlFor={`chain-${c.id}`}>Chain from the CA</label>
                <input id={`chain-${c.id}`} value={chains[c.id] ?? ''} onChange={(e) => setChains({ ...chains, [c.id]: e.target.value })} placeholder="/path/to/chain.pem" />
                <button type="submit">Activate</button>
              </form>
            )}
            {c.status === 'active' && c.kind !== 'default' && <button type="button" className="link" aria-label={`Revoke ${c.label}`} onClick={() => void revoke(c.id)}>Revoke</button>}
          </li>
        ))}
      </ul>
      <form className="grid" aria-label="New certificate" onSubmit={(e) => { e.preventDefault(); void provision(); }}>
        {field('commonName', 'Name (CN)', 'Acme Seal')}
        {field('organization', 'Organisation', 'Acme AS')}
        {field('countryCode', 'Country', 'NO')}
        {field('csrOut', 'Save the request to', '/path/to/acme-seal.csr')}
        <span />
        <button type="submit" disabled={!draft.commonName || !draft.organization || !draft.countryCode || !draft.csrOut}>Create key and request</button>
      </form>
      {note && <p className="hint" role="status">{note}</p>}
    </>
  );
}
