/**
 * The |r| matrix for the heatmap, block-averaged to at most `maxSide` × `maxSide`, from the correlation
 * matrix the measures already computed (no second pass over the file, no second Gram matrix). Dead dims
 * count as r = 0 (and 0 on the diagonal), as in the measures. Also a cluster order of the cells.
 */
import { clusterOrder } from '../numerics/clusterOrder.ts';

export interface BlockAveragedCorrelation {
  /** side of the (square) preview matrix */
  size: number;
  /** how many original dims each preview cell spans (1 = exact) */
  blockSize: number;
  /** original number of dims */
  d: number;
  /** row-major size × size mean |r| */
  values: number[];
  /** preview cells in average-linkage cluster order (correlated dims next to each other) */
  clusterOrder: number[];
}

/** corrLive: k × k correlation of the live dims `liveDims` (original indices, ascending), row-major. */
export function blockAveragedAbsCorrelation(corrLive: Float64Array, liveDims: readonly number[], d: number, maxSide = 512): BlockAveragedCorrelation {
  const blockSize = Math.max(1, Math.ceil(d / maxSide));
  const size = Math.ceil(d / blockSize);
  const cellSum = new Float64Array(size * size);
  const k = liveDims.length;
  // each live dim's cell, once (the loop below runs k² times: 262,144 at 512 dims, on the job's critical path)
  const cellOf = Int32Array.from(liveDims, (dim) => Math.floor(dim / blockSize));
  for (let a = 0; a < k; a++) {
    const row = cellOf[a] * size;
    const from = a * k;
    for (let b = 0; b < a; b++) cellSum[row + cellOf[b]] += Math.min(1, Math.abs(corrLive[from + b]));
    cellSum[row + cellOf[a]] += 1; // the diagonal counts 1
    for (let b = a + 1; b < k; b++) cellSum[row + cellOf[b]] += Math.min(1, Math.abs(corrLive[from + b]));
  }
  // every cell averages over all its (original) dim pairs; dead dims contribute 0
  const span = Float64Array.from({ length: size }, (_, c) => Math.min(d, (c + 1) * blockSize) - c * blockSize);
  const values = new Array<number>(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) values[i * size + j] = cellSum[i * size + j] / (span[i] * span[j]);
  return { size, blockSize, d, values, clusterOrder: clusterOrder(values, size) };
}
