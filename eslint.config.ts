import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test-results/', 'playwright-report/', 'renderer/**/*.svelte', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The core runs in plain Node (headless mode, tests): it must never pull in Electron or the Electron-only shell.
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core is plain Node: pass Electron features in as arguments (see electron/shell).' }],
        patterns: [{ group: ['**/shell/**', '**/electron/main*', '**/preload*'], message: 'electron/core must not import the Electron shell.' }],
      }],
    },
  },
);
