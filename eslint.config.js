import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    // The numerical core runs in workers, Node and tests: no DOM, React or UI state, and no layer above it.
    files: ['src/core/**/*.ts'],
    rules: {
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
  {
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/ui', '**/ui/**', '**/cli', '**/cli/**'], message: 'src/runtime imports nothing from the page (src/ui) or the Node runner (src/cli).' },
            { group: ['**/test/**'], message: 'src/ and workers/ never import from test/.' },
          ],
        },
      ],
    },
  },
);
