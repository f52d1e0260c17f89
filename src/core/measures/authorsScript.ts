/**
 * The authors' released script's quirks, reproduced on request (protocol 'authors-script'; docs/science.md):
 * the rows it reads and its AAC. The LR side needs no code of its own: zero columns (1/σ = 0) in the
 * standardised Gram do what its std + 1e-100 does.
 */
import type { ArrayHandle } from '../io/types.ts';
import type { SplitMoments } from './splitScatter.ts';

/** The authors' script (std + 1e-100) zeroes only columns that are constant up to rounding. */
export const AUTHORS_ZERO_STD_RATIO = 1e-12;

/**
 * AAC as the authors' script computes it: mean over all D(D−1)/2 pairs of |XᵀX / N| on the rows as read. Their
 * input is their standardised CSV (dead dims NaN → 0, so those pairs count as 0); given such a file (every column
 * mean within 0.05 of 0 and std within 0.05 of 1, or all zero — standardised over all rows, of which the script
 * then loses one, NaN cells 0) this is their formula exactly, from
 * Σ_r x_ri x_rj = S_ij + N μ_i μ_j. Given raw embeddings, their formula would depend on the units, so the file is
 * standardised first (over the rows they keep): the mean |Pearson r| of the live pairs, with dead pairs as 0.
 */
export function authorsScriptAac(pooled: Float64Array, m: SplitMoments, d: number, liveCount: number, liveAac: number): number {
  const n = m.nTrain + m.nTest;
  const mu = Float64Array.from({ length: d }, (_, j) => (m.nTrain * m.meanTrain[j] + m.nTest * m.meanTest[j]) / n);
  const standardised = mu.every((v, j) => {
    const sd = Math.sqrt(Math.max(0, pooled[j * d + j]) / n);
    return Math.abs(v) < 0.05 && (Math.abs(sd - 1) < 0.05 || (sd === 0 && v === 0));
  });
  if (!standardised) return (liveAac * liveCount * (liveCount - 1)) / (d * (d - 1));
  let sum = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) sum += Math.abs((pooled[i * d + j] + n * mu[i] * mu[j]) / n);
  return sum / ((d * (d - 1)) / 2);
}

/**
 * The rows as the authors' released script reads them (protocol 'authors-script', on request): pandas'
 * read_csv takes the first data row of a header-less CSV for the header, so that row is lost; NaN becomes 0
 * (np.nan_to_num). Nothing else changes.
 */
export function authorsScriptRows(array: ArrayHandle): ArrayHandle {
  const rows = Math.max(0, array.rows - 1);
  const cols = array.cols;
  const fix = (data: Float32Array) => {
    for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = 0;
    return data;
  };
  return {
    name: array.name,
    shape: [rows, ...array.shape.slice(1)],
    dtype: array.dtype,
    rows,
    cols,
    async read() {
      const m = await array.read();
      return { rows, cols, data: fix(m.data.slice(cols)) };
    },
    async *blocks(rowsPerBlock: number) {
      for await (const block of array.blocks(rowsPerBlock)) {
        const skip = block.rowStart === 0 ? 1 : 0;
        if (block.rows - skip <= 0) continue;
        yield { rowStart: block.rowStart + skip - 1, rows: block.rows - skip, cols, data: fix(block.data.slice(skip * cols)) };
      }
    },
  };
}

