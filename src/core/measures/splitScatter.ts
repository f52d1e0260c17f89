/**
 * Passes 1 and 2 over the rows: per-split means, then per-split centred scatter matrices
 * S = Σ (x − μ)(x − μ)ᵀ. The exact path (splitScatter) centres in float64 and accumulates with the
 * float64 WebAssembly SIMD kernel: AAC to ~1e-15 and a train Gram that LR can invert when it is
 * near-singular (docs/science.md, "Precision"). splitScatterFloat32 is the previous path — float32
 * products on the compute backend — kept for the benchmark's comparison. Centring first matters: the
 * one-pass E[xy] − E[x]E[y] form loses ~3e-4 in r on non-negative (ReLU) features.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ArrayHandle } from '../io/types.ts';
import { RedundancyLabError, throwIfCancelled } from '../errors.ts';
import type { TrainTestSplit } from '../numerics/split.ts';
import { gemmNT } from '../numerics/linalgKernels.ts';

/** Where each row of the file goes: position in the train order, or in the held-out order. */
export interface RowAssignment {
  isTest: Uint8Array;
  position: Uint32Array;
}

export function assignRows(split: TrainTestSplit, n: number): RowAssignment {
  const isTest = new Uint8Array(n);
  const position = new Uint32Array(n);
  split.train.forEach((row, i) => (position[row] = i));
  split.test.forEach((row, i) => {
    isTest[row] = 1;
    position[row] = i;
  });
  return { isTest, position };
}

export interface SplitMoments {
  nTrain: number;
  nTest: number;
  meanTrain: Float64Array;
  meanTest: Float64Array;
}

/** Pass 1: per-split column means; refuses NaN / Inf with the row and column. */
export async function splitMeans(
  array: ArrayHandle,
  rows: RowAssignment,
  fileName: string,
  rowsPerBlock: number,
  onBlock: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<SplitMoments> {
  const d = array.cols;
  const sumTrain = new Float64Array(d);
  const sumTest = new Float64Array(d);
  let nTrain = 0;
  let nTest = 0;
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(signal);
    const x = block.data;
    for (let r = 0; r < block.rows; r++) {
      const row = block.rowStart + r;
      const sum = rows.isTest[row] ? sumTest : sumTrain;
      if (rows.isTest[row]) nTest++;
      else nTrain++;
      const off = r * d;
      for (let j = 0; j < d; j++) sum[j] += x[off + j];
    }
    // NaN/Inf propagate into the sums, so one check per block finds them cheaply.
    if (!sumsFinite(sumTrain) || !sumsFinite(sumTest)) throw nonFiniteError(block.data, block.rowStart, d, fileName);
    onBlock(block.rowStart + block.rows);
  }
  for (let j = 0; j < d; j++) {
    sumTrain[j] /= nTrain;
    sumTest[j] /= nTest;
  }
  return { nTrain, nTest, meanTrain: sumTrain, meanTest: sumTest };
}

function sumsFinite(sums: Float64Array): boolean {
  for (let j = 0; j < sums.length; j++) if (!Number.isFinite(sums[j])) return false;
  return true;
}

function nonFiniteError(data: Float32Array, rowStart: number, d: number, fileName: string): RedundancyLabError {
  const at = data.findIndex((v) => !Number.isFinite(v));
  const where = at >= 0 ? ` (first at row ${rowStart + Math.floor(at / d)}, dim ${at % d}: ${data[at]})` : '';
  return new RedundancyLabError(
    'bad-values',
    `the embeddings contain NaN or infinite values${where}; remove or impute those rows before measuring`,
    fileName,
  );
}

/** Splits a block's rows into train and held-out parts (raw values, file order). */
export function partitionBlock(
  data: Float32Array,
  blockRows: number,
  rowStart: number,
  d: number,
  rows: RowAssignment,
): { train: Float32Array; trainRows: number[]; test: Float32Array; testRows: number[] } {
  const { train: trainRows, test: testRows } = splitRowsOfBlock(blockRows, rowStart, rows);
  const gather = (which: number[]) => {
    const out = new Float32Array(which.length * d);
    which.forEach((r, i) => out.set(data.subarray(r * d, (r + 1) * d), i * d));
    return out;
  };
  return { train: gather(trainRows), trainRows, test: gather(testRows), testRows };
}

/**
 * Rows per product. XNNPACK's matMul runs well below its square-matrix rate once the inner dimension
 * passes ~4k (npm run bench: 7,500-row products at a third of the 1024² rate), and shorter float32 sums
 * are more accurate; the float64 accumulation across products costs D² adds each.
 */
const ROWS_PER_PRODUCT = 2048;
/**
 * Column-block width of the triangular product: only the blocks on and below the diagonal are computed
 * ((nb + 1)/(2·nb) of the full product for nb blocks; 62.5% at D = 512), the rest is mirrored.
 */
const COLUMN_BLOCK = 128;

/**
 * Adds Σ (x − μ)(x − μ)ᵀ over one split's rows of a block into `acc`, on the backend: the lower block
 * triangle only (column blocks j0…j0+w of rows ≥ j0); mirrorBlockTriangle completes it. Rows are centred
 * and transposed while they are copied out of the block (one JS pass), so the backend runs plain matMuls
 * — on WASM a tf.transpose costs half as much as the product, and the transposeA/B variants of matMul
 * are 10–25× slower (browser.md gotcha 2).
 */
async function accumulateCentredScatter(data: Float32Array, which: number[], d: number, mean: Float32Array, acc: Float64Array): Promise<void> {
  const width = Math.min(d, COLUMN_BLOCK);
  const starts: number[] = [];
  for (let j0 = 0; j0 < d; j0 += width) starts.push(j0);
  for (let first = 0; first < which.length; first += ROWS_PER_PRODUCT) {
    const rows = which.slice(first, first + ROWS_PER_PRODUCT);
    const count = rows.length;
    const transposed = new Float32Array(count * d); // transposed[j·count + i]
    const columnBlocks = starts.map((j0) => new Float32Array(count * Math.min(width, d - j0)));
    rows.forEach((r, i) => {
      const src = r * d;
      starts.forEach((j0, b) => {
        const w = columnBlocks[b].length / count;
        const block = columnBlocks[b];
        for (let j = 0; j < w; j++) {
          const v = data[src + j0 + j] - mean[j0 + j];
          block[i * w + j] = v;
          transposed[(j0 + j) * count + i] = v;
        }
      });
    });
    const products = tf.tidy(() =>
      starts.map((j0, b) => tf.matMul(tf.tensor2d(transposed.subarray(j0 * count), [d - j0, count]), tf.tensor2d(columnBlocks[b], [count, columnBlocks[b].length / count]))),
    );
    try {
      for (let b = 0; b < starts.length; b++) {
        const j0 = starts[b];
        const w = columnBlocks[b].length / count;
        // async read-back: WebGPU's dataSync copies through a canvas and returns wrong values on SwiftShader
        const values = (await products[b].data()) as Float32Array;
        for (let i = j0; i < d; i++) {
          const out = i * d + j0;
          const src = (i - j0) * w;
          for (let j = 0; j < w; j++) acc[out + j] += values[src + j];
        }
      }
    } finally {
      products.forEach((t) => t.dispose());
    }
  }
}

/** Fills the blocks above the diagonal that accumulateCentredScatter skips, from their mirror images. */
function mirrorBlockTriangle(acc: Float64Array, d: number): void {
  const width = Math.min(d, COLUMN_BLOCK);
  for (let i = 0; i < d; i++) {
    for (let j = (Math.floor(i / width) + 1) * width; j < d; j++) acc[i * d + j] = acc[j * d + i];
  }
}

/** Rows of a block that belong to the train and to the held-out split. */
function splitRowsOfBlock(blockRows: number, rowStart: number, rows: RowAssignment): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let r = 0; r < blockRows; r++) (rows.isTest[rowStart + r] ? test : train).push(r);
  return { train, test };
}

export interface SplitScatter {
  train: Float64Array;
  test: Float64Array;
}

/** How one split's rows of a block are added into its scatter matrix (lower block triangle). */
type Accumulate = (data: Float32Array, which: number[], d: number, mean: Float64Array, acc: Float64Array) => void | Promise<void>;

/** Pass 2's loop over the blocks, whatever does the products; mirrors the triangle at the end. */
async function scatterPass(array: ArrayHandle, rows: RowAssignment, moments: SplitMoments, rowsPerBlock: number, accumulate: Accumulate, onBlock: (rowsDone: number) => void, signal?: AbortSignal): Promise<SplitScatter> {
  const d = array.cols;
  const train = new Float64Array(d * d);
  const test = new Float64Array(d * d);
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(signal);
    const parts = splitRowsOfBlock(block.rows, block.rowStart, rows);
    if (parts.train.length > 0) await accumulate(block.data, parts.train, d, moments.meanTrain, train);
    if (parts.test.length > 0) await accumulate(block.data, parts.test, d, moments.meanTest, test);
    onBlock(block.rowStart + block.rows);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let cancel / progress through
  }
  mirrorBlockTriangle(train, d);
  mirrorBlockTriangle(test, d);
  return { train, test };
}

/** Pass 2 (previous float32 path, bench only): centred scatter matrices from the backend's float32 products. */
export function splitScatterFloat32(array: ArrayHandle, rows: RowAssignment, moments: SplitMoments, rowsPerBlock: number, onBlock: (rowsDone: number) => void, signal?: AbortSignal): Promise<SplitScatter> {
  const means = new Map<Float64Array, Float32Array>();
  const mean32 = (m: Float64Array) => means.get(m) ?? means.set(m, Float32Array.from(m)).get(m)!;
  return scatterPass(array, rows, moments, rowsPerBlock, (data, which, d, mean, acc) => accumulateCentredScatter(data, which, d, mean32(mean), acc), onBlock, signal);
}

/** Rows per float64 product: the transposed centred copy (d × rows doubles) stays within 32 MiB. */
const F64_PRODUCT_BYTES = 32 * 2 ** 20;

/** Pass 2: centred scatter matrices of both splits (D×D), exactly: float64 centring and accumulation. */
export function splitScatter(array: ArrayHandle, rows: RowAssignment, moments: SplitMoments, rowsPerBlock: number, onBlock: (rowsDone: number) => void, signal?: AbortSignal): Promise<SplitScatter> {
  const d = array.cols;
  const chunk = Math.max(16, Math.min(ROWS_PER_PRODUCT, Math.floor(F64_PRODUCT_BYTES / (8 * d))));
  const transposed = new Float64Array(d * chunk);
  const accumulate: Accumulate = (data, which, _d, mean, acc) => {
    for (let first = 0; first < which.length; first += chunk) {
      const count = Math.min(chunk, which.length - first);
      // transposed[j·count + i] = x_ij − μ_j, so the Gram is Xt·Xtᵀ with rows contiguous in k
      for (let i = 0; i < count; i++) {
        const src = which[first + i] * d;
        for (let j = 0; j < d; j++) transposed[j * count + i] = data[src + j] - mean[j];
      }
      // lower block triangle: column block [j0, j0 + w) against rows j0 … d − 1
      for (let j0 = 0; j0 < d; j0 += COLUMN_BLOCK) {
        const w = Math.min(COLUMN_BLOCK, d - j0);
        gemmNT(d - j0, w, count, transposed, j0 * count, count, transposed, j0 * count, count, acc, j0 * d + j0, d, 1);
      }
    }
  };
  return scatterPass(array, rows, moments, rowsPerBlock, accumulate, onBlock, signal);
}

/** Scatter of all rows from the two splits' scatters (the parallel-variance identity). */
export function pooledScatter(s: SplitScatter, m: SplitMoments, d: number): Float64Array {
  const n = m.nTrain + m.nTest;
  const w = (m.nTrain * m.nTest) / n;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const di = m.meanTrain[i] - m.meanTest[i];
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      out[k] = s.train[k] + s.test[k] + w * di * (m.meanTrain[j] - m.meanTest[j]);
    }
  }
  return out;
}

/** Correlation matrix of the chosen columns from a scatter matrix: S_ij / √(S_ii S_jj). */
export function correlationFromScatter(s: Float64Array, d: number, cols: number[]): Float64Array {
  const k = cols.length;
  const out = new Float64Array(k * k);
  const sd = cols.map((c) => Math.sqrt(s[c * d + c]));
  for (let a = 0; a < k; a++) {
    const rowA = cols[a] * d;
    for (let b = 0; b < k; b++) out[a * k + b] = a === b ? 1 : s[rowA + cols[b]] / (sd[a] * sd[b]);
  }
  return out;
}
