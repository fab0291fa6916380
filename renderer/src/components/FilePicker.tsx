// Files in: dropped (the desktop app knows their paths), or typed/pasted as a path — keyboard reachable either way.
import { useState, type DragEvent } from 'react';
import { api } from '../api.js';

type Props = { readonly label: string; readonly files: readonly string[]; readonly onChange: (files: string[]) => void; readonly accept?: string };

/** The preload adds this in the desktop app (webUtils.getPathForFile); a plain browser has no file paths. */
const pathFor = (file: File): string | null => (window as unknown as { sealdeskFiles?: { pathFor(f: File): string } }).sealdeskFiles?.pathFor(file) ?? null;

export function FilePicker({ label, files, onChange, accept }: Props) {
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const add = (more: string[]) => onChange([...files, ...more.filter((p) => p && !files.includes(p))]);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const paths = [...e.dataTransfer.files].map(pathFor);
    if (paths.some((p) => p === null)) setNote('This window cannot see where dropped files live: type or paste their paths below.');
    add(paths.filter((p): p is string => p !== null));
  };
  const choose = async () => {
    const r = await api().desktopChooseFiles({});
    if (r.ok) add([...r.value]);
    else setNote(r.error.code === 'NOT_SUPPORTED' ? 'The file chooser is part of the desktop app: here, type or paste paths.' : r.error.message);
  };
  const id = `${label.replace(/\W+/g, '-').toLowerCase()}-path`;
  return (
    <div className="picker">
      <div className="dropzone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} aria-label={`${label}: drop files here`}>
        <p>Drop {accept ?? 'files'} here</p>
      </div>
      {note && <p className="hint">{note}</p>}
      <form className="row" onSubmit={(e) => { e.preventDefault(); add([typed.trim()]); setTyped(''); }}>
        <label htmlFor={id}>Path</label>
        <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/path/to/file" spellCheck={false} />
        <button type="submit" disabled={!typed.trim()}>Add</button>
        <button type="button" onClick={() => void choose()}>Choose files…</button>
      </form>
      {files.length > 0 && (
        <ul className="files" aria-label={`${label}: chosen files`}>
          {files.map((f) => (
            <li key={f}>
              <code>{f}</code>
              <button type="button" className="link" aria-label={`Remove ${f}`} onClick={() => onChange(files.filter((x) => x !== f))}>Remove</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
