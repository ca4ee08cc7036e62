/**
 * Keeps the address bar equal to the experiment (and the linked selection), so copying the URL at
 * any moment gives a link that opens the same experiment. The first write puts the opened URL in
 * its canonical form (ignored parameters dropped; the page says why). replaceState: editing a
 * field should not add a history entry for the back button.
 */
import { serializeUrlState } from './store/url-state';
import { urlStateOf, type LabState, type LabStore } from './store/lab-store';

export function keepUrlInSync(store: LabStore): () => void {
  let written: string | null = null;
  const write = (state: LabState) => {
    const query = serializeUrlState(urlStateOf(state));
    if (query === written) return;
    written = query;
    const { pathname, hash } = window.location;
    window.history.replaceState(window.history.state, '', `${pathname}${query ? `?${query}` : ''}${hash}`);
  };
  write(store.getState());
  return store.subscribe((now, before) => {
    if (now.experiment !== before.experiment || now.selection !== before.selection) write(now);
  });
}
