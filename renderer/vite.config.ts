// Builds the interface into renderer/dist: one page, relative asset paths so that Electron's
// app://satchel protocol and `satchel ui` both serve it, no inline scripts or styles (both
// CSPs forbid them).
// The root is this folder, given on the command line: `vite build renderer` (npm run build:renderer).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
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
