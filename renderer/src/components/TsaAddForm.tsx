// Settings → Time-stamping authorities → add one (`sealdesk tsa add <slug> <url> [--name] [--hash] [--qualified]`).
import { useState } from 'react';
import type { TsaItem } from '../../../preload/api.js';
import { api } from '../api.js';

/** `sealdesk tsa add <slug> <url> [--name] [--hash] [--qualified]`, empty. */
const NO_DRAFT = { slug: '', url: '', name: '', hash: '' as '' | 'sha256' | 'sha384' | 'sha512', qualified: false };

type Props = { readonly onAdded: (tsas: readonly TsaItem[]) => void; readonly onError: (message: string) => void };

export function TsaAddForm({ onAdded: setTsas, onError: setError }: Props) {
  const [draft, setDraft] = useState(NO_DRAFT);
  const addTsa = async () => {
    const r = await api().tsaAdd({
      slug: draft.slug.trim(),
      url: draft.url.trim(),
      name: draft.name.trim() || undefined,
      hash: draft.hash || undefined,
      qualified: draft.qualified || undefined,
    });
    if (r.ok) {
      setTsas(r.value);
      setDraft(NO_DRAFT);
    } else setError(r.error.message);
  };
  return (
    <form
      className="row"
      aria-label="Add a time-stamping authority"
      onSubmit={(e) => {
        e.preventDefault();
        void addTsa();
      }}
    >
      <label htmlFor="tsa-slug">Short name</label>
      <input
        id="tsa-slug"
        value={draft.slug}
        onChange={(e) => setDraft({ ...draft, slug: e.target.value })}
        placeholder="inhouse"
      />
      <label htmlFor="tsa-url">URL</label>
      <input
        id="tsa-url"
        value={draft.url}
        onChange={(e) => setDraft({ ...draft, url: e.target.value })}
        placeholder="https://tsa.example.org/tsr"
      />
      <label htmlFor="tsa-name">Display name</label>
      <input
        id="tsa-name"
        value={draft.name}
        onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        placeholder="In-house TSA"
      />
      <label htmlFor="tsa-hash">Hash</label>
      <select
        id="tsa-hash"
        value={draft.hash}
        onChange={(e) => setDraft({ ...draft, hash: e.target.value as typeof draft.hash })}
      >
        <option value="">Default (SHA-512)</option>
        <option value="sha256">SHA-256</option>
        <option value="sha384">SHA-384</option>
        <option value="sha512">SHA-512</option>
      </select>
      <label>
        <input
          type="checkbox"
          checked={draft.qualified}
          onChange={(e) => setDraft({ ...draft, qualified: e.target.checked })}
        />{' '}
        Qualified (eIDAS) service
      </label>
      <button type="submit" disabled={!draft.slug.trim() || !draft.url.trim()}>
        Add TSA
      </button>
    </form>
  );
}
