// Stamp → "Which TSAs qualify?" (`sealdesk stamp --qualified --dry-run`): the TSAs a qualified stamp would use, by
// the EU trusted lists cached in the data folder, those refused and why, and this month's qualified stamps. Nothing
// is sent.
import { useState } from 'react';
import type { QualifiedPlan as Plan } from '../../../preload/api.js';
import { api } from '../api.js';

export function QualifiedPlan({ tsa }: { readonly tsa: string }) {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const show = async () => {
    const r = await api().stampQualifiedPlan({ tsa: tsa === 'auto' ? undefined : tsa });
    setPlan(r.ok ? r.value : null);
    setError(r.ok ? null : r.error.message);
  };
  return (
    <div>
      <button type="button" onClick={() => void show()}>
        Which TSAs qualify?
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {plan && (
        <div className="card" role="region" aria-label="Qualified TSAs">
          <ul className="plain">
            {plan.usable.map((u) => (
              <li key={u.slug} className="good">
                Would use {u.name}: {u.service ?? 'its certificate is not known yet; its first token is checked'}
              </li>
            ))}
            {plan.refused.map((r) => (
              <li key={r.slug} className="warn">
                Not {r.slug}: {r.reason}
              </li>
            ))}
          </ul>
          <p className="hint">
            Qualified stamps in {plan.month.month}: {plan.month.qualified} of {plan.month.all}
          </p>
        </div>
      )}
    </div>
  );
}
