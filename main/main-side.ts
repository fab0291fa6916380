// What main keeps for the window and answers itself: the file handles, the recent files, the PKCS#11 modules, the
// files the OS opened, the outputs it reported written, the dialogs; and the channels that need them
// (MAIN_SIDE_CHANNELS).
import { join, resolve } from 'node:path';
import { CoreError } from '../core/errors.js';
import {
  DROP_MAX,
  type DroppedFiles,
  type FileRef,
  type MainSideChannel,
  type OpenedFiles,
  type WireRequestOf,
} from '../preload/api.js';
import { CapabilityError, CapabilityRegistry } from './capabilities.js';
import type { DialogHooks } from './dialogs.js';
import { MODULE_FILTER, Pkcs11Modules } from './pkcs11-modules.js';
import { OpenedQueue, viewFor } from './services/desktop.js';

export type MainSide = {
  readonly files: CapabilityRegistry;
  readonly modules: Pkcs11Modules;
  readonly hooks: DialogHooks;
  readonly opened: OpenedQueue;
  /** The data folder ("show in folder" may reveal it); null under a host without one. */
  readonly dataDir: string | null;
  /** Paths main reported as written (outputs): "show in folder" reveals these and handles, nothing else. */
  readonly written: Set<string>;
  /** The sync account's server (from the keychain), named when a file is to be sealed via it; null: no account. */
  readonly serverUrl: () => string | null;
};

/** `dataDir`: where the recent list and the picked modules are kept (in memory only without one). */
export function createMainSide(
  o: {
    dataDir?: string;
    hooks?: DialogHooks;
    opened?: OpenedQueue;
    modules?: Pkcs11Modules;
    serverUrl?: () => string | null;
  } = {},
): MainSide {
  const dir = o.dataDir ?? null;
  return {
    files: new CapabilityRegistry({ recentFile: dir ? join(dir, 'desktop-recent.json') : undefined }),
    modules: o.modules ?? new Pkcs11Modules({ file: dir ? join(dir, 'pkcs11-modules.json') : null }),
    hooks: o.hooks ?? {},
    opened: o.opened ?? new OpenedQueue(),
    dataDir: dir,
    written: new Set(),
    serverUrl: o.serverUrl ?? (() => null),
  };
}

const missing = (what: string) => new CoreError('NOT_SUPPORTED', `${what} is available in the desktop app only`);

/** Handles for paths the user gave main (a dialog, the OS); they join the recent files. Refused ones are skipped. */
function issueAll(side: MainSide, paths: readonly string[]): FileRef[] {
  const refs: FileRef[] = [];
  for (const p of paths) {
    try {
      refs.push(side.files.issue(p));
    } catch {
      // gone since, or not a file or folder: nothing to offer
    }
  }
  side.files.remember(paths.map((p) => resolve(p)));
  return refs;
}

type Answers = { readonly [C in MainSideChannel]: (side: MainSide, r: WireRequestOf<C>) => Promise<unknown> | unknown };

const ANSWERS: Answers = {
  'desktop:chooseFiles': async (side, r) => {
    if (!side.hooks.chooseFiles) throw missing('the file chooser');
    const folders = r.folders ?? false;
    return issueAll(
      side,
      await side.hooks.chooseFiles({
        title: folders ? 'Choose folders' : 'Choose files',
        folders,
        multiple: r.multiple ?? true,
      }),
    );
  },
  'files:recent': (side) => side.files.recent(),
  'app:opened': (side): OpenedFiles => {
    const paths = side.opened.take().map((f) => f.path);
    return issueAll(side, paths).map((file) => ({ file, view: viewFor(file.name) })); // by extension, as the OS gave it
  },
  'desktop:showInFolder': (side, r) => {
    if (!side.hooks.showInFolder) throw missing('"show in folder"');
    const path = 'file' in r ? side.files.resolve(r.file) : resolve(r.path);
    if (!('file' in r) && !side.written.has(path) && path !== side.dataDir) {
      throw new CapabilityError('CAPABILITY_UNKNOWN', 'only files Sealdesk wrote, chose or was given can be shown');
    }
    side.hooks.showInFolder(path);
    return { shown: true };
  },
  'tokens:modules': (side) => side.modules.list(),
  'tokens:addModule': async (side) => {
    if (!side.hooks.chooseFiles) throw missing('adding a PKCS#11 module');
    const [path] = await side.hooks.chooseFiles({
      title: 'Choose a PKCS#11 module',
      folders: false,
      multiple: false,
      filters: [MODULE_FILTER],
    });
    if (!path) throw new CapabilityError('CANCELLED', 'no module was chosen');
    return side.modules.add(path);
  },
};

export function answerMain<C extends MainSideChannel>(
  side: MainSide,
  channel: C,
  request: WireRequestOf<C>,
): Promise<unknown> | unknown {
  return (ANSWERS[channel] as (s: MainSide, r: WireRequestOf<C>) => unknown)(side, request);
}

/** The longest path a drop may hand over. */
const PATH_MAX = 4096;

/** A drop the preload vouched for (paths from webUtils.getPathForFile): each existing file or folder gets a handle. */
export function acceptDrop(side: MainSide, raw: unknown): DroppedFiles {
  const paths = (raw as { paths?: unknown } | null)?.paths;
  if (
    !Array.isArray(paths) ||
    paths.length > DROP_MAX ||
    !paths.every((p) => typeof p === 'string' && p.length <= PATH_MAX)
  ) {
    throw new CapabilityError('CAPABILITY_REFUSED', 'a drop hands over at most 10,000 paths');
  }
  const files: FileRef[] = [];
  const accepted: string[] = [];
  const refused: { index: number; name: string; message: string }[] = [];
  for (const [index, p] of (paths as string[]).entries()) {
    try {
      if (p === '') throw new CapabilityError('CAPABILITY_REFUSED', 'this item is not a file on disk');
      files.push(side.files.issue(p));
      accepted.push(resolve(p));
    } catch (err) {
      refused.push({ index, name: p.split(/[\\/]/).pop() ?? '', message: (err as Error).message });
    }
  }
  side.files.remember(accepted);
  return { files, refused };
}
