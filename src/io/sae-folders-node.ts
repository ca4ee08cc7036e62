/**
 * SAE folders on disk for the runner: each path given is an SAE folder, or holds SAE folders below it
 * (a sweep of trainer_<n>/, a release with one folder per hook, the runner's --out). Every folder whose
 * file names match a layout (src/core/formats/sae-layouts.ts) is read, in numeric-aware path order.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { layoutOf, LAYOUT_FILES_TEXT, SAE_LAYOUTS, type FieldSae } from '../core/formats/sae-layouts';

/** How far below a given path SAE folders are looked for: release/hook/trainer_n is two levels. */
const MAX_DEPTH = 3;

export async function findSaeFolders(root: string, depth = 0): Promise<string[]> {
  const trainerFolder = /^trainer_\d+$/.test(basename(root));
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw new Error(`${root}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const fileNames = entries.filter((e) => e.isFile()).map((e) => e.name);
  if (layoutOf(fileNames)) return [root];
  const missing = missingFiles(fileNames);
  if (missing) throw new Error(`${root}: ${missing}`);
  if (trainerFolder && fileNames.includes('config.json')) throw new Error(`${root}: holds config.json but no ae.pt (a dictionary_learning trainer folder needs both)`);
  if (depth >= MAX_DEPTH) return [];
  const below = await Promise.all(entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => findSaeFolders(join(root, e.name), depth + 1)));
  return below.flat().sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Reads every SAE below the given paths; names are paths as given, so messages point at the folder. */
export async function readSaeFolders(roots: readonly string[]): Promise<FieldSae[]> {
  const saes: FieldSae[] = [];
  for (const root of roots) {
    if (!(await stat(root).catch(() => null))?.isDirectory()) throw new Error(`${root}: not a folder`);
    const folders = await findSaeFolders(root);
    if (folders.length === 0) throw new Error(`${root}: no SAE folder in it or up to ${MAX_DEPTH} levels below (an SAE folder holds ${LAYOUT_FILES_TEXT})`);
    for (const folder of folders) {
      const names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
      const layout = layoutOf(names)!;
      const files = new Map(await Promise.all(layout.files.map(async (f) => [f, new Uint8Array(await readFile(join(folder, f)))] as const)));
      const name = folder === root ? root : join(root, relative(root, folder));
      saes.push(layout.read(files, name));
    }
  }
  return saes;
}

/**
 * A folder that holds part of a layout: an SAE's weights without its config, a config without weights,
 * or a sweep's trainer_<n> without its ae.pt. Skipping it would align the rest and never say why one
 * seed is missing. (A lone config.json elsewhere is a model folder or anything else, and is left alone.)
 */
function missingFiles(fileNames: readonly string[]): string | null {
  const names = new Set(fileNames);
  for (const layout of SAE_LAYOUTS) {
    const [config, weights] = layout.files;
    const partOfIt = names.has(weights) || (config !== 'config.json' && names.has(config));
    if (partOfIt) return `holds ${layout.files.filter((f) => names.has(f)).join(', ')} but no ${layout.files.filter((f) => !names.has(f)).join(', ')} (a ${layout.id} SAE folder needs ${layout.files.join(' + ')})`;
  }
  return null;
}
