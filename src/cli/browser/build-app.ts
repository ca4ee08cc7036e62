/**
 * Builds the app once with Vite's JS API into a fresh temporary folder (other test runs may share dist/).
 * Used by the browser tests (test/browser/support) and by `npm run bench -- --browser`
 * (src/cli/bench-browser.ts), whose bundle lives elsewhere and so passes the project root; Vite is
 * imported when called, so the command-line bundle loads it only then.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export async function buildApp(root: string = REPO_ROOT): Promise<string> {
  const { build } = await import('vite');
  const outDir = await mkdtemp(join(tmpdir(), 'sae-lab-build-'));
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
