// History's label cell (issue 17): a record's label edited in place, as `sealdesk label <record-id> <text>` (empty
// clears it); with a sync account the outbox pushes the change.
import { useState } from 'react';
import type { HistoryItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function LabelCell({ item, onSaved }: { item: HistoryItem; onSaved: (label: string | null) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = item.label ?? item.file ?? item.id;
  if (draft === null)
    return (
      <>
        {item.label ?? ''}{' '}
        <button
          type="button"
          className="link"
          aria-label={`Edit the label of ${name}`}
          onClick={() => setDraft(item.label ?? '')}
        >
          Edit
        </button>
      </>
    );
  const save = async () => {
    const r = await api().labelSet({ kind: item.kind, id: item.id, label: draft.trim() });
    if (!r.ok) return setError(r.error.message);
    setDraft(null);
    setError(null);
    onSaved(r.value.label);
  };
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        aria-label={`New label of ${name}`}
        maxLength={255}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit">Save</button>
      <button type="button" className="link" onClick={() => (setDraft(null), setError(null))}>
        Cancel
      </button>
      {error && <span className="error">{error}</span>}
    </form>
  );
}
