import { defineConfig } from 'vite';

// `pnpm playground` serves this page; `pnpm build` writes a static site to dist/ (relative paths, so it
// can be opened from any directory of a web server).
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    // gpu.js reads function names from source text: minified names break kernel maps
    // (toolchain notes: "Markup type null not handled"). Keep them.
    rolldownOptions: { output: { keepNames: true } },
    chunkSizeWarningLimit: 4096,
  },
  server: { port: 5173, strictPort: false },
});
