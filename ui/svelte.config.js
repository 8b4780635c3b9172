// The dashboard is a static single-page app: `mlrun serve` serves build/ next to the API and answers every
// non-API, non-file path with index.html (the SPA fallback), so deep links like /projects/p/runs/r reload.
import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', precompress: false, strict: true }),
    // Asset paths are absolute (/_app/...), so a deep link's reload finds them.
    paths: { relative: false },
  },
};

export default config;
