// Settings → certificates: the ones Sealdesk can seal with; a PKCS#12 imported (chosen in main's open dialog, its
// password used once); a new key made here with its CSR for the CA (saved where main's save dialog says), activation
// with the chain the CA returns (chosen in main's open dialog), revocation.
import { useEffect, useState } from 'react';
import type { CertificateItem, FileRef } from '../../../preload/api.js';
import { api } from '../api.js';

/** `sealdesk cert provision --key`: the key made in a file here (default ec-p256, as on the command line). */
const KEYS = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'] as const;
const EMPTY = { commonName: '', organization: '', countryCode: '', organizationalUnit: '', locality: '', state: '' };

export function CertificatesPanel() {
  const [certs, setCerts] = useState<readonly CertificateItem[]>([]);
  const [draft, setDraft] = useState(EMPTY);
  // `--label` (default: the name) and `--key`.
  const [label, setLabel] = useState('');
  const [key, setKey] = useState<(typeof KEYS)[number]>('ec-p256');
  const [note, setNote] = useState<string | null>(null);
  const refresh = () =>
    void api()
      .certsList({})
      .then((r) => r.ok && setCerts(r.value));
  useEffect(refresh, []);
  const done = (message: string) => {
    setNote(message);
    refresh();
  };
  const provision = async () => {
    const optional = (v: string) => v.trim() || undefined;
    const r = await api().certsProvision({
      commonName: draft.commonName,
      organization: draft.organization,
      countryCode: draft.countryCode.toUpperCase(),
      organizationalUnit: optional(draft.organizationalUnit),
      locality: optional(draft.locality),
      state: optional(draft.state),
      label: optional(label),
      key,
    });
    if (!r.ok)
      return setNote(
        r.error.code === 'CANCELLED' ? 'Not created: no place to save the request was chosen' : r.error.message,
      );
    setDraft(EMPTY);
    setLabel('');
    done(
      `Key created; its request is saved to ${r.value.csrPath}: send it to your CA, then activate with the chain it returns`,
    );
  };
  const activate = async (id: string) => {
    const chosen = await api().desktopChooseFiles({ multiple: false });
    if (!chosen.ok) return setNote(chosen.error.message);
    const chain = chosen.value[0];
    if (!chain) return;
    const r = await api().certsActivate({ id, file: chain.handle });
    done(r.ok ? `"${r.value.label}" is active` : r.error.message);
  };
  // `sealdesk cert import --p12`: the file from main's open dialog, its password sent for this import only.
  const [p12, setP12] = useState<FileRef | null>(null);
  const [p12Password, setP12Password] = useState('');
  const chooseP12 = async () => {
    const chosen = await api().desktopChooseFiles({ multiple: false });
    if (!chosen.ok) return setNote(chosen.error.message);
    setP12(chosen.value[0] ?? null);
  };
  const importP12 = async () => {
    if (!p12) return;
    const r = await api().certsImportP12({ file: p12.handle, password: p12Password });
    setP12Password('');
    if (!r.ok) return setNote(r.error.message);
    setP12(null);
    done(`"${r.value.label}" is imported: seal with it in Seal → Certificate (its password is asked there)`);
  };
  const revoke = async (id: string) => {
    const r = await api().certsRevoke({ id });
    done(r.ok ? `"${r.value.label}" is revoked: Sealdesk will not seal with it again` : r.error.message);
  };
  const field = (key: keyof typeof draft, label: string, placeholder: string) => (
    <>
      <label htmlFor={`cert-${key}`}>{label}</label>
      <input
        id={`cert-${key}`}
        value={draft[key]}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        placeholder={placeholder}
      />
    </>
  );
  return (
    <>
      <ul className="plain" aria-label="Certificates">
        {certs.map((c) => (
          <li key={c.id}>
            {c.label}{' '}
            <span className="hint">
              {c.kind} · {c.status}
              {c.notAfter ? ` · until ${c.notAfter.slice(0, 10)}` : ''}
            </span>
            {c.status === 'provisioning' && (
              <button
                type="button"
                className="link"
                aria-label={`Activate ${c.label} with the chain from the CA`}
                onClick={() => void activate(c.id)}
              >
                Activate with the CA's chain…
              </button>
            )}
            {c.status === 'active' && c.kind !== 'default' && (
              <button type="button" className="link" aria-label={`Revoke ${c.label}`} onClick={() => void revoke(c.id)}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="row"
        aria-label="Import a PKCS#12"
        onSubmit={(e) => {
          e.preventDefault();
          void importP12();
        }}
      >
        <button type="button" onClick={() => void chooseP12()}>
          Import a PKCS#12 (.p12, .pfx)…
        </button>
        {p12 && (
          <>
            <span>{p12.name}</span>
            <label htmlFor="p12-password">Its password</label>
            <input
              id="p12-password"
              type="password"
              autoComplete="off"
              value={p12Password}
              onChange={(e) => setP12Password(e.target.value)}
            />
            <button type="submit">Import</button>
          </>
        )}
      </form>
      <form
        className="grid"
        aria-label="New certificate"
        onSubmit={(e) => {
          e.preventDefault();
          void provision();
        }}
      >
        {field('commonName', 'Name (CN)', 'Acme Seal')}
        {field('organization', 'Organisation', 'Acme AS')}
        {field('countryCode', 'Country', 'NO')}
        {field('organizationalUnit', 'Unit (optional)', 'Archive')}
        {field('locality', 'Locality (optional)', 'Oslo')}
        {field('state', 'State or province (optional)', 'Oslo')}
        <label htmlFor="cert-label">Label (optional)</label>
        <input id="cert-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="the name" />
        <label htmlFor="cert-key">Key</label>
        <select id="cert-key" value={key} onChange={(e) => setKey(e.target.value as (typeof KEYS)[number])}>
          {KEYS.map((k) => (
            <option key={k} value={k}>
              {k === 'ec-p256' ? 'EC P-256 (default)' : k.startsWith('ec') ? 'EC P-384' : `RSA ${k.slice(4)}`}
            </option>
          ))}
        </select>
        <span />
        <button type="submit" disabled={!draft.commonName || !draft.organization || !draft.countryCode}>
          Create key and save the request…
        </button>
      </form>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
    </>
  );
}
