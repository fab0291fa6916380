// Restamp: the archive chains whose newest time-stamp's TSA certificate expires soon (or, if asked, uses SHA-1),
// counted by month and TSA; the chosen ones restamped as one journaled run that can pause, cancel and resume, or, with
// a sync account, via its server (`restamp --remote`: stamp chains the server knows, one after another).
import { useEffect, useRef, useState } from 'react';
import type { RestampDue, RestampItem, TsaItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { useJob } from '../useJob.js';
import { useAccountServer } from '../components/SyncIndicator.js';

/** Sealed files are restamped in place: a document time-stamp (PDF) or an archive-time-stamp-v3 (.p7s). */
const SEAL_KIND = { stamp: '', pdf: 'sealed PDF', p7s: '.p7s seal' } as const;

const WINDOWS = [30, 90, 365] as const;
/** `--expiring-within <N>d` for another N (the contract's bounds). */
const daysOf = (s: string): number | null => (/^\d{1,4}$/.test(s) && +s >= 1 && +s <= 3650 ? +s : null);
/** Whether a new link from a TSA would extend the chains (core/archive/extends-protection.ts reasons). */
const VERDICT = {
  extends: 'extends protection',
  unknown: 'never used yet (its certificate is learnt from its first token)',
  expires_in_window: 'its certificate expires in the window: not used',
  not_after_protected_until: 'would not extend protection: not used',
} as const;
const day = (iso: string | null) => iso?.slice(0, 10) ?? 'unknown';

const MISSING_DATA_HINT =
  'A sealed file is restamped only with the revocation data (OCSP or CRL) of every certificate in it; ticked, it is ' +
  'restamped without what cannot be had, and the result says what is missing.';
export function RestampView() {
  const [within, setWithin] = useState<number>(90);
  const [custom, setCustom] = useState(false); // another number of days than WINDOWS', typed in `otherDays`
  const [otherDays, setOtherDays] = useState('180');
  const [includeWeak, setIncludeWeak] = useState(false);
  // Off by default, as EU DSS: a sealed file whose certificates' OCSP/CRL cannot be had is not restamped.
  const [allowMissing, setAllowMissing] = useState(false);
  // The run options of `sealdesk restamp --expiring-within` (--concurrency, --per-tsa, --rate, --allow-private-network).
  const [concurrency, setConcurrency] = useState(2);
  const [perTsa, setPerTsa] = useState(2);
  const [rate, setRate] = useState('');
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [due, setDue] = useState<RestampDue | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [tsa, setTsa] = useState('auto');
  const [results, setResults] = useState<readonly RestampItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const server = useAccountServer();
  const [viaServer, setViaServer] = useState(false);
  const remote = viaServer && server !== null;
  const restamping = useJob();
  const { job } = restamping;
  const busy = restamping.running;
  /** `keep`: the same window with another TSA — the verdicts change, the chains and the user's choice stay. */
  const load = async (days = within, weak = includeWeak, by = tsa, keep = false) => {
    const r = await api().restampDue({ withinDays: days, includeWeak: weak, tsa: by });
    if (!r.ok) return setError(r.error.message);
    setDue(r.value);
    const ids = r.value.chains.map((c) => c.id);
    setSelected((old) => new Set(keep ? ids.filter((id) => old.has(id)) : ids)); // all due chains, until the user says otherwise
  };
  const pick = (days: number) => {
    setWithin(days);
    void load(days);
  };
  useEffect(() => {
    void load();
    void api()
      .tsaList({})
      .then((r) => r.ok && setTsas(r.value.filter((t) => t.enabled && t.url)));
    // A run started before this view was opened (another visit) is followed, not started again.
    void api()
      .jobsList({})
      .then((r) => {
        const running = r.ok ? r.value.find((j) => j.kind === 'restamp') : undefined;
        if (running) void run(() => Promise.resolve({ ok: true, value: { id: running.id } }));
      });
  }, []);
  const run = async (start: Parameters<typeof restamping.run>[0]) => {
    setError(null);
    setResults([]);
    try {
      const done = await restamping.run(start);
      if (done.kind === 'restamp') setResults(done.results);
      if (done.error) setError(done.error.message);
    } catch (err) {
      setError((err as Error).message);
    }
    await load();
  };
  const rates = rate.split(/[\s,]+/).filter(Boolean);
  const options = {
    concurrency,
    perTsa,
    allowMissingValidationData: allowMissing,
    allowPrivateNetwork: allowPrivate,
    ...(rates.length ? { rate: rates } : {}),
  };
  const restampSelected = () =>
    void run(() =>
      api().jobsRestamp(
        remote
          ? { ids: [...selected], remote, withinDays: within, includeWeak }
          : { ids: [...selected], tsa, withinDays: within, includeWeak, ...options },
      ),
    );
  const restampWindow = () =>
    void run(() => api().jobsRestamp({ window: true, tsa, withinDays: within, includeWeak, ...options }));
  const resumeUnfinished = (id: string) => void run(() => api().jobsRestamp({ resume: id, ...options }));
  const chains = due?.chains ?? [];
  const allBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (allBox.current) allBox.current.indeterminate = selected.size > 0 && selected.size < chains.length;
  }, [selected, chains.length]);
  const toggle = (id: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section aria-labelledby="restamp-title">
      <h2 id="restamp-title">Restamp</h2>
      <p className="hint">
        A time-stamp proves its time only while its TSA certificate is valid. Restamping adds a new time-stamp over the
        newest one, by preference from another TSA, so each chain stays protected.
      </p>
      {due?.unfinished && !busy && (
        <div className="card warn" role="region" aria-label="Unfinished run">
          <p>
            A restamp run started {due.unfinished.createdAt.slice(0, 16).replace('T', ' ')} did not finish:{' '}
            {due.unfinished.done} of {due.unfinished.total} chain(s) have their new link
            {due.unfinished.failed ? `, ${due.unfinished.failed} failed` : ''}.
          </p>
          <button type="button" onClick={() => resumeUnfinished(due.unfinished!.id)}>
            Resume the unfinished run
          </button>
        </div>
      )}
      <div className="row">
        <fieldset className="choice">
          <legend>Due within</legend>
          {WINDOWS.map((d) => (
            <label key={d}>
              <input
                type="radio"
                name="restamp-window"
                checked={!custom && within === d}
                disabled={busy}
                onChange={() => {
                  setCustom(false);
                  pick(d);
                }}
              />{' '}
              {d} days
            </label>
          ))}
          <label>
            <input
              type="radio"
              name="restamp-window"
              checked={custom}
              disabled={busy}
              onChange={() => {
                setCustom(true);
                const d = daysOf(otherDays);
                if (d) pick(d);
              }}
            />{' '}
            Other
          </label>
          <input
            type="number"
            aria-label="Other window, in days"
            min={1}
            max={3650}
            value={otherDays}
            disabled={busy}
            onChange={(e) => {
              setOtherDays(e.target.value);
              const d = daysOf(e.target.value);
              if (custom && d) pick(d);
            }}
          />{' '}
          days
        </fieldset>
        <label>
          <input
            type="checkbox"
            checked={includeWeak}
            disabled={busy}
            onChange={(e) => {
              setIncludeWeak(e.target.checked);
              void load(within, e.target.checked);
            }}
          />{' '}
          Include SHA-1 imprints
        </label>
        <label title={MISSING_DATA_HINT}>
          <input
            type="checkbox"
            checked={allowMissing}
            disabled={busy}
            onChange={(e) => setAllowMissing(e.target.checked)}
          />{' '}
          Restamp even if validation data is missing
        </label>
        <label>
          <input
            type="checkbox"
            checked={allowPrivate}
            disabled={busy}
            onChange={(e) => setAllowPrivate(e.target.checked)}
          />{' '}
          Fetch validation data from private-network addresses
        </label>
      </div>
      <div className="row" role="group" aria-label="Run options">
        <label htmlFor="restamp-concurrency">Chains at once</label>
        <input
          id="restamp-concurrency"
          type="number"
          min={1}
          max={16}
          value={concurrency}
          disabled={busy}
          onChange={(e) => setConcurrency(Number(e.target.value))}
        />
        <label htmlFor="restamp-per-tsa">Requests per TSA</label>
        <input
          id="restamp-per-tsa"
          type="number"
          min={1}
          max={16}
          value={perTsa}
          disabled={busy}
          onChange={(e) => setPerTsa(Number(e.target.value))}
        />
        <label htmlFor="restamp-rate">Rate limits</label>
        <input
          id="restamp-rate"
          placeholder="digicert=20/20m"
          value={rate}
          disabled={busy}
          onChange={(e) => setRate(e.target.value)}
        />
      </div>
      {due && (
        <>
          <p role="status">
            {due.total} chain(s) due before {day(due.before)}
            {due.total > chains.length
              ? ` — the first ${chains.length} are listed (the command line restamps any number: sealdesk restamp --expiring-within ${within}d)`
              : ''}
          </p>
          {due.total > 0 && (
            <div className="counts">
              <Counts title="By month the TSA certificate expires" counts={due.byMonth} />
              <Counts title="By TSA" counts={due.byTsa} />
            </div>
          )}
          {due.tsas.length > 0 && (
            <ul className="plain" aria-label="TSAs for the new links">
              {due.tsas.map((v) => (
                <li key={v.slug}>
                  {v.name}: {VERDICT[v.reason]}
                  {v.lastCertNotAfter ? ` (certificate until ${day(v.lastCertNotAfter)})` : ''}
                </li>
              ))}
            </ul>
          )}
          {due.noTsaExtendsProtection > 0 && (
            <p role="alert" className="error">
              {due.noTsaExtendsProtection} chain(s) would not be restamped: no enabled TSA's certificate outlasts{' '}
              {day(due.before)} (no_tsa_extends_protection). Enable or add a TSA in Settings.
            </p>
          )}
          {due.total > 0 && (
            <button type="button" disabled={busy} onClick={restampWindow}>
              Restamp all {due.total} due (as the command line)
            </button>
          )}
        </>
      )}
      {chains.length > 0 && (
        <>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => setSelected(new Set(chains.map((c) => c.id)))}>
              Select all
            </button>
            <button type="button" disabled={busy} onClick={() => setSelected(new Set())}>
              Select none
            </button>
            <span className="hint">
              {selected.size} of {chains.length} selected
            </span>
          </div>
          <div className="scroll">
            <table className="records" aria-label="Chains due">
              <thead>
                <tr>
                  <th>
                    <input
                      ref={allBox}
                      type="checkbox"
                      aria-label="Select all chains"
                      checked={selected.size === chains.length}
                      disabled={busy}
                      onChange={(e) => setSelected(e.target.checked ? new Set(chains.map((c) => c.id)) : new Set())}
                    />
                  </th>
                  <th>File</th>
                  <th>TSA</th>
                  <th>TSA certificate until</th>
                  <th>Hash or seal</th>
                  <th>Newest link or seal</th>
                </tr>
              </thead>
              <tbody>
                {chains.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Restamp ${c.file ?? c.id}`}
                        checked={selected.has(c.id)}
                        disabled={busy}
                        onChange={(e) => toggle(c.id, e.target.checked)}
                      />
                    </td>
                    <td>
                      <code>{c.file ?? ''}</code>
                    </td>
                    <td>{c.tsaName ?? ''}</td>
                    <td>{day(c.tsaCertNotAfter)}</td>
                    <td className={c.hashAlgorithm === 'sha1' ? 'error' : undefined}>
                      {c.hashAlgorithm ? c.hashAlgorithm.toUpperCase() : SEAL_KIND[c.kind]}
                    </td>
                    <td>
                      <code title={c.id}>{c.id.slice(0, 8)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="row">
            <label htmlFor="restamp-tsa">Restamp with</label>
            <select
              id="restamp-tsa"
              value={tsa}
              disabled={busy}
              onChange={(e) => {
                setTsa(e.target.value);
                void load(within, includeWeak, e.target.value, true);
              }}
            >
              <option value="auto">Automatic (another TSA than the last link's)</option>
              {tsas.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </select>
            {server && (
              <label>
                <input
                  type="checkbox"
                  checked={viaServer}
                  disabled={busy}
                  onChange={(e) => setViaServer(e.target.checked)}
                />{' '}
                Via the server ({server}; stamp chains only)
              </label>
            )}
            <button type="button" className="primary" disabled={busy || selected.size === 0} onClick={restampSelected}>
              Restamp {selected.size} chain(s){remote ? ' via the server' : ''}
            </button>
          </div>
        </>
      )}
      {job && job.kind === 'restamp' && <Progress job={job} busy={busy} onCancel={restamping.cancel} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {results.length > 0 && (
        <ul className="results" aria-label="Restamp results">
          {results.map((r) => (
            <li key={r.stampId} className={r.error ? 'bad' : r.newId && !r.missingValidationData ? 'good' : 'warn'}>
              <strong>{r.file}</strong> —{' '}
              {r.error ? (
                r.error.message
              ) : r.newId ? (
                r.kind === 'pdf' || r.kind === 'p7s' ? (
                  'a new archive time-stamp, in the same file'
                ) : (
                  <>
                    new link <code>{r.newId}</code>
                  </>
                )
              ) : (
                'not started: the run was cancelled (resume it to finish)'
              )}
              {r.missingValidationData && <>, without this validation data: {r.missingValidationData.join('; ')}</>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Counts({ title, counts }: { title: string; counts: Readonly<Record<string, number>> }) {
  const entries = Object.entries(counts);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return (
    <figure className="bars">
      <figcaption>{title}</figcaption>
      <ul className="plain" aria-label={title}>
        {entries.map(([key, n]) => (
          <li key={key}>
            <span className="bar-label">{key}</span>
            <meter min={0} max={max} value={n} aria-label={`${key}: ${n}`} />
            <span className="bar-count">{n}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function Progress({
  job,
  busy,
  onCancel,
}: {
  job: NonNullable<ReturnType<typeof useJob>['job']>;
  busy: boolean;
  onCancel: () => void;
}) {
  const failed = job.failed ?? 0;
  const remaining = job.total - job.done - failed;
  const pause = () => void api().jobsPause({ id: job.id });
  const resume = () => void api().jobsResume({ id: job.id });
  const state =
    job.state === 'cancelled'
      ? 'Cancelled: the run stays open; resume it to finish the chains not started.'
      : job.state === 'failed'
        ? 'The run stopped.'
        : job.state === 'done'
          ? failed
            ? `Finished with ${failed} failure(s): the run stays open to retry them.`
            : 'All done.'
          : job.paused
            ? job.active
              ? `Pausing: ${job.active} chain(s) under way finish first.`
              : 'Paused.'
            : 'Restamping…';
  return (
    <div className="row run" role="group" aria-label="Restamp run">
      <progress aria-label="Restamp progress" max={Math.max(1, job.total)} value={job.done + failed}>
        {job.done + failed} of {job.total}
      </progress>
      <span role="status" className="hint">
        {job.done} done · {failed} failed · {remaining} remaining — {state}
      </span>
      {busy &&
        (job.paused ? (
          <button type="button" onClick={resume}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={pause}>
            Pause
          </button>
        ))}
      {busy && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
    </div>
  );
}
