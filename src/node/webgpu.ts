/**
 * WebGPU in Node: the `webgpu` package (Google's Dawn, the WebGPU implementation inside Chrome, built as a Node
 * addon) provides `navigator.gpu`, which is all tfjs-backend-webgpu and selectBackend need. An optional dependency:
 * without it (or without a Vulkan driver) the CLI says so and WASM stays the default.
 *
 * On Linux Dawn goes through the Vulkan loader (Debian: libvulkan1) to the machine's GPU driver. Machines without a
 * GPU can still run the same code on SwiftShader, the CPU Vulkan driver that Debian's Chromium ships
 * (/usr/lib/chromium/vk_swiftshader_icd.json): that is how CI proves the Node path works. Mesa's lavapipe is not
 * enough here — Dawn refuses it ("Vulkan shaderUniform*ArrayDynamicIndexing required").
 */
import { existsSync } from 'node:fs';

/** Debian's Chromium brings SwiftShader's Vulkan driver and its manifest. */
export const SWIFTSHADER_VULKAN_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeWebGpu {
  /** the `webgpu` package's version */
  version: string;
  /** the Vulkan driver manifest forced for this process (SwiftShader), or null for the system's drivers */
  icd: string | null;
}

interface WebGpuPackage {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

let installed: NodeWebGpu | null = null;

/**
 * Puts Dawn's `navigator.gpu` (and the WebGPU globals, GPUBufferUsage…) on globalThis, once per process.
 * `software`: use SwiftShader's Vulkan driver instead of the machine's (a CPU emulation — for tests and CI, never
 * for timings); it must be chosen before the first Vulkan instance of the process. Throws with what to do when the
 * package or the driver is missing.
 */
export async function installNodeWebGpu(options: { software?: boolean } = {}): Promise<NodeWebGpu> {
  if (installed) return installed;
  let icd: string | null = null;
  if (options.software) {
    if (!existsSync(SWIFTSHADER_VULKAN_ICD)) throw new Error(`SwiftShader's Vulkan driver is missing (${SWIFTSHADER_VULKAN_ICD}): apt-get install chromium libvulkan1`);
    icd = SWIFTSHADER_VULKAN_ICD;
    // the Vulkan loader reads these when Dawn creates its instance
    process.env.VK_ICD_FILENAMES = icd;
    process.env.VK_DRIVER_FILES = icd;
  }
  // Dawn's Wayland/X probing complains without it; a headless process has none
  process.env.XDG_RUNTIME_DIR ??= '/tmp';
  let pkg: WebGpuPackage;
  try {
    pkg = (await import('webgpu')) as unknown as WebGpuPackage;
  } catch (e) {
    throw new Error(`WebGPU in Node needs the optional package "webgpu" (npm install webgpu): ${e instanceof Error ? e.message : String(e)}`);
  }
  Object.assign(globalThis, pkg.globals);
  const gpu = pkg.create([]);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  const { createRequire } = await import('node:module');
  const version = (createRequire(import.meta.url)('webgpu/package.json') as { version: string }).version;
  installed = { version, icd };
  return installed;
}
