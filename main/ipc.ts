// The one typed handle(): sender check, zod validation, {ok,value}|{ok:false,error}; nothing throws across IPC.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, CONTRACT, type Channel, type Result } from '../preload/api.js';
import type { Services } from './services.js';
import { toApiError } from './errors.js';

/** Registers every channel of the contract; `isOurs` decides whether a sender frame is our own renderer. */
export function registerHandlers(services: Services, isOurs: (frameUrl: string) => boolean): void {
  for (const channel of CHANNELS) handle(channel, services, isOurs);
}

function handle<C extends Channel>(channel: C, services: Services, isOurs: (url: string) => boolean): void {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, raw: unknown): Promise<Result<unknown>> => {
    if (!event.senderFrame || !isOurs(event.senderFrame.url)) return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'request from an unknown frame refused' } };
    const parsed = CONTRACT[channel].request.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.message } };
    try {
      return { ok: true, value: await (services[channel] as (r: unknown) => unknown)(parsed.data) };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  });
}
