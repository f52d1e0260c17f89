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
import { RedundancyLabError, selectBackend, type BackendInfo, type BackendName } from '../core/index.ts';
import * as tf from '@tensorflow/tfjs-core';
import { installNodeWebGpu } from './webgpu.ts';

let gpuLost: string | null = null;

/** Why the WebGPU device of this process was lost (a driver reset, the watchdog), or null while it lives. */
export function nodeGpuLost(): string | null {
  return gpuLost;
}

/** Folder (with trailing separator) holding tfjs-backend-wasm's .wasm binaries. */
export function nodeWasmFolder(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

/**
 * selectBackend for Node: WASM from node_modules by default. WebGPU only when asked for (`force: 'webgpu'`), through
 * the optional `webgpu` package (Dawn); `softwareGpu` runs it on SwiftShader (tests, CI). WebGL does not exist in Node.
 */
export async function selectNodeBackend(force?: BackendName, options: { softwareGpu?: boolean } = {}): Promise<BackendInfo> {
  if (force !== 'webgpu') return selectBackend({ force, wasmPaths: nodeWasmFolder() });
  try {
    await installNodeWebGpu({ software: options.softwareGpu });
    const info = await selectBackend({ force, wasmPaths: nodeWasmFolder() });
    // a lost device makes the next GPU op fail with an empty error: remember why, for the message
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    void device?.lost.then((lost) => (gpuLost = `${lost.reason}${lost.message ? `: ${lost.message}` : ''}`));
    return info;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // no adapter: no GPU, or no Vulkan driver for it (the loader is Debian's libvulkan1)
    throw new RedundancyLabError('backend', `${message}${/adapter/.test(message) ? ' — WebGPU in Node needs a GPU with a Vulkan driver (and libvulkan1); use --backend wasm' : ''}`);
  }
}
