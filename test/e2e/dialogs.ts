// The e2e harness's stand-ins for what only Electron has: main's native dialogs (open, save, confirm) answered from
// queues the test fills before it clicks, and webUtils.getPathForFile (a dropped File's path on disk) answered from a
// mapping the test gives the page. Everything else (main's handle registry, dispatch, the services) is the real code.
import { basename } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ConfirmOptions, DialogHooks, SaveOptions } from '../../main/dialogs.js';
import { createMainSide, type MainSide } from '../../main/main-side.js';
import type { OpenedQueue } from '../../main/services/desktop.js';

export class TestDialogs {
  private readonly chooses: string[][] = [];
  private readonly saves: (string | null)[] = [];
  private readonly confirms: boolean[] = [];
  readonly saveAsked: SaveOptions[] = [];
  readonly confirmAsked: ConfirmOptions[] = [];
  readonly shown: string[] = [];
  readonly hooks: DialogHooks = {
    chooseFiles: async () => this.chooses.shift() ?? [],
    saveFile: async (o) => (this.saveAsked.push(o), this.saves.shift() ?? null),
    confirm: async (o) => (this.confirmAsked.push(o), this.confirms.shift() ?? false),
    showInFolder: (path) => void this.shown.push(path),
  };
  /** The next open dialog picks these ([] : cancelled). */
  willChoose(...paths: string[]): void {
    this.chooses.push(paths);
  }
  /** The next save dialog answers this place (null: cancelled). */
  willSave(path: string | null): void {
    this.saves.push(path);
  }
  willConfirm(yes: boolean): void {
    this.confirms.push(yes);
  }
}

/** Main's side for a loopback host, its dialogs answered by the test. */
export function testSide(o: { dataDir: string; opened?: OpenedQueue }): { side: MainSide; dialogs: TestDialogs } {
  const dialogs = new TestDialogs();
  return { side: createMainSide({ dataDir: o.dataDir, hooks: dialogs.hooks, opened: o.opened }), dialogs };
}

/** Adds files to the current view's picker as a user does in main's open dialog; waits for their names in the list. */
export async function chooseFiles(page: Page, dialogs: TestDialogs, picker: string, ...paths: string[]): Promise<void> {
  dialogs.willChoose(...paths);
  await page.getByRole('main').getByRole('button', { name: 'Choose files…', exact: true }).click();
  const list = page.getByRole('list', { name: `${picker}: chosen files` });
  for (const p of paths) await list.getByText(basename(p), { exact: true }).waitFor();
}

/** Electron's webUtils.getPathForFile, in the page: a dropped File of one of these names is on disk at that path. */
export async function mapDroppedFiles(page: Page, byName: Record<string, string>): Promise<void> {
  await page.evaluate((map) => {
    (globalThis as { __sealdeskPathForFile?: (f: { name: string }) => string | undefined }).__sealdeskPathForFile = (
      f,
    ) => map[f.name];
  }, byName);
}

/** Drops Files of these names (and contents) on `target`, as the OS does. */
export async function dropFiles(
  page: Page,
  target: Locator,
  files: readonly { name: string; text?: string }[],
): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(f: unknown): void } };
      File: new (parts: string[], name: string) => unknown;
    };
    const dt = new g.DataTransfer();
    for (const f of list) dt.items.add(new g.File([f.text ?? ''], f.name));
    return dt;
  }, files);
  await target.dispatchEvent('drop', { dataTransfer });
}
