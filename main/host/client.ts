// Main's side of the service host: every call forwarded as {id, channel, request} and answered by {id, result}; the
// host's events passed on to subscribers. A host that stops (crash, killed) fails the calls under way with
// HOST_STOPPED and is started again at the next call.
import type { Channel, Result } from '../../preload/api.js';
import { HostError } from '../errors.js';
import { EventHub } from '../services/events.js';
import type { ServiceOptions } from '../services/context.js';
import type { FromHost, HostProcess, HostTimers } from './protocol.js';

type Pending = { resolve: (r: Result<unknown>) => void };

export class HostClient {
  readonly events = new EventHub();
  private proc: HostProcess | null = null;
  private ready: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly secrets = new Map<string, string | null>();
  private nextId = 1;
  private closing: (() => void) | null = null;
  /** The host wrote a keychain value (a refreshed sync session): main stores it. */
  onSecret: ((name: string, value: string | null) => void) | null = null;

  constructor(
    private readonly spawn: () => Promise<HostProcess>,
    private readonly init: { options: ServiceOptions; keychain: boolean; timers?: HostTimers | false },
  ) {}

  /** Calls a channel in the host: its value, or a HostError carrying the host's ApiError. */
  async call(channel: Channel, request: unknown): Promise<unknown> {
    const proc = await this.started();
    const id = this.nextId++;
    const result = await new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, { resolve });
      proc.post({ type: 'call', id, channel, request });
    });
    if (!result.ok) throw new HostError(result.error);
    return result.value;
  }

  /** A keychain value the host may read (the default seal's passphrase), now and after a restart. */
  setSecret(name: string, value: string | null): void {
    this.secrets.set(name, value);
    this.proc?.post({ type: 'secret', name, value });
  }

  /** Starts the host now (it also starts at the first call). */
  start(): Promise<void> {
    return this.started().then(() => undefined);
  }

  /** Closes the ledger connection and stops the host. */
  async close(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    await Promise.race([
      new Promise<void>((resolve) => ((this.closing = resolve), proc.post({ type: 'close' }))),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    this.proc = null;
    this.ready = null;
    proc.kill();
  }

  private async started(): Promise<HostProcess> {
    this.ready ??= this.launch();
    await this.ready;
    return this.proc!;
  }

  private async launch(): Promise<void> {
    const proc = await this.spawn();
    this.proc = proc;
    await new Promise<void>((resolve, reject) => {
      proc.onMessage((m: FromHost) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'result') this.settle(m.id, m.result);
        else if (m.type === 'event') this.events.emit(m.event);
        else if (m.type === 'secret') {
          this.secrets.set(m.name, m.value);
          this.onSecret?.(m.name, m.value);
        } else if (m.type === 'closed') this.closing?.();
      });
      proc.onExit((code) => {
        if (this.proc !== proc) return;
        this.proc = null;
        this.ready = null;
        reject(new Error(`the service host stopped (exit code ${code})`));
        for (const id of [...this.pending.keys()])
          this.settle(id, {
            ok: false,
            error: { code: 'HOST_STOPPED', message: `the service host stopped (exit code ${code}); try again` },
          });
      });
      const secrets = this.init.keychain ? Object.fromEntries(this.secrets) : undefined;
      proc.post({ type: 'init', options: this.init.options, secrets, timers: this.init.timers });
    });
  }

  private settle(id: number, result: Result<unknown>): void {
    const p = this.pending.get(id);
    this.pending.delete(id);
    p?.resolve(result);
  }
}
