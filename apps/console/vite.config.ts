/**
 * Builds the console into `dist/`, which the server serves at `/console/`
 * (with an SPA fallback to index.html). `npm run dev` proxies the API and the
 * operator socket to a Parley started by `npm start` on its default port.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const target = 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    proxy: {
      '/api': target,
      '/avatars': target,
      '/ws': { target, ws: true },
    },
  },
});
