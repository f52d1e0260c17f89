/**
 * Builds the WebGPU harness page (bench/gpu/index.html + page.ts) into bench/gpu/dist (ignored by git):
 * `vite build --config bench/gpu/vite.config.ts`. Not minified, so a stack trace from the page is readable.
 * The page is served without COOP/COEP (run.ts), so tfjs-backend-wasm uses its single-threaded SIMD build and
 * needs none of the pthread patching the app's vite.config.ts does.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', minify: false, chunkSizeWarningLimit: 10_000 },
});
