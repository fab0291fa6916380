// History: the ledger's stamps and seals, newest first, searchable by label or hash prefix.
import { useEffect, useState } from 'react';
import type { HistoryItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function HistoryView() {
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<readonly HistoryItem[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const load = async (s: string, p = 1) => {
    setPage(p);
    const r = await api().historyList({ search: s || undefined, page: p });
    if (r.ok) {
      setItems(r.value.items);
      setTotal(r.value.total);
    }
  };
  useEffect(() => void load(''), []);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <form className="row" role="search" onSubmit={(e) => { e.preventDefault(); void load(search); }}>
        <label htmlFor="history-search">Search</label>
        <input id="history-search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="label or hash prefix" />
        <button type="submit">Search</button>
      </form>
      <p className="hint">{total} record(s)</p>
      <table className="records">
        <thead><tr><th>When</th><th>Kind</th><th>Label</th><th>File</th><th>Details</th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.kind}-${i.id}`}>
              <td>{i.createdAt.slice(0, 19).replace('T', ' ')}</td><td>{i.kind}</td><td>{i.label ?? ''}</td><td><code>{i.file ?? ''}</code></td><td>{i.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" disabled={page <= 1} onClick={() => void load(search, page - 1)}>Previous</button>
        <span className="hint">Page {page}</span>
        <button type="button" disabled={items.length < 50} onClick={() => void load(search, page + 1)}>Next</button>
      </div>
    </section>
  );
}
