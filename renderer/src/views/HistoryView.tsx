// History: the ledger's stamps and seals, newest first, searchable by label or hash prefix; a record's details show
// its archive chain and until when it is protected (the date the next restamp is due). Each record says where it was
// made (here, or pulled from the sync account's server) and its label can be edited (the outbox pushes the change);
// the list is read again after each sync run, so a colleague's label edits show.
import { Fragment, useEffect, useState } from 'react';
import type { ChainView, FileRef, HistoryItem, ImportItem, RecordDetails, TsaItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';
import { LabelCell } from '../components/LabelCell.js';
import { LookupPanel } from '../components/LookupPanel.js';
import { QueuePanel } from '../components/QueuePanel.js';

export function HistoryView() {
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<readonly HistoryItem[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50); // `sealdesk history --page-size`
  const [details, setDetails] = useState<{
    item: HistoryItem;
    record: RecordDetails;
    chain: ChainView | null;
    chainError: string | null;
  } | null>(null);
  const open = async (item: HistoryItem) => {
    const [r, c] = await Promise.all([
      api().historyRecord({ kind: item.kind, id: item.id }),
      api().historyChain({ id: item.id }),
    ]);
    if (r.ok)
      setDetails({ item, record: r.value, chain: c.ok ? c.value : null, chainError: c.ok ? null : c.error.message });
  };
  const load = async (s: string, p = 1, size = pageSize) => {
    setPage(p);
    const r = await api().historyList({ search: s || undefined, page: p, pageSize: size });
    if (r.ok) {
      setItems(r.value.items);
      setTotal(r.value.total);
    }
  };
  useEffect(() => void load(''), []);
  // After each sync run (a new lastRunAt) the page is read again: pulled records and remote label edits show.
  const [lastRun, setLastRun] = useState<string | null>(null);
  useEffect(() => api().onEvent((e) => e.kind === 'sync' && setLastRun(e.status.lastRunAt)), []);
  useEffect(() => void (lastRun && load(search, page)), [lastRun]);
  const labelSaved = (i: HistoryItem, label: string | null) =>
    setItems((old) => old.map((o) => (o.kind === i.kind && o.id === i.id ? { ...o, label } : o)));
  const resize = (size: number) => (setPageSize(size), load(search, 1, size));
  const [note, setNote] = useState<string | null>(null);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [allowMissing, setAllowMissing] = useState(false);
  const [restampTsa, setRestampTsa] = useState(''); // `sealdesk restamp <id> --tsa <slug>`; '' = auto
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  useEffect(
    () =>
      void api()
        .tsaList({})
        .then((r) => r.ok && setTsas(r.value.filter((t) => t.enabled && t.url))),
    [],
  );
  // `sealdesk chain --online` and `sealdesk restamp <id>` for the record shown.
  const checkOnline = async (item: HistoryItem) => {
    const c = await api().historyChain({ id: item.id, online: true, allowPrivateNetwork: allowPrivate });
    setDetails((d) =>
      d && d.item === item ? { ...d, chain: c.ok ? c.value : d.chain, chainError: c.ok ? null : c.error.message } : d,
    );
  };
  const restampNow = async (item: HistoryItem) => {
    const options = { allowPrivateNetwork: allowPrivate, allowMissingValidationData: allowMissing };
    const r = await api().restampOne({ id: item.id, ...options, tsa: restampTsa || undefined });
    setNote(
      !r.ok
        ? `Not restamped: ${r.error.message}`
        : r.value.newId
          ? `New link ${r.value.newId} by ${r.value.tsaName ?? '?'}`
          : `${r.value.path}: a new time-stamp by ${r.value.tsaName ?? '?'}, in place`,
    );
    if (r.ok) await open(item);
  };
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void load(search);
        }}
      >
        <label htmlFor="history-search">Search</label>
        <input
          id="history-search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="label or hash prefix"
        />
        <button type="submit">Search</button>
      </form>
      <ImportPanel onImported={() => void load(search)} />
      <LookupPanel />
      <QueuePanel />
      <p className="hint">{total} record(s)</p>
      <table className="records">
        <thead>
          <tr>
            <th>When</th>
            <th>Kind</th>
            <th>Origin</th>
            <th>Label</th>
            <th>File</th>
            <th>Summary</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={`${i.kind}-${i.id}`}>
              <td>{i.createdAt.slice(0, 19).replace('T', ' ')}</td>
              <td className="nowrap">{i.kind}</td>
              <td className="nowrap">{i.origin === 'remote' ? 'server' : 'this computer'}</td>
              <td>
                <LabelCell item={i} onSaved={(label) => labelSaved(i, label)} />
              </td>
              <td>
                <code>{i.file ?? ''}</code>
              </td>
              <td>{i.detail}</td>
              <td className="nowrap">
                <button
                  type="button"
                  className="link"
                  aria-label={`Details of ${i.kind} ${i.label ?? i.file ?? i.id}`}
                  onClick={() => void open(i)}
                >
                  Details
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {details && (
        <article className="card" aria-label="Record details">
          <h3>
            {details.item.kind === 'stamp' ? 'Stamp' : 'Seal'} {details.item.id}
          </h3>
          <dl>
            {details.record.fields.map(([k, v]) => (
              <Fragment key={k}>
                <dt>{k}</dt>
                <dd>
                  <code>{v}</code>
                </dd>
              </Fragment>
            ))}
          </dl>
          {details.record.files.length > 0 && (
            <>
              <h4>Every version of the file Sealdesk wrote</h4>
              <ol>
                {details.record.files.map((f) => (
                  <li key={f.step}>
                    {f.at.slice(0, 19)} · {f.level} · <code>{f.path}</code> · SHA-256{' '}
                    <code>{f.sha256.slice(0, 16)}…</code>
                  </li>
                ))}
              </ol>
            </>
          )}
          {details.chain && <ChainDetails chain={details.chain} />}
          {details.chainError && <p className="error">Its chain could not be checked: {details.chainError}</p>}
          <div className="row">
            <button type="button" onClick={() => void checkOnline(details.item)}>
              Check revocation online
            </button>
            <button type="button" onClick={() => void restampNow(details.item)}>
              Restamp now
            </button>
            <label>
              with{' '}
              <select
                aria-label="TSA for Restamp now"
                value={restampTsa}
                onChange={(e) => setRestampTsa(e.target.value)}
              >
                <option value="">the first TSA that answers (auto)</option>
                {tsas.map((t) => (
                  <option key={t.slug} value={t.slug}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="checkbox" checked={allowPrivate} onChange={(e) => setAllowPrivate(e.target.checked)} />{' '}
              Private-network OCSP/CRL
            </label>
            {details.item.kind === 'seal' && (
              <label>
                <input type="checkbox" checked={allowMissing} onChange={(e) => setAllowMissing(e.target.checked)} />{' '}
                Even if validation data is missing
              </label>
            )}
            {note && (
              <span role="status" className="hint">
                {note}
              </span>
            )}
          </div>
        </article>
      )}
      <div className="row">
        <button type="button" disabled={page <= 1} onClick={() => void load(search, page - 1)}>
          Previous
        </button>
        <span className="hint">Page {page}</span>
        <button type="button" disabled={items.length < pageSize} onClick={() => void load(search, page + 1)}>
          Next
        </button>
        <label>
          Per page{' '}
          <select value={pageSize} onChange={(e) => void resize(Number(e.target.value))}>
            {[25, 50, 100, 200].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}

/** `sealdesk import`: tokens, signed PDFs and .p7s made elsewhere (or folders of them) join the ledger. */
function ImportPanel({ onImported }: { onImported: () => void }) {
  const [files, setFiles] = useState<FileRef[]>([]);
  const [results, setResults] = useState<readonly ImportItem[]>([]);
  const run = async () => {
    const r = await api().importFiles({ files: files.map((f) => f.handle) });
    setResults(r.ok ? r.value : [{ path: '', kind: 'error', id: null, already: false, detail: '', error: r.error }]);
    if (r.ok) onImported();
  };
  return (
    <details className="card">
      <summary>Import records made elsewhere</summary>
      <FilePicker label="Tokens (.tsr), signed PDFs, .p7s or folders" files={files} onChange={setFiles} />
      <button type="button" disabled={files.length === 0} onClick={() => void run()}>
        Import
      </button>
      <ul className="results" aria-label="Import results">
        {results.map((r, i) => (
          <li key={`${r.path}-${i}`} className={r.kind === 'error' ? 'bad' : r.kind === 'skipped' ? 'warn' : 'good'}>
            <strong>{r.path}</strong> —{' '}
            {r.error
              ? r.error.message
              : r.kind === 'skipped'
                ? `skipped: ${r.detail}`
                : `${r.already ? 'already in the ledger' : 'imported'} as ${r.id} (${r.detail})`}
          </li>
        ))}
      </ul>
    </details>
  );
}

const SOON_MS = 90 * 86_400_000;

/** Each link's time, TSA, until-date, problems and why its TSA is not trusted; protected until the newest TSA
 * certificate's end (amber within 90 days, red when past or the chain is broken; an intact chain whose TSAs are not
 * all trusted says so in its own tone). */
function ChainDetails({ chain }: { chain: ChainView }) {
  const until = chain.protectedUntil ? new Date(chain.protectedUntil).getTime() : null;
  const left = until === null ? null : until - Date.now();
  const tone =
    !chain.intact || left === null || left <= 0
      ? 'bad'
      : !chain.trusted
        ? 'untrusted'
        : left <= SOON_MS
          ? 'warn'
          : 'good';
  const date = chain.protectedUntil?.slice(0, 10);
  return (
    <section className="chain" aria-label="Archive chain">
      <h4>
        Archive chain ({chain.links.length} link{chain.links.length === 1 ? '' : 's'})
      </h4>
      <ol className="chain">
        {chain.links.map((l) => (
          <li key={l.n}>
            {l.genTime?.slice(0, 19).replace('T', ' ') ?? 'not stamped yet'} · {l.tsaName ?? 'unknown TSA'}
            {l.hashAlgorithm ? ` · ${l.hashAlgorithm.toUpperCase()}` : ''}
            {l.kind !== 'stamp' ? ` · ${l.kind.replace('-', ' ')}` : ''} · until{' '}
            {l.tsaCertNotAfter?.slice(0, 10) ?? 'unknown'}
            {(l.problems.length > 0 || l.trustProblems.length > 0) && (
              <ul className="reasons">
                {l.problems.map((p) => (
                  <li key={p} className="error">
                    {p}
                  </li>
                ))}
                {l.trustProblems.map((p) => (
                  <li key={p} className="untrusted">
                    Not trusted: {p}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      <p className={`protected ${tone}`} role="status">
        {chain.links.length === 0
          ? 'Not time-stamped: nothing protects its time yet'
          : !chain.intact
            ? `Chain broken: it does not protect the record${date ? ` (its newest TSA certificate runs to ${date})` : ''}`
            : !date
              ? 'Not protected yet: no time-stamp'
              : left! <= 0
                ? `Protection ended ${date}: restamp overdue`
                : !chain.trusted
                  ? `Chain intact, but not trusted: not every TSA certificate chains to your trust anchors` +
                    ` (Settings → Trust anchors); protected until ${date} if you trust them`
                  : `Protected until ${date} (restamp due)`}
      </p>
    </section>
  );
}
