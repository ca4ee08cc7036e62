/**
 * Whether `npm start` may open a browser tab: only where there is a desktop to open it on. On a
 * server or in a container, Vite's `--open` spawns xdg-open, which is missing there and crashes the
 * dev server's output with an ENOENT stack trace; the printed URL is enough.
 */
import { spawnSync } from 'node:child_process';

export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (env.CI || env.BROWSER === 'none') return false;
  if (platform === 'darwin' || platform === 'win32') return true;
  const desktop = Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  return desktop && spawnSync('sh', ['-c', 'command -v xdg-open'], { stdio: 'ignore' }).status === 0;
}
