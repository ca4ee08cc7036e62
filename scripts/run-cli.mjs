// Bundles the TypeScript command-line runner with esbuild, then runs it. Bundling (rather than a TS
// loader) resolves tfjs to its ES-module build, the only one that carries the gradient functions.
import { build } from 'esbuild';
import { rename } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, '.cache', 'lab.mjs');
// Each run bundles to its own file and renames it into place (atomic): runs started together (the
// tests start several, and the tasks of a job array share the checkout over a network disk, hence the
// host name) never import a bundle another run is still writing.
const building = join(root, '.cache', `lab-${hostname()}-${process.pid}.mjs`);

await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outfile: building,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  sourcemap: 'inline',
  logLevel: 'warning',
  // Node built-ins used by CommonJS dependencies (Emscripten's loader among them) inside an
  // ES-module bundle need a real `require` and `__dirname`.
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      "const __filename = __fileURLToPath(import.meta.url);",
      "const __dirname = __fileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  // Vite and playwright-core (the browser bench) are imported only when used, from node_modules.
  external: ['webgpu', 'vite', 'playwright-core'],
});
await rename(building, outfile);
await import(pathToFileURL(outfile).href);
