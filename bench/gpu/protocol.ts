/**
 * What the runner (run.ts, Node) and the page (page.ts, Chromium) pass through `page.evaluate`: plain
 * numbers, strings and arrays only.
 */

export interface GpuBenchConfig {
  /** rows of the synthetic embeddings (low-rank + noise, ReLU'd factors), split 75/25 as the core splits */
  n: number;
  d: number;
  /** NLR epochs (the paper: 100); everything else is the paper's MLP (D−1)→128→64→1, SGD lr 0.01, batch 512 */
  epochs: number;
  /** NLR target dims, spread evenly over 0…d−1 */
  heads: number;
  /** how many of those (the first ones) the WASM reference trains, for the ΔR² column */
  refHeads: number;
  /** head-group sizes (headsPerBatch) to time on WebGPU; 'max' = the memory bound maxHeadsPerBatch */
  groups: (number | 'max')[];
  /** side of the square float32 matMul whose rate is the reference (matmulRate) */
  matmulSize: number;
}

export interface AdapterReport {
  /** false when WebGPU could not run here; `reason` says why */
  available: boolean;
  reason?: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** the adapter's own flag (null: this browser does not report it) */
  isFallbackAdapter: boolean | null;
  /** the core's verdict (selectBackend): a software implementation of WebGPU (SwiftShader, llvmpipe, …) */
  software: boolean;
  /** selectBackend's description of the backend */
  detail: string;
  maxStorageBufferBindingSize: number | null;
  maxBufferSize: number | null;
}

/** tf.memory() at one moment: tensor bytes, and on WebGPU the buffer pool (in use, and allocated incl. free). */
export interface MemorySample {
  numBytes: number;
  gpuBytesUsed: number | null;
  gpuBytesAllocated: number | null;
}

export interface NlrRun {
  backend: string;
  /** what was asked for ('max' = maxHeadsPerBatch) and what the core used */
  requested: number | 'max';
  headsPerBatch: number;
  heads: number;
  /** untimed first use before `ms`: one group of this size, one step per tensor shape (compiles the WebGPU shaders) */
  warmUpMs: number;
  /** the timed run, after the warm-up */
  ms: number;
  /** the result's FLOP count (real heads only, training and held-out prediction), 10⁹ */
  gflop: number;
  heldOutR2: number[];
  /** heads (real + padding) in each group's tensors, as the core reports them (onGroupShape) */
  groupShapes: number[];
  /** tf.memory() as each group finishes (its tensors still alive) */
  afterGroup: MemorySample[];
  /** tf.memory() before the call and after it returned */
  before: MemorySample;
  after: MemorySample;
}

export interface MeasureRun {
  backend: string;
  ms: number;
  aac: number | null;
  lr: number | null;
  lrPerDim: (number | null)[];
  timingsMs: Record<string, number>;
}

export interface BackendReport {
  /** selectBackend's description */
  detail: string;
  matmul: { size: number; gflops: number; ms: number };
  measure: MeasureRun;
  nlr: NlrRun[];
}

export interface GpuBenchResult {
  userAgent: string;
  tfjs: string;
  adapter: AdapterReport;
  /** the reference: WASM (XNNPACK, float32) — NLR on the first refHeads targets, one head per batch */
  wasm: BackendReport;
  /** absent when WebGPU is not available (adapter.reason) */
  webgpu: BackendReport | null;
}

declare global {
  interface Window {
    gpuBench?: { run(config: GpuBenchConfig, log: boolean): Promise<GpuBenchResult> };
  }
}
