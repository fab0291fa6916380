// What handle() does with one request, without Electron: sender check, zod validation, Result, never a throw.
import { CONTRACT, type Channel, type Result } from '../preload/api.js';
import { toApiError } from './errors.js';
import type { Services } from './services/index.js';

export async function dispatch(channel: Channel, senderUrl: string | undefined, raw: unknown, services: Services, isOurs: (url: string) => boolean): Promise<Result<unknown>> {
  if (!senderUrl || !isOurs(senderUrl)) return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'request from an unknown frame refused' } };
  const parsed = CONTRACT[channel].request.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'BAD_REQUEST', message: parsed.error.message } };
  try {
    return { ok: true, value: await (services[channel] as (r: unknown) => unknown)(parsed.data) };
  } catch (err) {
    return { ok: false, error: toApiError(err) };
  }
}
