/**
 * The GPU harness (npm run bench:gpu), independent of where it runs: the core on WebGPU and on WASM, timed on the
 * same data in the same process — in a Chromium tab (page.ts) or in Node with Dawn (node.ts). run.ts prints the
 * tables. Everything here is the protocol; the two entries only say where the WASM binaries are and who is running.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  heldOutMlpR2,
  inMemoryArray,
  matmulRate,
  maxHeadsPerBatch,
  measureArray,
  PAPER_SETTINGS,
  selectBackend,
  sklearnTrainTestSplit,
  type BackendInfo,
  type Matrix,
  type MlpSettings,
} from '../../src/core/index.ts';
import { lowRankEmbeddings } from '../synthetic.ts';
import type { AdapterReport, BackendReport, GpuBenchConfig, GpuBenchResult, MeasureRun, MemorySample, NlrRun } from './protocol.ts';

let verbose = true;
/** Progress: console.log in the page (run.ts echoes it), stderr in Node (stdout is the result). */
let write: (line: string) => void = (line) => console.log(line);
const log = (message: string) => {
  if (verbose) write(`[bench:gpu] ${message}`);
};

/** Rows `rows` of x, each column standardised over those rows (as measureArray standardises each split). */
function standardisedRows(x: Matrix, rows: ArrayLike<number>): Matrix {
  const d = x.cols;
  const data = new Float32Array(rows.length * d);
  for (let i = 0; i < rows.length; i++) data.set(x.data.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < rows.length; i++) mean += data[i * d + j];
    mean /= rows.length;
    let v = 0;
    for (let i = 0; i < rows.length; i++) v += (data[i * d + j] - mean) ** 2;
    const sd = Math.sqrt(v / rows.length) || 1;
    for (let i = 0; i < rows.length; i++) data[i * d + j] = (data[i * d + j] - mean) / sd;
  }
  return { rows: rows.length, cols: d, data };
}

function firstRows(m: Matrix, rows: number): Matrix {
  return { rows, cols: m.cols, data: m.data.subarray(0, rows * m.cols) };
}

function memory(): MemorySample {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  return { numBytes: m.numBytes, gpuBytesUsed: m.numBytesInGPU ?? null, gpuBytesAllocated: m.numBytesAllocatedInGPU ?? null };
}

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** The adapter as the runtime sees it (navigator.gpu), before tfjs asks for its own device. */
async function adapterInfo(): Promise<Omit<AdapterReport, 'software' | 'detail' | 'available' | 'reason'> | string> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(o?: object): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'no navigator.gpu here';
  const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch((e: unknown) => String(e))) as
    | { info?: GpuAdapterInfoLike; isFallbackAdapter?: boolean; limits?: { maxStorageBufferBindingSize?: number; maxBufferSize?: number } }
    | string
    | null;
  if (adapter === null) return 'requestAdapter() returned no adapter';
  if (typeof adapter === 'string') return `requestAdapter() failed: ${adapter}`;
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isFallbackAdapter: info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? null,
    maxStorageBufferBindingSize: adapter.limits?.maxStorageBufferBindingSize ?? null,
    maxBufferSize: adapter.limits?.maxBufferSize ?? null,
  };
}

async function timeMatmul(size: number): Promise<BackendReport['matmul']> {
  const start = performance.now();
  const gflops = await matmulRate(size);
  return { size, gflops, ms: performance.now() - start };
}

/** AAC + LR through measureArray (the paper's settings, no null baseline, no eigenvalue extras). */
async function timeMeasure(x: Matrix, backend: BackendInfo): Promise<MeasureRun> {
  const start = performance.now();
  const r = await measureArray(inMemoryArray(x), 'bench-gpu', { ...PAPER_SETTINGS, measures: ['aac', 'lr'] }, { backend, nullBaseline: false, extras: false });
  return { backend: backend.name, ms: performance.now() - start, aac: r.aac?.value ?? null, lr: r.lr?.value ?? null, lrPerDim: r.lr?.perDim ?? [], timingsMs: r.timingsMs };
}

async function timeNlr(train: Matrix, test: Matrix, targets: number[], settings: MlpSettings, requested: number | 'max'): Promise<NlrRun> {
  const headsPerBatch = requested === 'max' ? maxHeadsPerBatch(train.cols, settings, targets.length, train.rows) : Math.min(requested, targets.length);
  // first use, untimed: one group of this size, one epoch, on one full batch plus the last partial one of each split
  // (every tensor shape of the timed run, one step each) — a GPU backend compiles its shaders for these shapes here
  // (seconds to tens of seconds on SwiftShader), as matmulRate warms up before it times
  const warmStart = performance.now();
  const shapes = (m: Matrix) => firstRows(m, m.rows > settings.batchSize ? settings.batchSize + (m.rows % settings.batchSize) : m.rows);
  await heldOutMlpR2(shapes(train), shapes(test), targets.slice(0, headsPerBatch), { ...settings, epochs: 1 }, { headsPerBatch });
  const warmUpMs = performance.now() - warmStart;
  log(`${tf.getBackend()} ${headsPerBatch}/group: warm-up ${(warmUpMs / 1000).toFixed(1)} s`);
  const groupShapes: number[] = [];
  const afterGroup: MemorySample[] = [];
  const before = memory();
  const start = performance.now();
  const result = await heldOutMlpR2(train, test, targets, settings, {
    headsPerBatch,
    onGroupShape: (heads) => groupShapes.push(heads),
    onHeadsFinished: (group) => {
      afterGroup.push(memory());
      log(`${tf.getBackend()} ${headsPerBatch}/group: ${group.positions[group.positions.length - 1] + 1}/${targets.length} heads, ${((performance.now() - start) / 1000).toFixed(1)} s`);
    },
  });
  const ms = performance.now() - start;
  return {
    backend: tf.getBackend(),
    requested,
    headsPerBatch: result.headsPerBatch,
    heads: targets.length,
    warmUpMs,
    ms,
    gflop: result.gflop,
    heldOutR2: Array.from(result.heldOutR2),
    groupShapes,
    afterGroup,
    before,
    after: memory(),
  };
}

/** Where the harness runs: the WASM binaries' location, the runtime's name, and where progress goes. */
export interface HarnessEnvironment {
  wasmPaths: string | Record<string, string>;
  /** the browser's user agent, or "Node v20 …, webgpu 0.6.2 (Dawn)" */
  runtime: string;
  write?: (line: string) => void;
}

/** The whole protocol: WASM reference, then the adapter, then WebGPU at each head-group size. */
export async function runGpuBench(config: GpuBenchConfig, logProgress: boolean, environment: HarnessEnvironment): Promise<GpuBenchResult> {
  verbose = logProgress;
  if (environment.write) write = environment.write;
  const { n, d } = config;
  const x = lowRankEmbeddings(n, d, { factors: 16, seed: 2024, relu: true });
  const split = sklearnTrainTestSplit(n, PAPER_SETTINGS.testFraction, PAPER_SETTINGS.splitSeed);
  const train = standardisedRows(x, split.train);
  const test = standardisedRows(x, split.test);
  const heads = Math.min(config.heads, d);
  const targets = Array.from({ length: heads }, (_, i) => Math.floor((i * d) / heads));
  const refTargets = targets.slice(0, Math.max(1, Math.min(config.refHeads, heads)));
  const settings: MlpSettings = { ...PAPER_SETTINGS.mlp, epochs: config.epochs };

  // the reference: WASM, one head per batch (what the core picks there)
  const wasmInfo = await selectBackend({ force: 'wasm', wasmPaths: environment.wasmPaths });
  log(`wasm: ${wasmInfo.detail}; matmul rate …`);
  const wasm: BackendReport = { detail: wasmInfo.detail, matmul: await timeMatmul(config.matmulSize), measure: await timeMeasure(x, wasmInfo), nlr: [] };
  log(`wasm: NLR reference on ${refTargets.length} heads …`);
  wasm.nlr.push(await timeNlr(train, test, refTargets, settings, 1));

  const found = await adapterInfo();
  const empty = { vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: null, maxStorageBufferBindingSize: null, maxBufferSize: null };
  let adapter: AdapterReport;
  let gpuInfo: BackendInfo | null = null;
  if (typeof found === 'string') {
    adapter = { ...empty, available: false, reason: found, software: false, detail: '' };
  } else {
    try {
      gpuInfo = await selectBackend({ force: 'webgpu' });
      adapter = { ...found, available: true, software: gpuInfo.detail.includes('(software fallback)'), detail: gpuInfo.detail };
    } catch (e) {
      adapter = { ...found, available: false, reason: e instanceof Error ? e.message : String(e), software: false, detail: '' };
    }
  }
  let webgpu: BackendReport | null = null;
  if (gpuInfo) {
    log(`webgpu: ${gpuInfo.detail}; matmul rate …`);
    webgpu = { detail: gpuInfo.detail, matmul: await timeMatmul(config.matmulSize), measure: await timeMeasure(x, gpuInfo), nlr: [] };
    for (const requested of config.groups) {
      log(`webgpu: NLR, ${requested} heads per group …`);
      webgpu.nlr.push(await timeNlr(train, test, targets, settings, requested));
    }
  }
  return { userAgent: environment.runtime, tfjs: tf.version_core, adapter, wasm, webgpu };
}
