/**
 * The harness page (npm run bench:gpu): the protocol of harness.ts in a browser tab. Exposes
 * `window.gpuBench.run(config)`; run.ts calls it through page.evaluate and prints the table. Progress goes to
 * console.log (run.ts echoes it).
 */
// the WebGPU and WASM backends: selectBackend registers them by dynamic import (their own chunks here too)
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { runGpuBench } from './harness.ts';
import type { GpuBenchConfig } from './protocol.ts';

const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};

window.gpuBench = { run: (config: GpuBenchConfig, log: boolean) => runGpuBench(config, log, { wasmPaths: WASM_PATHS, runtime: navigator.userAgent }) };
