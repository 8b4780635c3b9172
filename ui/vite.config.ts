import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev -w ui` proxies the API to a running `mlrun serve` (MLRUN_API, default http://127.0.0.1:3000).
export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': process.env['MLRUN_API'] ?? 'http://127.0.0.1:3000' } },
  build: { chunkSizeWarningLimit: 800 },
});
