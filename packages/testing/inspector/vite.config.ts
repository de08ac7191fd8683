// Builds the inspector page (index.html, main.ts, style.css) into static files with fixed names,
// served under /_emulator/ui/; scripts/codegen/inspector.ts embeds them in
// packages/testing/src/generated/inspector-assets.ts (the Worker has no filesystem).
import { defineConfig } from 'vite'

export default defineConfig({
  root: import.meta.dirname,
  base: '/_emulator/ui/',
  logLevel: 'warn',
  build: {
    outDir: process.env.INSPECTOR_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rollupOptions: {
      output: { entryFileNames: 'inspector.js', chunkFileNames: 'inspector-[name].js', assetFileNames: 'inspector[extname]' },
    },
  },
})
