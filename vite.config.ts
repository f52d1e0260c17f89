import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

// COOP/COEP make the page cross-origin isolated, which lets the WASM backend use threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Multi-threaded WASM without `blob:` in the CSP. tfjs-backend-wasm 4.22 starts its pthreads from two Blobs:
 * the pthread worker's script, and `var WasmBackendModuleThreadedSimd = ` + the factory's source text. The
 * second breaks once bundled (the text reads the closure variable `_scriptDir`, renamed by the minifier:
 * "ReferenceError: e is not defined" took the measure worker down), and both would need `blob:` in
 * script-src / worker-src. Instead both scripts are emitted as files next to the bundle, from the package's
 * own unminified sources, and the two Blob expressions are replaced by those same-origin URLs.
 */
const PTHREAD_WORKER_FILE = 'tfjs-wasm-pthread.worker.js';
const PTHREAD_MAIN_FILE = 'tfjs-wasm-threaded-simd.js';

function wasmThreadsFromFiles(): Plugin {
  const require = createRequire(import.meta.url);
  const blobWorker = /const response = wasmWorkerContents\.replace\([^;]*;\s*const blob = new Blob\(\[response\][^;]*;\s*return URL\.createObjectURL\(blob\);/;
  const blobMain = /factoryConfig\.mainScriptUrlOrBlob = new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\);/;
  return {
    name: 'redundancy-lab:tfjs-wasm-threads',
    apply: 'build', // dev serves tfjs from its pre-bundle and runs one WASM thread (measure.worker.ts)
    enforce: 'pre', // the package's own source text, before any transform reformats it
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm') || !code.includes('wasmWorkerContents.replace')) return null; // backend_wasm.js
      if (!blobWorker.test(code) || !blobMain.test(code)) {
        this.error('tfjs-backend-wasm changed: the pthread Blob code to replace was not found (see vite.config.ts)');
      }
      const url = (file: string) => `new URL(${JSON.stringify(`./${file}`)}, import.meta.url).href`;
      return {
        code: code
          .replace(blobWorker, `return ${url(PTHREAD_WORKER_FILE)};`)
          .replace(blobMain, `factoryConfig.mainScriptUrlOrBlob = ${url(PTHREAD_MAIN_FILE)};`),
        map: null,
      };
    },
    generateBundle() {
      const dir = '@tensorflow/tfjs-backend-wasm/wasm-out/';
      const { wasmWorkerContents } = require(`${dir}tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
      // as tfjs does before making its Blob: the template literal turned the source's "\n" escapes into newlines
      this.emitFile({ type: 'asset', fileName: `assets/${PTHREAD_WORKER_FILE}`, source: wasmWorkerContents.replace(/\n/g, '\\n') });
      this.emitFile({ type: 'asset', fileName: `assets/${PTHREAD_MAIN_FILE}`, source: readFileSync(require.resolve(`${dir}tfjs-backend-wasm-threaded-simd.js`), 'utf8') });
    },
  };
}

// The same policy as index.html's <meta> tag: a <meta> policy does not reach the Web Worker, a header does.
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

/**
 * `sw-csp.js`, imported by the service worker before Workbox's own routes.
 * - The measure worker's script (and the WASM pthread scripts) are served, from the precache or the network,
 *   with the Content-Security-Policy header added, so once the app is installed the policy binds the workers
 *   whatever the host sends — and offline too. (A <meta> policy does not reach workers; a response the
 *   service worker makes is a worker's only source of headers.)
 * - The app page and the workers also get COOP/COEP, so from the second visit on the page is cross-origin
 *   isolated (multi-threaded WASM) even on a host that cannot send headers, such as GitHub Pages. The page
 *   comes from the precache, as Workbox's navigation fallback would serve it.
 */
/** What the page fetched (hashed bundle files, the WASM variant it runs, Plotly): kept at the first fetch. */
const RUNTIME_CACHE = 'redundancy-lab-assets';
/** The demo data, kept at the first fetch; the name changes with the files' content, so an update fetches them anew. */
const DEMO_CACHE = `redundancy-lab-demo-${demoDigest()}`;

function demoDigest(): string {
  const hash = createHash('sha256');
  const dir = 'public/demo';
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(`${dir}/${name}`));
  return hash.digest('hex').slice(0, 12);
}

function serviceWorkerCsp(): Plugin {
  const source = `// generated by vite.config.ts: workers run under the app's Content-Security-Policy; page and workers are isolated
const CSP = ${JSON.stringify(CSP)};
const ISOLATION = ${JSON.stringify(isolationHeaders)};
const RUNTIME_CACHE = ${JSON.stringify(RUNTIME_CACHE)};
const DEMO_CACHE = ${JSON.stringify(DEMO_CACHE)};
// the demo data of an older version goes once this version is active
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith('redundancy-lab-demo-') && n !== DEMO_CACHE).map((n) => caches.delete(n)))));
});
async function withHeaders(response, extra) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.destination === 'worker') {
    // a worker's script not precached (the measure worker) is kept at its first fetch: offline from then on
    event.respondWith((async () => {
      let response = await caches.match(request.url, { ignoreSearch: true });
      if (!response) {
        response = await fetch(request);
        if (response.ok && /[/]assets[/][^/]+-[A-Za-z0-9_-]{8}[.]js$/.test(url.pathname)) {
          const copy = response.clone();
          event.waitUntil(caches.open(RUNTIME_CACHE).then((cache) => cache.put(request.url, copy)));
        }
      }
      return withHeaders(response, { ...ISOLATION, 'Content-Security-Policy': CSP });
    })());
    return;
  }
  const scope = new URL(self.registration.scope);
  const appPage = url.pathname === scope.pathname || url.pathname === scope.pathname + 'index.html';
  if (request.mode === 'navigate' && appPage) {
    event.respondWith((async () => {
      const cached = await caches.match(new URL('index.html', scope).href, { ignoreSearch: true });
      return withHeaders(cached || (await fetch(request)), ISOLATION);
    })());
  }
});
`;
  return {
    name: 'redundancy-lab:sw-csp',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'sw-csp.js', source });
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [
    svelte(),
    wasmThreadsFromFiles(),
    serviceWorkerCsp(),
    // Offline after the first visit, without a heavy first visit: the generated service worker precaches the app
    // shell only (the page, its script and styles, the WASM pthread scripts); what the page then fetches — the
    // measure worker and its chunks, the one WASM variant this browser runs, Plotly for the first chart, the demo
    // data — is kept at its first fetch (CacheFirst), so nothing is fetched twice and nothing unused is fetched.
    // main.ts registers it and mounts the app once it controls the page, so every later fetch passes through it.
    VitePWA({
      strategies: 'generateSW',
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: {
        name: 'Redundancy Lab',
        short_name: 'Redundancy Lab',
        description: 'Measure how redundant an embedding space is (AAC, linear and non-linear redundancy) in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5cad',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['index.html', 'assets/index-*.{js,css}', 'assets/rolldown-runtime-*.js', 'assets/tfjs-wasm-*.js', 'sw-csp.js'],
        runtimeCaching: [
          {
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/demo\/[^/]+\.(npy|npz)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: DEMO_CACHE, cacheableResponse: { statuses: [200] } },
          },
          {
            // the demo's list: the network first (it names the files of this version), the cache offline
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/demo\/manifest\.json$/.test(url.pathname),
            handler: 'NetworkFirst',
            options: { cacheName: DEMO_CACHE, cacheableResponse: { statuses: [200] } },
          },
          {
            // content-hashed file names: a cached copy is the file
            urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/assets\/[^/]+-[\w-]{8}\.(js|wasm|css)$/.test(url.pathname),
            handler: 'CacheFirst',
            options: { cacheName: RUNTIME_CACHE, cacheableResponse: { statuses: [200] } },
          },
        ],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        importScripts: ['sw-csp.js'],
        navigateFallback: 'index.html',
        // navigations to files (e.g. demo/manifest.json) are not the app page
        navigateFallbackDenylist: [/\/[^/?]+\.(?!html)[a-z0-9]+(\?.*)?$/i],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  worker: { format: 'es', plugins: () => [wasmThreadsFromFiles()] },
  // The dev server must pre-bundle the worker's dependencies at start-up: found later (when the worker first
  // loads), they trigger a re-optimisation that reloads the page ~10 s after the first open — which cut the
  // demo short on a fresh clone. Scanning the worker as an entry finds them all up front.
  optimizeDeps: {
    entries: ['index.html', 'src/worker/measure.worker.ts'],
    include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'comlink', 'fflate', 'hyparquet', 'pickleparser', 'plotly.js-dist', 'valibot'],
  },
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': CSP }, host: '127.0.0.1' },
  build: { target: 'es2022', chunkSizeWarningLimit: 6000 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // npm run coverage: which lines the unit tests reach (the page's Svelte components are covered by e2e instead)
    coverage: { provider: 'v8', include: ['src/**/*.ts'], exclude: ['src/**/*.d.ts', 'src/core/numerics/wasm/gemmF64Wasm.ts'], reporter: ['text-summary', 'html'], reportsDirectory: 'coverage' },
  },
});
