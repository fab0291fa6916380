// The service host's loop: on `init` it creates the services (one long-lived ledger connection, the queue timer, the
// TSA reachability checks), then answers each call with a Result and pushes every event; `close` shuts it down.
import { CHANNELS } from '../../preload/api.js';
import { toApiError } from '../errors.js';
import { createServices, type SecretStore, type ServicesWithTimers } from '../services/index.js';
import type { FromHost, HostPort, ToHost } from './protocol.js';
import { ACCOUNT_SECRET } from '../account-store.js';

export function serveHost(port: HostPort): void {
  let services: ServicesWithTimers | null = null;
  const secrets = new Map<string, string | null>();
  // A mirror of main's keychain: safeStorage exists only in Electron's main process, which sends updates. The one
  // write the host makes (a sync session refreshed during a run) goes to main, which stores it.
  const mirror: SecretStore = {
    get: (name) => secrets.get(name) ?? null,
    set: (name, value) => {
      if (name !== ACCOUNT_SECRET) throw new Error('secrets are stored by the main process');
      if ((secrets.get(name) ?? null) === null) return; // signed out meanwhile: a late refresh keeps nothing
      secrets.set(name, value);
      port.post({ type: 'secret', name, value });
    },
  };
  const answer = async (m: Extract<ToHost, { type: 'call' }>): Promise<FromHost> => {
    if (!services)
      return {
        type: 'result',
        id: m.id,
        result: { ok: false, error: { code: 'INTERNAL', message: 'the service host is not started' } },
      };
    if (!CHANNELS.includes(m.channel) || !(m.channel in services))
      return { type: 'result', id: m.id, result: { ok: false, error: { code: 'NO_CHANNEL', message: m.channel } } };
    try {
      const value = await (services[m.channel as keyof typeof services] as (r: unknown) => unknown)(m.request);
      return { type: 'result', id: m.id, result: { ok: true, value } };
    } catch (err) {
      return { type: 'result', id: m.id, result: { ok: false, error: toApiError(err) } };
    }
  };
  port.onMessage((m) => {
    switch (m.type) {
      case 'init':
        for (const [name, value] of Object.entries(m.secrets ?? {})) secrets.set(name, value);
        services?.close();
        services = createServices(m.options, m.secrets ? { secrets: mirror } : {});
        if (m.timers !== false) services.startTimers(m.timers);
        services.subscribeEvents((event) => port.post({ type: 'event', event }));
        port.post({ type: 'ready' });
        return;
      case 'call':
        void answer(m).then((reply) => port.post(reply));
        return;
      case 'secret':
        secrets.set(m.name, m.value);
        if (m.name === ACCOUNT_SECRET) void services?.accountChanged().catch(() => undefined); // signed in or out
        return;
      case 'close':
        services?.close();
        services = null;
        port.post({ type: 'closed' });
        return;
    }
  });
}
