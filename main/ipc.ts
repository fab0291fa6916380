// The one typed handle(): every channel of the contract goes through dispatch(); raw ipcMain lives only here.
import { ipcMain } from 'electron';
import { CHANNELS, DROP_CHANNEL } from '../preload/api.js';
import { dispatch, dispatchDrop } from './dispatch.js';
import type { MainSide } from './main-side.js';
import type { Services } from './services/index.js';

/** Registers every channel and the preload's drop channel; `isOurs` decides whether a sender frame is our renderer. */
export function registerHandlers(services: Services, isOurs: (frameUrl: string) => boolean, side: MainSide): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, raw: unknown) =>
      dispatch(channel, event.senderFrame?.url, raw, services, isOurs, side),
    );
  }
  ipcMain.handle(DROP_CHANNEL, (event, raw: unknown) => dispatchDrop(event.senderFrame?.url, raw, isOurs, side));
}
