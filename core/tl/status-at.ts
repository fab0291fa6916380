// ETSI TS 119 612 service status history read "at time T" (TS 119 615 §4.3, Annex: pre-eIDAS statuses mapped):
// which status period covers T, and whether it counts as granted or withdrawn.
import type { TlService, TlStatusPeriod } from './model.js';

/** What a service's status was at a time: granted, withdrawn, or not yet listed (`none`). */
export type StatusAt = {
  readonly status: 'granted' | 'withdrawn' | 'none';
  /** The period covering T (null when T is before the first one). */
  readonly period: TlStatusPeriod | null;
};

const NEW = 'http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/';
const OLD = 'http://uri.etsi.org/TrstSvc/eSigDir-1999-93-EC-TrustedList/Svcstatus/';

/**
 * TS 119 612 v1 (Directive 1999/93/EC) statuses as TS 119 615 maps them: a service under supervision or accredited
 * (or in cessation of supervision) then is "granted"; a supervision or accreditation ceased or revoked is "withdrawn".
 */
const LEGACY: Record<string, 'granted' | 'withdrawn'> = {
  undersupervision: 'granted',
  supervisionincessation: 'granted',
  accredited: 'granted',
  supervisionceased: 'withdrawn',
  supervisionrevoked: 'withdrawn',
  accreditationceased: 'withdrawn',
  accreditationrevoked: 'withdrawn',
};

/** granted / withdrawn for a status URI; the legacy names count in either namespace (TS 119 612 v1 lists wrote
 * them under …/TrustedList/Svcstatus/ too). Anything else (recognisedatnationallevel, deprecated…) is not granted. */
export function statusKind(uri: string): 'granted' | 'withdrawn' {
  if (uri === `${NEW}granted`) return 'granted';
  for (const ns of [OLD, NEW]) if (uri.startsWith(ns)) return LEGACY[uri.slice(ns.length)] ?? 'withdrawn';
  return 'withdrawn';
}

/** The short name of a status URI (its last path segment), for reports. */
export const statusName = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1) || uri;

/** The period of `service`'s history that covers `at` ([from, to), `to` null while current). */
export function periodAt(service: TlService, at: Date): TlStatusPeriod | null {
  const t = at.getTime();
  for (const p of service.history) {
    if (p.from.getTime() <= t && (p.to === null || t < p.to.getTime())) return p;
  }
  return null;
}

export function statusAt(service: TlService, at: Date): StatusAt {
  const period = periodAt(service, at);
  return period ? { status: statusKind(period.status), period } : { status: 'none', period: null };
}
