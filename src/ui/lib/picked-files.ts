/** Files from an <input type="file"> or a drop, as a plain array (the FileList is live and reused). */
export function pickedFiles(list: FileList | null | undefined): File[] {
  return list ? Array.from(list) : [];
}

/** Bytes as KB/MB/GB, for progress and memory lines. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** Attributes that make an <input type="file"> pick a whole folder (non-standard, so React does not type them). */
export const FOLDER_PICKER = { webkitdirectory: '', directory: '' } as Record<string, string>;
