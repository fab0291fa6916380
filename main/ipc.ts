// The one typed handle(): every channel of the contract goes through dispatch(); raw ipcMain lives only here.
import { ipcMain } from 'electron';
import { CHANNELS } from '../preload/api.js';
import { dispatch } from './dispatch.js';
import type { Services } from './services/index.js';

/** Registers every channel; `isOurs` decides whether a sender frame is our own renderer. */
export function registerHandlers(services: Services, isOurs: (frameUrl: string) => boolean): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) => dispatch(channel, event.senderFrame?.url, raw, services, isOurs));
  }
}
