// The EU trusted lists' verdict on a signature or time-stamp in the words the Verify cards show: "Qualified electronic
// seal (EE, SK ID Solutions)" or "Not qualified: why", and which source made a certificate trusted. (The CLI and the
// HTML report word it in core/report/words.ts; the renderer imports no core code.)
import type { SignatureReport } from '../../../preload/api.js';

type Qualification = NonNullable<SignatureReport['qualification']>;
type TrustSource = NonNullable<NonNullable<SignatureReport['signer']>['trustSource']>;

const LEVEL: Record<Qualification['level'], string> = {
  QESig: 'Qualified electronic signature',
  QESeal: 'Qualified electronic seal',
  'AdESig-QC': 'Advanced electronic signature with a qualified certificate',
  'AdESeal-QC': 'Advanced electronic seal with a qualified certificate',
  QTST: 'Qualified electronic time-stamp',
  'not-qualified': 'Not qualified',
};

export function qualificationWords(q: Qualification): string {
  if (q.level === 'not-qualified') return `Not qualified: ${q.reason}`;
  const who = q.service ? ` (${q.service.territory}, ${q.service.tspName})` : '';
  return `${LEVEL[q.level]}${who}${q.list?.stale ? ' — the trusted list is past its next update' : ''}`;
}

export function trustSourceWords(s: TrustSource): string {
  if (s.kind === 'anchor') return 'trusted through an explicit anchor';
  if (s.kind === 'dev-ca') return 'trusted through a development CA';
  return `trusted through the EU trusted lists: ${s.serviceName}, ${s.territory}`;
}
