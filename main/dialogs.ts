// Main-side dialogs: the only ways a path enters (open), an output is placed (save) or a trust anchor is added
// (confirm). The hooks are plain functions, so dispatch is tested without Electron; electronDialogs() fills them from
// Electron's dialog and shell in the app.
import type { BrowserWindow, Dialog, Shell } from 'electron';

export type FileFilter = { readonly name: string; readonly extensions: readonly string[] };
export type ChooseOptions = {
  readonly title: string;
  readonly folders: boolean;
  readonly multiple: boolean;
  readonly filters?: readonly FileFilter[];
};
/** `defaultPath`: a suggested name, in the folder of the input when there is one. */
export type SaveOptions = {
  readonly title: string;
  readonly defaultPath: string;
  readonly filters: readonly FileFilter[];
};
export type ConfirmOptions = {
  readonly title: string;
  readonly message: string;
  readonly detail: string;
  readonly confirm: string;
};

export type DialogHooks = {
  /** The paths picked in an open dialog ([] when cancelled). */
  readonly chooseFiles?: (o: ChooseOptions) => Promise<string[]>;
  /** The path chosen in a save dialog (null when cancelled). */
  readonly saveFile?: (o: SaveOptions) => Promise<string | null>;
  /** true only when the user pressed the confirming button. */
  readonly confirm?: (o: ConfirmOptions) => Promise<boolean>;
  readonly showInFolder?: (path: string) => void;
};

/** The hooks from Electron, modal to the window when it exists. */
export function electronDialogs(
  e: { readonly dialog: Dialog; readonly shell: Shell },
  win: () => BrowserWindow | null,
): DialogHooks {
  const modal = <T>(open: (w: BrowserWindow) => Promise<T>, free: () => Promise<T>) => {
    const w = win();
    return w ? open(w) : free();
  };
  return {
    chooseFiles: async (o) => {
      const properties: ('openFile' | 'openDirectory' | 'multiSelections')[] = [
        o.folders ? 'openDirectory' : 'openFile',
      ];
      if (o.multiple) properties.push('multiSelections');
      const options = {
        title: o.title,
        properties,
        filters: o.filters?.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
      };
      const r = await modal(
        (w) => e.dialog.showOpenDialog(w, options),
        () => e.dialog.showOpenDialog(options),
      );
      return r.canceled ? [] : r.filePaths;
    },
    saveFile: async (o) => {
      const options = {
        title: o.title,
        defaultPath: o.defaultPath,
        filters: o.filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
        properties: ['createDirectory', 'showOverwriteConfirmation'] as (
          'createDirectory' | 'showOverwriteConfirmation'
        )[],
      };
      const r = await modal(
        (w) => e.dialog.showSaveDialog(w, options),
        () => e.dialog.showSaveDialog(options),
      );
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    confirm: async (o) => {
      const options = {
        type: 'warning' as const,
        title: o.title,
        message: o.message,
        detail: o.detail,
        buttons: ['Cancel', o.confirm],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
      };
      const r = await modal(
        (w) => e.dialog.showMessageBox(w, options),
        () => e.dialog.showMessageBox(options),
      );
      return r.response === 1;
    },
    showInFolder: (path) => e.shell.showItemInFolder(path),
  };
}
