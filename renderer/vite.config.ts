import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const rendererDir = fileURLToPath(new URL('.', import.meta.url));

// Relative base: the same build is served at /ui/ by the headless bridge and at app://renderer/ in Electron.
export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [svelte({ preprocess: vitePreprocess() })],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts or data: modules: the CSP allows scripts from the app's own origin only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', strictPort: true },
  preview: { host: '127.0.0.1', strictPort: true },
});
