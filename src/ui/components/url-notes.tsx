import { labStore, useLab } from '../page';

/** Which parts of the link were ignored, and why, until dismissed. */
export function UrlNotes() {
  const notes = useLab((s) => s.urlNotes);
  if (notes.length === 0) return null;
  return (
    <div className="url-notes" data-testid="url-notes">
      <ul>
        {notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
      <button type="button" className="link-button" onClick={() => labStore.getState().dismissUrlNotes()}>
        dismiss
      </button>
    </div>
  );
}
