// "Show in folder" for a file Sealdesk wrote (the desktop app's file manager; elsewhere it says so).
import { useState } from 'react';
import { api } from '../api.js';

export function ShowInFolder({ path }: { path: string }) {
  const [note, setNote] = useState<string | null>(null);
  const show = async () => {
    const r = await api().desktopShowInFolder({ path });
    if (!r.ok) setNote(r.error.message);
  };
  return (
    <>
      <button type="button" className="link" aria-label={`Show ${path} in its folder`} onClick={() => void show()}>
        Show in folder
      </button>
      {note && <span className="hint"> {note}</span>}
    </>
  );
}
