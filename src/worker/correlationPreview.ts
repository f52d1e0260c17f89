/**
 * The |r| matrix for the heatmap, block-averaged to at most `maxSide`×`maxSide` so the page never receives a
 * D×D matrix. Runs in the worker on the chosen tfjs backend, streaming the array in row blocks:
 * pass 1 = column means and population stds (float64 sums), pass 2 = centred Gram (per tile of ≤ 2048 dims).
 * Dead dims (std < 1e-6 · max std) get r = 0, as in the measures.
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfCancelled } from '../core/errors.ts';
import type { ArrayHandle } from '../core/io/types.ts';
import type { CorrelationPreview } from './api.ts';
import { clusterOrder } from '../core/measures/clusterOrder.ts';

const MAX_BLOCK_ELEMENTS = 4 * 1024 * 1024;
const TILE = 2048;

export interface PreviewOptions {
  maxSide?: number;
  signal?: AbortSignal;
  onFraction?: (fraction: number) => void;
}

export async function correlationPreview(array: ArrayHandle, options: PreviewOptions = {}): Promise<CorrelationPreview> {
  const maxSide = options.maxSide ?? 512;
  const d = array.cols;
  const n = array.rows;
  const rowsPerBlock = Math.max(1, Math.floor(MAX_BLOCK_ELEMENTS / Math.max(1, d)));

  const tiles: [number, number][] = [];
  for (let start = 0; start < d; start += TILE) tiles.push([start, Math.min(d, start + TILE)]);
  const pairs: [number, number][] = [];
  for (let a = 0; a < tiles.length; a++) for (let b = a; b < tiles.length; b++) pairs.push([a, b]);
  const passes = 2 + pairs.length;
  let pass = 0;
  const report = (rowsDone: number) => options.onFraction?.((pass + rowsDone / n) / passes);

  // pass 1: means and population stds, accumulated in float64
  const sum = new Float64Array(d);
  const sumSq = new Float64Array(d);
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(options.signal);
    const data = block.data;
    for (let r = 0; r < block.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const v = data[off + j];
        sum[j] += v;
      }
    }
    report(block.rowStart + block.rows);
  }
  const mean = new Float64Array(d);
  for (let j = 0; j < d; j++) mean[j] = sum[j] / n;
  pass = 1;
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(options.signal);
    const data = block.data;
    for (let r = 0; r < block.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const c = data[off + j] - mean[j];
        sumSq[j] += c * c;
      }
    }
    report(block.rowStart + block.rows);
  }
  const std = new Float64Array(d);
  let maxStd = 0;
  for (let j = 0; j < d; j++) {
    std[j] = Math.sqrt(sumSq[j] / n);
    if (std[j] > maxStd) maxStd = std[j];
  }
  const live = (j: number) => std[j] > 1e-6 * maxStd && std[j] > 0;
  pass = 2;

  // pass 2: centred, scaled Gram per tile pair → |r| → block average
  const blockSize = Math.max(1, Math.ceil(d / maxSide));
  const size = Math.ceil(d / blockSize);
  const cellSum = new Float64Array(size * size);
  const cellCount = new Float64Array(size * size);
  const meanF32 = Float32Array.from(mean);
  const invStd = new Float32Array(d);
  for (let j = 0; j < d; j++) invStd[j] = live(j) ? 1 / (std[j] * Math.sqrt(n)) : 0;

  for (const [a, b] of pairs) {
    const [a0, a1] = tiles[a];
    const [b0, b1] = tiles[b];
    let gram: tf.Tensor2D | null = null;
    for await (const block of array.blocks(rowsPerBlock)) {
      throwIfCancelled(options.signal);
      const next = tf.tidy(() => {
        const x = tf.tensor2d(block.data, [block.rows, d]);
        const z = x.sub(tf.tensor1d(meanF32)).mul(tf.tensor1d(invStd));
        const za = z.slice([0, a0], [block.rows, a1 - a0]);
        const zb = a === b ? za : z.slice([0, b0], [block.rows, b1 - b0]);
        const g = tf.matMul(za.transpose(), zb);
        return (gram ? gram.add(g) : g) as tf.Tensor2D;
      });
      gram?.dispose();
      gram = next;
      report(block.rowStart + block.rows);
      await new Promise((r) => setTimeout(r, 0)); // let cancel messages in
    }
    if (!gram) continue;
    const r = (await gram.data()) as Float32Array;
    gram.dispose();
    const wb = b1 - b0;
    for (let i = a0; i < a1; i++) {
      const ci = Math.floor(i / blockSize);
      const row = (i - a0) * wb;
      for (let j = b0; j < b1; j++) {
        const v = i === j ? (live(i) ? 1 : 0) : Math.min(1, Math.abs(r[row + j - b0]));
        const cj = Math.floor(j / blockSize);
        cellSum[ci * size + cj] += v;
        cellCount[ci * size + cj] += 1;
        if (a !== b) {
          cellSum[cj * size + ci] += v;
          cellCount[cj * size + ci] += 1;
        }
      }
    }
    pass += 1;
  }

  const values = new Array<number>(size * size);
  for (let k = 0; k < values.length; k++) values[k] = cellCount[k] > 0 ? cellSum[k] / cellCount[k] : 0;
  return { size, blockSize, d, values, clusterOrder: clusterOrder(values, size) };
}
