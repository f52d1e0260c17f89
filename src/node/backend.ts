/**
 * Backend choice for Node (CLI, tests, bench). Kept apart from backend.ts so that browser bundles
 * never import node: modules.
 *
 * In Node, @tensorflow/tfjs-backend-wasm resolves to its CommonJS build, whose Emscripten loader
 * reads the .wasm binary with fs.readFileSync from a path prefix (by default the folder of the
 * loader itself). We pass that folder explicitly so a bundled CLI keeps working.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { selectBackend, type BackendInfo, type BackendName } from '../core/index.ts';

/** Folder (with trailing separator) holding tfjs-backend-wasm's .wasm binaries. */
export function nodeWasmFolder(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

/** selectBackend for Node: WASM from node_modules (WebGPU and WebGL do not exist in Node). */
export function selectNodeBackend(force?: BackendName): Promise<BackendInfo> {
  return selectBackend({ force, wasmPaths: nodeWasmFolder() });
}
