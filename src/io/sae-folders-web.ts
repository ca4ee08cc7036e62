/**
 * SAE folders among files the user picked (a folder picker gives each file's path inside the chosen
 * folder): split by folder, each folder's layout known from its file names, its config text read.
 * The weights are read only when a folder is imported.
 */
import { layoutOf, LAYOUT_FILES_TEXT, readSaeFolder, type FieldSae, type SweepFolder } from '../core/formats/sae-layouts';

export interface PickedSaeFolder extends SweepFolder {
  files: ReadonlyMap<string, File>;
}

const pathOf = (file: File) => (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;

/** Every folder among the files that holds an SAE layout, in numeric-aware path order. */
export async function pickedSaeFolders(files: readonly File[]): Promise<PickedSaeFolder[]> {
  const byFolder = new Map<string, Map<string, File>>();
  for (const file of files) {
    const path = pathOf(file);
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    if (!byFolder.has(folder)) byFolder.set(folder, new Map());
    byFolder.get(folder)!.set(file.name, file);
  }
  const folders: PickedSaeFolder[] = [];
  for (const [name, byName] of [...byFolder].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    const layout = layoutOf(byName.keys());
    if (layout) folders.push({ name, layout, files: byName, configText: await byName.get(layout.files[0])!.text() });
  }
  if (folders.length === 0) throw new Error(`no SAE folder among the chosen files: pick a folder holding SAE folders (${LAYOUT_FILES_TEXT})`);
  return folders;
}

/** Reads one picked folder's files and the SAE in them. */
export async function readPickedSaeFolder(folder: PickedSaeFolder): Promise<FieldSae> {
  const bytes = new Map(await Promise.all(folder.layout.files.map(async (f) => [f, new Uint8Array(await folder.files.get(f)!.arrayBuffer())] as const)));
  return readSaeFolder(bytes, folder.name);
}
