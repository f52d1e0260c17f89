/**
 * The one worker that parses files and runs the measures, so the page never blocks.
 * Exposed with comlink; the page talks to it only through `client.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as Comlink from 'comlink';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { blobByteSource, blockAveragedAbsCorrelation, CancelledError, linearCkaMatrices, type CkaMatrices, concatenateShards, defaultEmbeddingArray, defaultLabelsArray, gemmNT, matmulRate, measureArray, openEmbeddingFile, probeArray, probeRunFor, readLabels, RedundancyLabError, selectBackend, splitResampling, startLinalgThreads, stopLinalgThreads, type LinalgThreadSpawner, type ArrayHandle, type BackendInfo, type BackendName, type FinishedNlrDims, type MachineRates, type MeasureResult, type MeasureSettings, type MeasureSplit, type OpenedFile } from '../core/index.ts';
import type { FileSummary, JobProgress, LabelsRef, ProbeRunResult, RunResult, ShardPart } from './api.ts';
import { toErrorPayload } from './errorPayload.ts';
import { ProgressThrottle } from './progressThrottle.ts';
import { summarise } from './resultSummary.ts';

const WASM_PATHS: Record<string, string> = {
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};

const files = new Map<string, OpenedFile>();
let backend: BackendInfo | null = null;
let job: AbortController | null = null;
/** set when the WebGPU device is lost: every later job must run in a fresh worker on another backend */
let deviceLost: string | null = null;
let armedFault: 'crash' | 'device-lost' | null = null;
/** this worker's rates (its backend's matMul, the float64 kernel), timed once right after the backend is chosen */
let rates: Promise<MachineRates | null> | null = null;

/** GFLOP/s of the float64 kernel (gemmNT) on a size³ product: the rate of AAC's and LR's exact products. */
function float64Rate(size = 192, minMs = 60): number {
  const a = Float64Array.from({ length: size * size }, (_, i) => Math.sin(i));
  const c = new Float64Array(size * size);
  gemmNT(size, size, size, a, 0, size, a, 0, size, c, 0, size, 1);
  let repeats = 0;
  const start = performance.now();
  while (repeats < 2 || performance.now() - start < minMs) {
    gemmNT(size, size, size, a, 0, size, a, 0, size, c, 0, size, 1);
    repeats++;
  }
  return (2 * size ** 3 * repeats) / ((performance.now() - start) / 1000) / 1e9;
}

/**
 * Times the backend's matMul (384², about one NLR training product) and the float64 kernel, for the page's
 * estimate of a job before it runs (core/estimate.ts). The median of three short tries: a busy machine makes single
 * tries noisy. Under a second on a CPU; jobs wait for it (runJob), so nothing else runs meanwhile.
 */
async function measureRates(info: BackendInfo): Promise<MachineRates | null> {
  try {
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const size = info.name === 'cpu' ? 192 : 384;
    const backendGflops: number[] = [];
    const float64Gflops: number[] = [];
    for (let i = 0; i < 3; i++) {
      backendGflops.push(await matmulRate(size, { minMs: 60, minRepeats: 2 }));
      float64Gflops.push(float64Rate());
    }
    return { backendGflops: median(backendGflops), float64Gflops: median(float64Gflops), backend: info.name, measured: true };
  } catch {
    return null; // the page falls back to typical rates
  }
}

/** The WebGPU device of the current tfjs backend, if that is what runs. */
function webgpuDevice(): GPUDevice | null {
  const b = tf.backend() as unknown as { device?: GPUDevice };
  return backend?.name === 'webgpu' && b?.device ? b.device : null;
}

function watchDeviceLoss(): void {
  webgpuDevice()?.lost.then((info) => {
    deviceLost = info.message || info.reason || 'device lost';
  });
}

/**
 * Fires an armed test fault once the job has started. A device loss waits for the device's own `lost` promise
 * (which watchDeviceLoss also hears, first): the browser resolves it a task or more after destroy(), and a job that
 * never touches the GPU (AAC and LR) could otherwise finish before the loss is known — a test that passed or failed
 * with the machine's load.
 */
async function fireArmedFault(): Promise<void> {
  const fault = armedFault;
  armedFault = null;
  if (fault === 'crash') {
    setTimeout(() => {
      throw new Error('injected worker crash (test hook)');
    });
  } else if (fault === 'device-lost') {
    const device = webgpuDevice();
    if (device) {
      device.destroy();
      await device.lost;
    } else setTimeout(() => {
      throw new Error('injected device loss, but no WebGPU device: crashing instead (test hook)');
    });
  }
}

function findArray(fileId: string, arrayName: string): { opened: OpenedFile; array: ArrayHandle } {
  const opened = files.get(fileId);
  if (!opened) throw new RedundancyLabError('bad-option', 'this file is no longer open; add it again');
  const array = opened.arrays.find((a) => a.name === arrayName);
  if (!array) {
    const names = opened.arrays.map((a) => a.name || '(unnamed)').join(', ');
    throw new RedundancyLabError('bad-option', `has no array named "${arrayName}" (it has: ${names})`, opened.fileName);
  }
  return { opened, array };
}

/**
 * WASM threads. tfjs-backend-wasm uses its multi-threaded build only where SharedArrayBuffer exists (a
 * cross-origin isolated page: COOP/COEP headers), and then runs XNNPACK on min(requested, logical cores / 2,
 * 8) threads — it halves navigator.hardwareConcurrency for hyper-threading, so a 2-core machine gets 1.
 * (vite.config.ts serves the pthread scripts as files, so the build works bundled and under the CSP.)
 * `wasmThreads` (the page's ?threads=N) asks for N threads: tfjs is told there are at least 2·N cores.
 */
async function prepareWasm(wasmThreads?: number): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // `vite` (dev) serves tfjs from its dependency pre-bundle, which the pthread patch does not reach: one thread
  if (!self.crossOriginIsolated || import.meta.env.DEV) {
    try {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // without isolation it would fail to allocate shared memory
    } catch {
      // flag not registered (another tfjs version): leave it
    }
    return;
  }
  if (wasmThreads && wasmThreads >= 1) {
    const cores = Math.max(navigator.hardwareConcurrency || 1, 2 * wasmThreads);
    Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => cores });
    wasm.setThreadsCount(wasmThreads);
  }
}

/**
 * The float64 kernel's helper threads (nested module workers on one shared memory): every core, or ?threads=N,
 * where the page is cross-origin isolated; otherwise (or if they fail to start) the kernel runs here alone.
 */
async function startFloat64Threads(wanted?: number): Promise<void> {
  if (!self.crossOriginIsolated) return;
  const threads = wanted ?? Math.max(1, navigator.hardwareConcurrency || 1);
  const spawn: LinalgThreadSpawner = (init) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./linalgThread.worker.ts', import.meta.url), { type: 'module', name: `float64 thread ${init.index}` });
      worker.onmessage = () => resolve({ terminate: () => worker.terminate() });
      worker.onerror = (e) => reject(new Error(e.message || 'the float64 thread failed to start'));
      worker.postMessage(init);
    });
  try {
    await startLinalgThreads(threads, spawn);
  } catch {
    stopLinalgThreads(); // one thread it is; the badge says so
  }
}

async function chooseBackend(force?: BackendName, wasmThreads?: number): Promise<BackendInfo> {
  await startFloat64Threads(wasmThreads);
  if (force === undefined || force === 'wasm') await prepareWasm(wasmThreads);
  return selectBackend({ force, wasmPaths: WASM_PATHS });
}

interface JobContext {
  opened: OpenedFile;
  array: ArrayHandle;
  backend: BackendInfo;
  signal: AbortSignal;
  throttle: ProgressThrottle;
}

/** One job at a time, cancellable, with throttled progress; errors cross the boundary as payloads. */
async function runJob<T>(fileId: string, arrayName: string, onProgress: ((p: JobProgress) => void) | undefined, work: (c: JobContext) => Promise<T>): Promise<T> {
  if (job) throw toErrorPayload(new RedundancyLabError('bad-option', 'another job is still running; wait or cancel it'));
  const controller = new AbortController();
  job = controller;
  const throttle = new ProgressThrottle((p) => onProgress?.(p));
  let fileName: string | undefined;
  try {
    await rates; // timing the backend: do not run beside it
    if (deviceLost) throw { name: 'Error', kind: 'device-lost', message: `the GPU device was lost (${deviceLost})` };
    if (!backend) backend = await chooseBackend();
    const { opened, array } = findArray(fileId, arrayName);
    fileName = opened.fileName;
    if (armedFault) await fireArmedFault();
    const result = await work({ opened, array, backend, signal: controller.signal, throttle });
    // AAC and LR never touch the GPU, so a job can finish on a device that was lost meanwhile: report the loss
    // (the client restarts on the next backend and reruns), so nothing measured on a dying device is kept
    if (deviceLost) throw { name: 'Error', kind: 'device-lost', message: `the GPU device was lost (${deviceLost})`, file: fileName };
    return result;
  } catch (e) {
    if (controller.signal.aborted) throw toErrorPayload(e instanceof CancelledError ? e : new CancelledError(), fileName);
    // a lost device fails the job with some GPU error; report what really happened
    if (webgpuDevice()) await Promise.race([webgpuDevice()!.lost, new Promise((r) => setTimeout(r, 200))]);
    if (deviceLost) throw { name: 'Error', kind: 'device-lost', message: `the GPU device was lost (${deviceLost})`, file: fileName };
    throw toErrorPayload(e, fileName);
  } finally {
    throttle.close();
    job = null;
  }
}

function summaryOf(id: string, opened: OpenedFile, embedding: string | null, labels: string | null): FileSummary {
  return {
    id,
    name: opened.fileName,
    byteLength: opened.byteLength,
    format: opened.format,
    arrays: opened.arrays.map((a) => ({ name: a.name, shape: [...a.shape], dtype: a.dtype, rows: a.rows, cols: a.cols, unusable: a.unusable })),
    defaultEmbedding: embedding,
    defaultLabels: labels,
  };
}

/** What the page may ask of the worker; the client's type is derived from it (MeasureWorkerApi), never restated. */
const api = {
  /**
   * Picks (or forces) the compute backend; call before measuring. wasmThreads: threads for the WASM backend where
   * the page is cross-origin isolated (default: tfjs's choice).
   */
  async init(force?: BackendName, wasmThreads?: number) {
    try {
      backend = await chooseBackend(force, wasmThreads);
      watchDeviceLoss();
      rates = measureRates(backend);
      return backend;
    } catch (e) {
      throw toErrorPayload(e);
    }
  },

  /** This worker's measured rates (timed once after `init`), for estimates of a job's time; null if timing failed. */
  async rates(): Promise<MachineRates | null> {
    return rates ?? null;
  },

  /** Reads the file's header(s) only; the data is read during `measure`. */
  async openFile(file: File, id: string): Promise<FileSummary> {
    try {
      const opened = await openEmbeddingFile(blobByteSource(file, file.name));
      files.set(id, opened);
      const embedding = defaultEmbeddingArray(opened.arrays);
      return summaryOf(id, opened, embedding?.name ?? null, defaultLabelsArray(opened.arrays, embedding)?.name ?? null);
    } catch (e) {
      throw toErrorPayload(e, file.name);
    }
  },

  /**
   * Registers opened files as the shards of one set, under `id`: their embeddings (and labels, when every shard
   * has them) stacked in the order given, streamed shard by shard, then measured, probed and studied like a file.
   * Shards of different D are refused (bad-shape, naming the shard).
   */
  async combineShards(id: string, name: string, parts: ShardPart[]): Promise<FileSummary> {
    try {
      const shards = parts.map((p) => ({ ...findArray(p.fileId, p.embedding), labels: p.labels === null ? null : findArray(p.fileId, p.labels).array }));
      const embedding = concatenateShards(shards.map((s) => ({ fileName: s.opened.fileName, array: s.array })));
      const arrays = [embedding];
      const withLabels = shards.every((s) => s.labels !== null && s.labels.name !== embedding.name);
      if (withLabels) arrays.push(concatenateShards(shards.map((s) => ({ fileName: s.opened.fileName, array: s.labels! }))));
      const opened: OpenedFile = {
        fileName: name,
        byteLength: shards.reduce((n, s) => n + s.opened.byteLength, 0),
        format: shards[0].opened.format,
        arrays,
      };
      files.set(id, opened);
      return summaryOf(id, opened, embedding.name, withLabels ? arrays[1].name : null);
    } catch (e) {
      throw toErrorPayload(e);
    }
  },

  /** Forgets an opened file (or a set; its shard files stay open). */
  closeFile(id: string) {
    files.delete(id);
  },

  /**
   * AAC, LR, NLR and the read-out of one array. `onNlrHeads` receives the NLR heads as they finish; `resume` gives
   * back those an earlier attempt finished (the client's recovery after a crash or a lost device): not retrained.
   */
  measure(
    fileId: string,
    arrayName: string,
    settings: MeasureSettings,
    onProgress?: (p: JobProgress) => void,
    onNlrHeads?: (heads: FinishedNlrDims) => void,
    resume?: FinishedNlrDims,
    onExact?: (partial: RunResult) => void,
  ) {
    return runJob(fileId, arrayName, onProgress, async ({ opened, array, backend, signal, throttle }) => {
      const started = performance.now();
      let preview: RunResult['correlationPreview'];
      let partialPreview: RunResult['partialCorrelationPreview'];
      const finish = (measured: MeasureResult): RunResult => ({ ...measured, summary: summarise(measured, performance.now() - started), correlationPreview: preview, ...(partialPreview ? { partialCorrelationPreview: partialPreview } : {}) });
      try {
        return finish(
          await measureArray(array, opened.fileName, settings, {
            signal,
            backend,
            onProgress: (p) => throttle.push({ ...p, stage: p.stage === 'done' ? 'extras' : p.stage }),
            // the heatmap comes from the correlation matrix the measures compute anyway
            onCorrelationMatrix: (corr, live, d) => (preview = blockAveragedAbsCorrelation(corr, live, d)),
            // |partial r| from the precision matrix the in-sample extras invert anyway (none where C is singular)
            onPartialCorrelationMatrix: (partial, live, d) => (partialPreview = blockAveragedAbsCorrelation(partial, live, d)),
            onNlrHeads: onNlrHeads && ((heads) => void onNlrHeads(heads)),
            nlrFinished: resume,
            // AAC and LR shown the moment they are final, not after minutes of NLR
            onExact: onExact && ((partial) => void onExact(finish(partial))),
          }),
        );
      } catch (e) {
        // a cancel after LR: what was finished goes back with the cancel, for the page to keep
        if (e instanceof CancelledError && e.partial) throw new CancelledError(finish(e.partial as MeasureResult));
        throw e;
      }
    });
  },

  /** Linear-probe accuracy (softmax regression, held-out top-1) with integer labels, on the measurement's split. */
  probe(fileId: string, arrayName: string, labelsRef: LabelsRef, split: MeasureSplit, onProgress?: (p: JobProgress) => void) {
    return runJob(fileId, arrayName, onProgress, async ({ opened, array, backend, signal, throttle }) => {
      const labelsAt = findArray(labelsRef.fileId, labelsRef.arrayName);
      const labels = await readLabels(labelsAt.array, labelsAt.opened.fileName, array.rows, opened.fileName);
      const started = performance.now();
      const probed = await probeArray(array, labels, opened.fileName, probeRunFor(split), {
        signal,
        onProgress: (fraction, message) => throttle.push({ stage: 'probe', fraction, message }),
      });
      const source = labelsAt.opened === opened ? `array '${labelsAt.array.name}'` : `${labelsAt.opened.fileName}${labelsAt.array.name ? ` ('${labelsAt.array.name}')` : ''}`;
      const result: ProbeRunResult = { ...probed, labelsSource: source, array: arrayName, splitSeed: split.splitSeed, testFraction: split.testFraction, backend, wallMs: performance.now() - started };
      return result;
    });
  },

  /** LR (and NLR) re-measured on k split seeds: how much the split alone moves them. */
  splitSpread(fileId: string, arrayName: string, settings: MeasureSettings, k: number, onProgress?: (p: JobProgress) => void) {
    return runJob(fileId, arrayName, onProgress, ({ opened, array, backend, signal, throttle }) =>
      splitResampling(array, opened.fileName, settings, k, { signal, backend, onProgress: (p) => throttle.push(p) }),
    );
  },

  /**
   * Linear CKA (and its debiased estimator) between every pair of these arrays (the same rows in each: the core
   * refuses otherwise, naming the file) — what `redundancy-lab compare` prints, on the same float64 kernel.
   */
  compare(items: { fileId: string; arrayName: string }[], onProgress?: (p: JobProgress) => void) {
    return runJob(items[0].fileId, items[0].arrayName, onProgress, async ({ throttle }) => {
      const names: string[] = [];
      const matrices = [];
      for (const [i, item] of items.entries()) {
        const { opened, array } = findArray(item.fileId, item.arrayName);
        throttle.push({ stage: 'read', fraction: i / items.length, message: `reading ${opened.fileName} (${i + 1} of ${items.length})` });
        names.push(item.arrayName ? `${opened.fileName} › ${item.arrayName}` : opened.fileName);
        matrices.push(await array.read());
      }
      const cka: CkaMatrices = linearCkaMatrices(matrices, names);
      return { files: names, n: matrices[0].rows, d: matrices.map((m) => m.cols), linearCka: cka.linearCka, linearCkaDebiased: cka.linearCkaDebiased };
    });
  },

  /**
   * Test hook: make the next job fail the way real ones do — 'crash' throws an uncaught error in the worker (as a
   * crash or an out-of-memory abort would), 'device-lost' destroys the WebGPU device.
   */
  injectFault(kind: 'crash' | 'device-lost') {
    // a test hook: armed only in a test build (VITE_TEST_HOOKS=1), never in what users get
    if (import.meta.env.VITE_TEST_HOOKS !== '1') throw toErrorPayload(new RedundancyLabError('bad-option', 'test hooks are off in this build'));
    armedFault = kind;
  },

  /** Cooperative cancel of the running job (it stops at the next block or epoch). */
  cancel() {
    job?.abort();
  },
};

export type MeasureWorkerApi = typeof api;

Comlink.expose(api);
