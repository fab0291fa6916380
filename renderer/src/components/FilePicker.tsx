// Files in, as main-issued handles only: dropped (the preload hands them to main), chosen in main's dialog, or picked
// from the recent files main remembers. The window never sees or sends a path; it shows names.
import { useState, type DragEvent } from 'react';
import type { DroppedFiles, FileRef, Result } from '../../../preload/api.js';
import { api } from '../api.js';

type Props = {
  readonly label: string;
  readonly files: readonly FileRef[];
  readonly onChange: (files: FileRef[]) => void;
  readonly accept?: string;
  /** One file only (a new one replaces it). */
  readonly single?: boolean;
};

/** The preload's drop → handles (the desktop app; the test harness's stand-in in the browser). */
type DropBridge = { readonly fromDrop: (files: readonly File[]) => Promise<Result<DroppedFiles>> };
const dropBridge = (): DropBridge | undefined => (window as unknown as { sealdeskFiles?: DropBridge }).sealdeskFiles;

export function FilePicker({ label, files, onChange, accept, single }: Props) {
  const [note, setNote] = useState<string | null>(null);
  const [recent, setRecent] = useState<readonly FileRef[] | null>(null);
  const add = (more: readonly FileRef[]) => {
    if (more.length === 0) return;
    if (single) return onChange([more[more.length - 1]!]);
    onChange([...files, ...more.filter((m) => !files.some((f) => f.handle === m.handle))]);
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    const bridge = dropBridge();
    if (!bridge) return setNote('This window cannot take dropped files: use "Choose files…".');
    const dropped = [...e.dataTransfer.files];
    const r = await bridge.fromDrop(dropped);
    if (!r.ok) return setNote(r.error.message);
    add(r.value.files);
    const named = r.value.refused.map((x) => `${dropped[x.index]?.name || x.name || 'an item'} (${x.message})`);
    setNote(named.length ? `Not added: ${named.join('; ')}` : null);
  };
  const choose = async (folders: boolean) => {
    const r = await api().desktopChooseFiles({ folders, multiple: !single });
    if (r.ok) add(r.value);
    setNote(r.ok ? null : r.error.message);
  };
  const showRecent = async () => {
    const r = await api().filesRecent({});
    if (r.ok) setRecent(r.value);
    else setNote(r.error.message);
  };
  return (
    <div className="picker">
      <div
        className="dropzone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => void onDrop(e)}
        aria-label={`${label}: drop files here`}
      >
        <p>Drop {accept ?? 'files'} here</p>
      </div>
      <div className="row">
        <button type="button" onClick={() => void choose(false)}>
          Choose files…
        </button>
        {!single && (
          <button type="button" onClick={() => void choose(true)}>
            Choose a folder…
          </button>
        )}
        <button
          type="button"
          aria-expanded={recent !== null}
          onClick={() => (recent ? setRecent(null) : void showRecent())}
        >
          Recent files
        </button>
      </div>
      {note && (
        <p className="hint" role="status">
          {note}
        </p>
      )}
      {recent && (
        <ul className="plain" aria-label={`${label}: recent files`}>
          {recent.length === 0 && <li className="hint">None yet.</li>}
          {recent.map((f) => (
            <li key={f.handle}>
              <button type="button" className="link" aria-label={`Add ${f.name}`} onClick={() => add([f])}>
                {f.name}
              </button>
              {f.kind === 'folder' && <span className="hint"> (folder)</span>}
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="files" aria-label={`${label}: chosen files`}>
          {files.map((f) => (
            <li key={f.handle}>
              <code>{f.name}</code>
              {f.kind === 'folder' && <span className="hint"> (folder)</span>}
              <button
                type="button"
                className="link"
                aria-label={`Remove ${f.name}`}
                onClick={() => onChange(files.filter((x) => x.handle !== f.handle))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
