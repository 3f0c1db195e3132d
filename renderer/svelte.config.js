import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Read by svelte-check; the build passes the same preprocessor in vite.config.ts.
export default { preprocess: vitePreprocess() };
