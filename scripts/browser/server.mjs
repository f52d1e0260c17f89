// A tiny static server for the built app: 127.0.0.1, a random port, COOP/COEP headers (as a host should send;
// `{ isolation: false }` serves like GitHub Pages, without them). It never compresses. By default every response
// is `Cache-Control: no-store`; `{ caching: 'plain' }` serves like a plain static server (python -m http.server,
// nginx's defaults): no Cache-Control, a Last-Modified and an ETag, and 304 Not Modified to a conditional request.
// `sent` lists every response with the body bytes it sent, as the server counted them.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8',
};

export async function serveStatic(root, { isolation = true, caching = 'no-store' } = {}) {
  const requests = [];
  const sent = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const record = { path: url.pathname, status: 0, bytes: 0, at: Date.now() };
    sent.push(record);
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const info = await stat(file);
      const size = info.size;
      const isolationHeaders = isolation
        ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' }
        : {};
      const etag = `"${size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
      const validators = caching === 'plain' ? { ETag: etag, 'Last-Modified': lastModified } : { 'Cache-Control': 'no-store' };
      if (caching === 'plain') {
        const since = req.headers['if-modified-since'];
        const fresh = req.headers['if-none-match'] ? req.headers['if-none-match'] === etag : since !== undefined && Date.parse(since) >= Date.parse(lastModified);
        if (fresh) {
          record.status = 304;
          res.writeHead(304, { ...validators, ...isolationHeaders }).end();
          return;
        }
      }
      record.status = 200;
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': size,
        ...isolationHeaders,
        ...validators,
      });
      const stream = createReadStream(file);
      stream.on('data', (chunk) => {
        record.bytes += chunk.length;
      });
      stream.pipe(res);
    } catch {
      record.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, requests, sent, close: () => new Promise((resolve) => server.close(resolve)) };
}
