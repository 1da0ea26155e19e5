// Builds the interface into renderer/dist: one page, relative asset paths so that Electron's
// file:// load and `satchel ui` both serve it, no inline scripts or styles (both CSPs forbid them).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1000,
  },
  logLevel: 'warn',
});
