// The services' pushed state: every event goes to each subscriber as it happens, and a new subscriber first gets
// the latest event of each state kind (jobs, queue, ledger, online), so no view ever polls. Job progress is
// coalesced (the newest status per job, at most one every PROGRESS_EVERY_MS) so a 10,000-item run cannot flood the
// window; a job's start and end go out at once.
import { STATE_EVENTS, type JobStatus, type SealdeskEvent } from '../../preload/api.js';

export type EventListener = (event: SealdeskEvent) => void;
/** Subscribes a listener; returns the unsubscribe. */
export type SubscribeEvents = (listener: EventListener) => () => void;

export const PROGRESS_EVERY_MS = 100;

export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly latest = new Map<SealdeskEvent['kind'], SealdeskEvent>();
  private first: (() => void) | null;

  /** `onFirstSubscriber`: computes the initial state lazily, when someone listens. */
  constructor(onFirstSubscriber?: () => void) {
    this.first = onFirstSubscriber ?? null;
  }

  emit(event: SealdeskEvent): void {
    if (STATE_EVENTS.includes(event.kind)) {
      // Unchanged state is not sent again (the ledger is recounted after many calls).
      const old = this.latest.get(event.kind);
      if (old && JSON.stringify(old) === JSON.stringify(event)) return;
      this.latest.set(event.kind, event);
    }
    for (const l of this.listeners) l(event);
  }

  subscribe: SubscribeEvents = (listener) => {
    for (const e of this.latest.values()) listener(e);
    this.listeners.add(listener);
    const first = this.first;
    this.first = null;
    first?.();
    return () => void this.listeners.delete(listener);
  };
}

/** Passes on a job's first and last status at once, and in between its newest status at most every `everyMs`. */
export function coalesceJobs(
  send: (s: JobStatus, edge: boolean) => void,
  everyMs = PROGRESS_EVERY_MS,
): (s: JobStatus) => void {
  const seen = new Set<string>();
  const waiting = new Map<string, JobStatus>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const all = [...waiting.values()];
    waiting.clear();
    for (const s of all) send(s, false);
  };
  return (s) => {
    const edge = !seen.has(s.id) || s.state !== 'running';
    if (!edge) {
      waiting.set(s.id, s);
      timer ??= setTimeout(flush, everyMs);
      return;
    }
    waiting.delete(s.id);
    if (s.state === 'running') seen.add(s.id);
    else seen.delete(s.id);
    send(s, true);
  };
}
