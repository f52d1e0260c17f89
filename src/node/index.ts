/**
 * The Node entry: Node-only code the CLI, the benchmarks and the unit tests share (the tfjs backends from the
 * package's own files on disk). It lives outside src/core because core runs in browsers too.
 */
export { nodeGpuLost, nodeWasmFolder, selectNodeBackend } from './backend.ts';
export { nodeCores, startNodeLinalgThreads } from './linalgThreads.ts';
