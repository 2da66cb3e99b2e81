import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Relative asset paths, so the same build loads from the browser host and from file:// in Electron. */
export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: 5173,
    strictPort: true,
    // The host accepts calls only from its own origin, so the dev proxy speaks as that origin.
    proxy: {
      '/api': {
        target: 'http://127.0.0.1:5417',
        changeOrigin: true,
        configure: (proxy) => proxy.on('proxyReq', (request) => request.setHeader('origin', 'http://127.0.0.1:5417')),
      },
    },
  },
});
