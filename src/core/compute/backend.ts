/**
 * The one place that picks the tfjs backend. Measures are written against tfjs ops and never
 * name a backend; they ask `backendLimits()` how large their blocks may be.
 *
 * Order: WebGPU → WebGL → WASM → CPU, taking the first that is available, passes a numeric
 * self-test, and is not a software emulation of a GPU (SwiftShader / llvmpipe are 15–40× slower than
 * WASM on the same CPU, see docs/performance.md). Every backend is registered here only, by dynamic
 * import, so a bundle loads one only when it is tried; the rest of the code imports tfjs-core alone
 * (the union package `@tensorflow/tfjs` also loads layers, converter and data, which we never use:
 * ~0.3 s of every CLI start).
 */
import * as tf from '@tensorflow/tfjs-core';
import { linalgKernel, linalgThreadCount, type LinalgKernel } from '../numerics/linalgKernels.ts';
import { RedundancyLabError } from '../errors.ts';
import { runSelfTest } from './selfTest.ts';

export { backendLimits, rowsPerBlock, type BackendLimits } from './limits.ts';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** e.g. adapter name, "SIMD, 1 thread" */
  detail: string;
  /** faster backends that were skipped, and why */
  skipped: { name: BackendName; reason: string }[];
  /** largest relative error of the self-test matMul against float64 (absent if not run) */
  selfTestError?: number;
  /** the micro-kernel of the float64 D×D step (LR's inverses), which runs on the CPU whatever the backend */
  float64Kernel?: LinalgKernel;
  /** threads the float64 kernel runs on (Gram, ridge products, inverses); absent: 1 */
  float64Threads?: number;
}

export interface SelectBackendOptions {
  /** use exactly this backend (still self-tested; software GPUs allowed); throws if it fails */
  force?: BackendName;
  /**
   * Where the WASM binaries are: a folder prefix ending in '/', or a map from the three file names
   * ('tfjs-backend-wasm.wasm', '-simd.wasm', '-threaded-simd.wasm') to URLs (Vite `?url` imports).
   * Applied once, before the WASM backend first initialises.
   */
  wasmPaths?: string | Record<string, string>;
}

/** Fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** A backend that may be set, with a function that describes it once it runs; or why not. */
type Prepared = { usable: true; describe: () => Promise<string> } | { usable: false; reason: string };

const unusable = (reason: string): Prepared => ({ usable: false, reason });

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'object' && e !== null && 'message' in e ? String((e as { message: unknown }).message) : String(e);
}

// ---------------------------------------------------------------- WebGPU

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null>;
}

/** True for SwiftShader and other CPU implementations of WebGPU. */
export function isSoftwareWebGpu(adapter: GpuAdapterLike, info: GpuAdapterInfoLike | undefined): boolean {
  if (adapter.isFallbackAdapter === true || info?.isFallbackAdapter === true) return true;
  const text = `${info?.vendor ?? ''} ${info?.architecture ?? ''} ${info?.description ?? ''}`;
  return /swiftshader|llvmpipe|software/i.test(text);
}

async function prepareWebGpu(forced: boolean): Promise<Prepared> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return unusable('not available here (no navigator.gpu)');
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return unusable(`requestAdapter failed: ${messageOf(e)}`);
  }
  if (!adapter) return unusable('no WebGPU adapter');
  let info = adapter.info;
  if (!info && adapter.requestAdapterInfo) info = await adapter.requestAdapterInfo().catch(() => undefined);
  const name = [info?.vendor, info?.architecture, info?.description].filter((s) => s).join(' / ') || 'unknown adapter';
  const software = isSoftwareWebGpu(adapter, info);
  if (software && !forced) return unusable(`software (fallback) adapter "${name}", slower than WASM`);
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) return unusable('the tfjs WebGPU backend did not register');
  return { usable: true, describe: async () => `WebGPU — ${name}${software ? ' (software fallback)' : ''}` };
}

// ---------------------------------------------------------------- WebGL

/** True for SwiftShader, llvmpipe and other CPU implementations of WebGL. */
export function isSoftwareWebGl(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render driver/i.test(renderer);
}

/** The unmasked renderer string of a throwaway WebGL context, or null when there is no WebGL. */
function webGlRenderer(): { version: number; renderer: string } | null {
  // the core runs in a Web Worker (or Node): OffscreenCanvas, never the DOM's canvas
  if (typeof OffscreenCanvas === 'undefined') return null;
  const canvas = new OffscreenCanvas(1, 1);
  for (const version of [2, 1]) {
    const gl = (canvas.getContext as (id: string) => unknown)(version === 2 ? 'webgl2' : 'webgl') as WebGLRenderingContext | null;
    if (!gl) continue;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return { version, renderer };
  }
  return null;
}

async function prepareWebGl(forced: boolean): Promise<Prepared> {
  if (typeof OffscreenCanvas === 'undefined') return unusable('not available here (no OffscreenCanvas: no WebGL context)'); // Node: not worth loading the backend
  await import('@tensorflow/tfjs-backend-webgl');
  if (!tf.findBackendFactory('webgl')) return unusable('not available here (tfjs registered no WebGL backend)');
  let probe: { version: number; renderer: string } | null;
  try {
    probe = webGlRenderer();
  } catch (e) {
    return unusable(`WebGL context failed: ${messageOf(e)}`);
  }
  if (!probe) return unusable('no WebGL context');
  const { renderer } = probe;
  const software = isSoftwareWebGl(renderer);
  if (software && !forced) return unusable(`software renderer "${renderer}", slower than WASM`);
  return {
    usable: true,
    describe: async () => `WebGL ${tf.env().getNumber('WEBGL_VERSION')} — ${renderer}${software ? ' (software)' : ''}`,
  };
}

// ---------------------------------------------------------------- WASM

interface WasmModule {
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
  getThreadsCount(): number;
}

let wasmPathsApplied = false;

async function prepareWasm(wasmPaths: SelectBackendOptions['wasmPaths']): Promise<Prepared> {
  const imported = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule & { default?: WasmModule };
  const wasm: WasmModule = typeof imported.setWasmPaths === 'function' ? imported : (imported.default as WasmModule);
  if (wasmPaths !== undefined && !wasmPathsApplied) {
    try {
      wasm.setWasmPaths(wasmPaths);
    } catch (e) {
      return unusable(`setWasmPaths failed: ${messageOf(e)}`);
    }
    wasmPathsApplied = true;
  }
  if (!tf.findBackendFactory('wasm')) return unusable('the tfjs WASM backend did not register');
  return {
    usable: true,
    describe: async () => {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = wasm.getThreadsCount();
      // in a page without COOP/COEP there is no SharedArrayBuffer, hence one thread: say why
      const why = threads === 1 && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false ? ' (page not cross-origin isolated)' : '';
      return `WASM — ${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}${why}`;
    },
  };
}

// ---------------------------------------------------------------- choice

async function prepare(name: BackendName, forced: boolean, options: SelectBackendOptions): Promise<Prepared> {
  try {
    switch (name) {
      case 'webgpu':
        return await prepareWebGpu(forced);
      case 'webgl':
        return await prepareWebGl(forced);
      case 'wasm':
        return await prepareWasm(options.wasmPaths);
      case 'cpu':
        await import('@tensorflow/tfjs-backend-cpu');
        return { usable: true, describe: async () => 'CPU — plain JavaScript' };
    }
  } catch (e) {
    return unusable(messageOf(e));
  }
}

/** Sets `name` as the tfjs backend and self-tests it: its self-test error, or why it cannot be used. */
async function activate(name: BackendName): Promise<{ error: number } | { reason: string }> {
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    return { reason: `initialisation failed: ${messageOf(e)}` };
  }
  if (!ok) return { reason: 'initialisation failed' };
  try {
    const test = await runSelfTest();
    if (!test.passed) {
      return { reason: `failed the numeric self-test (matMul error ${test.matMulRelError.toExponential(2)}, sum error ${test.sumRelError.toExponential(2)})` };
    }
    return { error: test.matMulRelError };
  } catch (e) {
    return { reason: `self-test crashed: ${messageOf(e)}` };
  }
}

/**
 * Chooses and activates the tfjs backend. Without `force`: the first of WebGPU, WebGL, WASM, CPU
 * that is available, not a software GPU emulation, and passes the self-test; each one passed over is
 * listed in `skipped` with the reason. With `force`: exactly that backend, or a
 * RedundancyLabError('backend').
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  const candidates = options.force ? [options.force] : BACKEND_ORDER;
  if (options.force && !BACKEND_ORDER.includes(options.force)) {
    throw new RedundancyLabError('bad-option', `unknown backend "${options.force}" (choose one of ${BACKEND_ORDER.join(', ')})`);
  }
  for (const name of candidates) {
    const prepared = await prepare(name, options.force === name, options);
    const outcome = prepared.usable ? await activate(name) : { reason: prepared.reason };
    if ('reason' in outcome) {
      if (options.force) throw new RedundancyLabError('backend', `the ${LABEL[name]} backend was requested but ${outcome.reason}`);
      skipped.push({ name, reason: outcome.reason });
      continue;
    }
    const detail = prepared.usable ? await prepared.describe() : LABEL[name];
    return { name, detail, skipped, selfTestError: outcome.error, float64Kernel: linalgKernel(), float64Threads: linalgThreadCount() };
  }
  throw new RedundancyLabError('backend', `no compute backend passed its self-test: ${skipped.map((s) => `${LABEL[s.name]}: ${s.reason}`).join('; ')}`);
}
