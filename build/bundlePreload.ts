// Bundles electron/preload.ts into one CommonJS file: a sandboxed preload can neither load ES modules nor
// require relative files, so the contract's channel table has to be inlined. Run by `npm run build:preload`.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist/electron',
    emptyOutDir: false,
    minify: false,
    target: 'node22',
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
