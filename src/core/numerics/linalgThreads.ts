/**
 * Threads for the float64 kernel (Gram, ridge products, inverses): the WebAssembly micro-kernel
 * instantiated once per thread on one shared memory, so a block packed by the calling thread is read in
 * place by all of them. The calling thread shares a block's strips of A with the others and waits for
 * them (Atomics.wait: allowed in Node's main thread and in Web Workers, where the core runs). The strips are
 * taken in chunks from a shared counter, not split in fixed shares: a thread slowed by something else on its
 * core (the page drawing charts while the null baseline runs, on a 2-core machine) takes fewer chunks instead of
 * holding up the block. Each tile entry is computed by one thread in one order, so results do not depend on the
 * thread count or on who took which chunk.
 *
 * The environment spawns the threads (core has no Worker API): the CLI with node:worker_threads running
 * `linalgThreadSource`, the page's compute worker with nested module workers running linalgThreadMain —
 * where the page is cross-origin isolated (SharedArrayBuffer). Without them everything runs on one thread.
 */
import { GEMM_F64_SHARED_WASM_BASE64 } from './wasm/gemmF64Wasm.ts';
export { runStrips } from './linalgKernels.ts';
import { runStrips, setGemmThreadPool, type GemmFunction, type GemmThreadPool, type StripJob } from './linalgKernels.ts';

/** What each thread is handed: the compiled kernel, the shared memory, the control words, its index. */
export interface LinalgThreadInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: Int32Array;
  index: number;
}

export interface LinalgThreadHandle {
  terminate(): void;
}

/** Starts one thread with `init` and resolves once it has instantiated the kernel (it calls `ready`). */
export type LinalgThreadSpawner = (init: LinalgThreadInit) => Promise<LinalgThreadHandle>;

// control words (Int32Array over a SharedArrayBuffer)
const GENERATION = 0;
const PENDING = 1;
const STOP = 2;
const THREADS = 3;
const JOB = 4; // mStrips, nStrips, kch, kcMax, pa, pb, tile, tileLdBytes, lowerB, lowerFrom
const NEXT = 14; // the next strip not yet taken
const CHUNK = 15; // strips taken at a time
const CONTROL_WORDS = 16;
/** Chunks per thread per block: enough to even out a slowed thread, few enough to keep B's panel in L2 across a chunk. */
const CHUNKS_PER_THREAD = 8;

/**
 * The body of every helper thread: waits for a job, runs its share of the strips, counts itself done.
 * Self-contained, its helpers passed in (the CLI runs its source text in a worker_threads eval worker).
 */
export function linalgThreadMain(init: LinalgThreadInit, ready: () => void, strips: typeof runStrips): void {
  const { module, memory, control, index } = init;
  const gemm = (new WebAssembly.Instance(module, { env: { memory } }).exports as { gemm: GemmFunction }).gemm;
  ready();
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen); // GENERATION
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 2) !== 0) return; // STOP
    const threads = control[3];
    if (index >= threads) continue;
    const job = {
      mStrips: control[4], nStrips: control[5], kch: control[6], kcMax: control[7],
      pa: control[8], pb: control[9], tile: control[10], tileLdBytes: control[11], lowerB: control[12], lowerFrom: control[13],
    };
    const chunk = control[15]; // CHUNK; strips from the shared counter NEXT (word 14)
    for (let s0 = Atomics.add(control, 14, chunk); s0 < job.mStrips; s0 = Atomics.add(control, 14, chunk)) strips(gemm, job, s0, Math.min(job.mStrips, s0 + chunk));
    if (Atomics.sub(control, 1, 1) === 1) Atomics.notify(control, 1); // PENDING
  }
}

/** linalgThreadMain as a CommonJS script for `new Worker(source, { eval: true, workerData: init })`. */
export const linalgThreadSource = `const { workerData, parentPort } = require('node:worker_threads');
(${linalgThreadMain.toString()})(workerData, () => parentPort.postMessage('ready'), ${runStrips.toString()});`;

let running: { handles: LinalgThreadHandle[]; control: Int32Array } | null = null;

/**
 * Runs the float64 kernel on `threads` threads (the caller's included) from now on; 1 stops the helpers.
 * Returns the count in use: 1 where shared memory or WebAssembly threads are not available here.
 */
export async function startLinalgThreads(threads: number, spawn: LinalgThreadSpawner): Promise<number> {
  stopLinalgThreads();
  const count = Math.max(1, Math.min(64, Math.floor(threads)));
  if (count === 1 || typeof SharedArrayBuffer === 'undefined') return 1;
  let module: WebAssembly.Module;
  let memory: WebAssembly.Memory;
  try {
    module = new WebAssembly.Module(Uint8Array.from(atob(GEMM_F64_SHARED_WASM_BASE64), (c) => c.charCodeAt(0)));
    memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
  } catch {
    return 1; // no SIMD, no threads, or not cross-origin isolated
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  const started = await Promise.allSettled(Array.from({ length: count - 1 }, (_, i) => spawn({ module, memory, control, index: i + 1 })));
  const handles = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // none left running: the ones that did start are ended before the caller hears why
    Atomics.store(control, STOP, 1);
    for (const h of handles) h.terminate();
    throw failed.reason;
  }
  const gemm = (new WebAssembly.Instance(module, { env: { memory } }).exports as { gemm: GemmFunction }).gemm;
  running = { handles, control };
  const pool: GemmThreadPool = {
    threads: count,
    kernel: { memory, gemm },
    run(job: StripJob, use: number) {
      const values = [job.mStrips, job.nStrips, job.kch, job.kcMax, job.pa, job.pb, job.tile, job.tileLdBytes, job.lowerB, job.lowerFrom];
      values.forEach((v, i) => (control[JOB + i] = v));
      control[THREADS] = use;
      const chunk = Math.max(1, Math.floor(job.mStrips / (CHUNKS_PER_THREAD * use)));
      control[CHUNK] = chunk;
      Atomics.store(control, NEXT, 0);
      Atomics.store(control, PENDING, use - 1);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      for (let s0 = Atomics.add(control, NEXT, chunk); s0 < job.mStrips; s0 = Atomics.add(control, NEXT, chunk)) runStrips(gemm, job, s0, Math.min(job.mStrips, s0 + chunk));
      for (let left = Atomics.load(control, PENDING); left !== 0; left = Atomics.load(control, PENDING)) Atomics.wait(control, PENDING, left);
    },
  };
  setGemmThreadPool(pool);
  return count;
}

/** Back to one thread; the helpers are ended. */
export function stopLinalgThreads(): void {
  setGemmThreadPool(null);
  if (!running) return;
  Atomics.store(running.control, STOP, 1);
  Atomics.add(running.control, GENERATION, 1);
  Atomics.notify(running.control, GENERATION);
  for (const h of running.handles) h.terminate();
  running = null;
}
