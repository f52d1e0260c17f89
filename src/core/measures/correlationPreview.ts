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
  for (let a = 0; a < k; a++) {
    const ci = Math.floor(liveDims[a] / blockSize);
    for (let b = 0; b < k; b++) {
      const cj = Math.floor(liveDims[b] / blockSize);
      cellSum[ci * size + cj] += a === b ? 1 : Math.min(1, Math.abs(corrLive[a * k + b]));
    }
  }
  // every cell averages over all its (original) dim pairs; dead dims contribute 0
  const span = (c: number) => Math.min(d, (c + 1) * blockSize) - c * blockSize;
  const values = Array.from(cellSum, (s, idx) => s / (span(Math.floor(idx / size)) * span(idx % size)));
  return { size, blockSize, d, values, clusterOrder: clusterOrder(values, size) };
}
