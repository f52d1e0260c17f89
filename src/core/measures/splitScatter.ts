/**
 * Passes 1 and 2 over the rows: per-split means, then per-split centred scatter matrices
 * S = Σ (x − μ)(x − μ)ᵀ, accumulated from centred row blocks on the compute backend (float32
 * inside a block, float64 across blocks). Centring first matters: the one-pass E[xy] − E[x]E[y]
 * form loses ~3e-4 in r on non-negative (ReLU) features.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArrayHandle } from '../io/types.ts';
import { RedundancyLabError, throwIfCancelled } from '../errors.ts';
import type { TrainTestSplit } from './split.ts';

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
 * Σ (x − μ)(x − μ)ᵀ of one split's rows of a block, on the backend. The rows are centred and
 * transposed while they are copied out of the block (one pass in JS), so the backend runs a single
 * plain matMul: on WASM a tf.transpose costs half as much as the product itself, and the
 * transposeA/B variants of matMul are 10–25× slower (browser.md gotcha 2).
 */
async function centredBlockScatter(data: Float32Array, which: number[], d: number, mean: Float32Array): Promise<Float32Array> {
  const count = which.length;
  const xc = new Float32Array(count * d);
  const xt = new Float32Array(count * d);
  which.forEach((r, i) => {
    const src = r * d;
    const dst = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[src + j] - mean[j];
      xc[dst + j] = v;
      xt[j * count + i] = v;
    }
  });
  const scatter = tf.tidy(() => tf.matMul(tf.tensor2d(xt, [d, count]), tf.tensor2d(xc, [count, d])));
  // async read-back: WebGPU's dataSync copies through a canvas and returns wrong values on SwiftShader
  const values = (await scatter.data()) as Float32Array;
  scatter.dispose();
  return values;
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

/** Pass 2: centred scatter matrices of both splits (D×D, float64). */
export async function splitScatter(
  array: ArrayHandle,
  rows: RowAssignment,
  moments: SplitMoments,
  rowsPerBlock: number,
  onBlock: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<SplitScatter> {
  const d = array.cols;
  const train = new Float64Array(d * d);
  const test = new Float64Array(d * d);
  const meanTrain = Float32Array.from(moments.meanTrain);
  const meanTest = Float32Array.from(moments.meanTest);
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(signal);
    const parts = splitRowsOfBlock(block.rows, block.rowStart, rows);
    for (const [which, mean, acc] of [
      [parts.train, meanTrain, train],
      [parts.test, meanTest, test],
    ] as const) {
      if (which.length === 0) continue;
      const s = await centredBlockScatter(block.data, which, d, mean);
      for (let k = 0; k < s.length; k++) acc[k] += s[k];
    }
    onBlock(block.rowStart + block.rows);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let cancel / progress through
  }
  return { train, test };
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
