import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** The network is the edge's business: src/io (and the runner) fetch, everything below takes bytes or streams. */
const NETWORK_GLOBALS = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'].map((name) => ({ name, message: `${name}: network access lives in src/io; pass bytes or a stream in.` }));

export default tseslint.config(
  { ignores: ['dist/', '.cache/', 'node_modules/', 'test-results/', 'out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    // A file past 400 lines is doing more than one thing: split it by what it owns (see STYLE.md's
    // playground.ts). Every line counts, blank and comment lines too, so the limit is what a reader scrolls.
    files: ['src/**/*.{ts,tsx}', 'workers/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  // The layers, lowest first: src/core (the science) ← src/io, src/runtime ← src/ui, src/cli. A file
  // imports only from its own layer or those below it, and nothing in src/ or workers/ from test/.
  // Patterns are gitignore-style and match the import as written, so relative ones cover every depth.
  {
    files: ['src/**/*.{ts,tsx}', 'workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/test/**'], message: 'src/ and workers/ never import from test/.' }] }] },
  },
  {
    // The numerical core runs in workers, Node and tests: no DOM, React or UI state, no network (it takes
    // bytes or streams; src/io fetches), and no layer above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...NETWORK_GLOBALS],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react-dom', 'zustand', 'comlink', 'd3', 'd3-*'], message: 'src/core stays free of UI and worker libraries.' },
            { group: ['**/runtime', '**/runtime/**', '**/io', '**/io/**', '**/ui', '**/ui/**', '**/cli', '**/cli/**', '**/workers/**'], message: 'src/core imports nothing from the layers above it.' },
            { group: ['**/test/**'], message: 'src/ and workers/ never import from test/.' },
          ],
        },
      ],
    },
  },
  ...runtimeRules(),
  // The page, the workers and the runtime get their bytes from src/io (and the runner from the disk).
  { files: ['src/runtime/**/*.ts', 'src/ui/**/*.{ts,tsx}', 'workers/**/*.ts'], rules: { 'no-restricted-globals': ['error', ...NETWORK_GLOBALS] } },
  {
    // The page holds clients and reads the protocol's types; the worker side (tfjs, sessions) stays in workers.
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/runtime/worker/**'], message: 'The page talks to the worker side only through src/runtime/protocol and src/runtime/page.' },
            { group: ['**/test/**'], message: 'src/ and workers/ never import from test/.' },
          ],
        },
      ],
    },
  },
);

/**
 * src/runtime in three parts and the store both open: protocol/ (the page↔worker types, importing
 * nothing but types), page/ (the clients the page holds) and worker/ (what runs in a worker or in
 * the Node runner); storage/ (IndexedDB) is opened by both. Page and worker never import each other:
 * what they share is the protocol.
 */
function runtimeRules() {
  const base = [
    { group: ['**/ui', '**/ui/**', '**/cli', '**/cli/**'], message: 'src/runtime imports nothing from the page (src/ui) or the Node runner (src/cli).' },
    { group: ['**/test/**'], message: 'src/ and workers/ never import from test/.' },
  ];
  const only = (files, ...patterns) => ({
    files,
    rules: { 'no-restricted-imports': 'off', '@typescript-eslint/no-restricted-imports': ['error', { patterns: [...base, ...patterns] }] },
  });
  const notWorker = { group: ['**/worker/**', '../worker'], message: 'The page side talks to the worker side only through src/runtime/protocol.' };
  const notPage = { group: ['**/page/**', '../page'], message: 'The worker side never imports the page side: they share src/runtime/protocol.' };
  return [
    only(['src/runtime/**/*.ts']),
    only(['src/runtime/protocol/**/*.ts'], { group: ['**'], allowTypeImports: true, message: 'src/runtime/protocol holds types only: import with `import type`.' }),
    only(['src/runtime/page/**/*.ts'], notWorker, { group: ['**/storage/**'], message: 'The page opens the run store from src/ui, not through its worker clients.' }),
    only(['src/runtime/worker/**/*.ts'], notPage),
    only(['src/runtime/storage/**/*.ts'], notWorker, notPage),
  ];
}
