// History → "Waiting for a time-stamp" (`sealdesk queue list`): the stamps and seal time-stamps recorded while no TSA
// answered, read again whenever the queue changes (a pushed event); the status bar's "Run the queue now" sends them.
import { useEffect, useState } from 'react';
import type { QueuedItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function QueuePanel() {
  const [items, setItems] = useState<readonly QueuedItem[]>([]);
  useEffect(() => {
    const load = () =>
      void api()
        .queueList({})
        .then((r) => r.ok && setItems(r.value));
    load();
    return api().onEvent((e) => e.kind === 'queue' && load());
  }, []);
  return (
    <details className="card">
      <summary>Waiting for a time-stamp ({items.length})</summary>
      {items.length === 0 ? (
        <p className="hint">Nothing waits: every stamp and seal has its time-stamp.</p>
      ) : (
        <ul className="plain" aria-label="Waiting for a time-stamp">
          {items.map((q) => (
            <li key={`${q.kind}-${q.id}`}>
              {q.createdAt.slice(0, 19).replace('T', ' ')} · {q.kind === 'stamp' ? 'stamp' : "seal's time-stamp"}
              {q.requestedTsa !== 'auto' ? ` (TSA ${q.requestedTsa})` : ''} · <code>{q.file ?? q.id}</code>
              {q.label ? ` · "${q.label}"` : ''}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
