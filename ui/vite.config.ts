/**
 * Vite for the web UI: `npm run build:ui` writes ui/dist (served by the API at /), and
 * `npm run dev:ui` serves the page with hot reload, proxying the API's routes to
 * CENTAUR_API_URL (default http://127.0.0.1:8000) so the page stays same-origin as in production.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = process.env.CENTAUR_API_URL ?? 'http://127.0.0.1:8000';
const proxied = ['/state', '/commands', '/events', '/health', '/audit', '/docs'];

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
