/**
 * The null baseline's input: a copy of the embeddings whose columns are each permuted independently with
 * a seeded permutation. Every column keeps its values (its marginal), and all dependence between columns
 * is destroyed, so the same pipeline run on it answers "what does this pipeline report for pure noise at
 * this N and D?" (docs/science.md, "The null baseline").
 *
 * Streaming: rows are permuted within fixed chunks of `chunkRows` rows (the whole file when it fits
 * `maxBytes`): each chunk is read whole, each of its columns shuffled (Fisher–Yates, seeded by seed,
 * chunk and column), and handed out in blocks of the size asked. The chunks — and so the permuted copy —
 * are the same on every pass, whatever block size a pass asks for. A copy that is one chunk (the file fits
 * maxBytes) is shuffled once and kept for the later passes (the pipeline makes three): a read of the file and
 * a shuffle (~0.15 s together at 10,000 × 512) saved per pass.
 */
import type { ArrayHandle, Matrix, RowBlock } from '../io/types.ts';
import { numpyPermutation } from '../numerics/split.ts';
import { mulberry32 } from './mlpRandom.ts';

/**
 * The dims whose LR the null baseline computes (indices into the k usable dims): all up to NULL_LR_ALL, else a
 * seeded sample of max(NULL_LR_ALL, ⌈k/8⌉). LR_null is their mean: the null reports a level and a band, and the
 * sample's error, ≤ sd/√m over m of k dims, is within the band's 6·sd/√m term (reliability.ts nullBand). Each
 * sampled dim is solved exactly (ExactRidge with targets); its products then cost ~0.7 of the full ridge's
 * (measured at 10,000 × 2,048, docs/performance.md).
 */
export const NULL_LR_ALL = 64;

/** How many of k usable dims the null's LR is computed on. */
export function nullLrTargetCount(k: number): number {
  return k <= NULL_LR_ALL ? k : Math.max(NULL_LR_ALL, Math.ceil(k / 8));
}

/** The sampled dims (ascending), or null where the null's LR takes every dim. */
export function nullLrTargets(k: number, seed: number): number[] | null {
  const m = nullLrTargetCount(k);
  return m === k ? null : Array.from(numpyPermutation(k, seed).subarray(0, m)).sort((a, b) => a - b);
}

/** Consecutive rows of the permuted copy, from row `start`. */
type Chunk = { start: number; data: Float32Array; rows: number };

/** Whole-file permutation up to this many float32 bytes; above, within chunks of this size. */
const NULL_CHUNK_BYTES = 256 * 2 ** 20;

export function permutedColumns(array: ArrayHandle, seed: number, maxBytes = NULL_CHUNK_BYTES, readRows?: number): ArrayHandle & { chunkRows: number } {
  const { rows, cols } = array;
  const chunkRows = Math.max(Math.min(rows, 1024), Math.min(rows, Math.floor(maxBytes / (4 * cols))));
  // the source is read in the caller's block size (its memory budget for byte ranges); chunks are assembled here
  const sourceRows = Math.max(1, Math.min(chunkRows, readRows ?? chunkRows));
  async function* chunks(): AsyncGenerator<Chunk> {
    let buffer = new Float32Array(chunkRows * cols);
    let filled = 0;
    let start = 0;
    let index = 0;
    const flush = () => {
      const data = buffer.subarray(0, filled * cols);
      shuffleColumns(data, filled, cols, seed, index++);
      const out = { start, data, rows: filled };
      start += filled;
      buffer = new Float32Array(chunkRows * cols);
      filled = 0;
      return out;
    };
    for await (const block of array.blocks(sourceRows)) {
      let r = 0;
      while (r < block.rows) {
        const take = Math.min(block.rows - r, chunkRows - filled);
        buffer.set(block.data.subarray(r * cols, (r + take) * cols), filled * cols);
        filled += take;
        r += take;
        if (filled === chunkRows) yield flush();
      }
    }
    if (filled > 0) yield flush();
  }
  /** the whole permuted copy, once a pass has made it in one chunk */
  let kept: Chunk | null = null;
  return {
    name: array.name,
    shape: [rows, cols],
    dtype: array.dtype,
    rows,
    cols,
    chunkRows,
    async read(): Promise<Matrix> {
      const data = new Float32Array(rows * cols);
      for await (const c of kept ? [kept] : chunks()) data.set(c.data, c.start * cols);
      return { rows, cols, data };
    },
    async *blocks(rowsPerBlock: number): AsyncGenerator<RowBlock> {
      const step = Math.max(1, rowsPerBlock);
      for await (const c of kept ? [kept] : chunks()) {
        if (c.start === 0 && c.rows === rows) kept = c;
        for (let r = 0; r < c.rows; r += step) {
          const count = Math.min(step, c.rows - r);
          yield { rowStart: c.start + r, rows: count, cols, data: c.data.subarray(r * cols, (r + count) * cols) };
        }
      }
    },
  };
}

/** Columns shuffled together: their values of one row share a cache line or two. */
const SHUFFLE_GROUP = 16;

/**
 * Shuffles each column of a rows × cols block in place, with its own seeded Fisher–Yates permutation
 * (mulberry32 seeded by columnSeed). The columns go through a column-major scratch in groups of 16: the swaps
 * then touch one contiguous column instead of rows × cols floats apart (measured 350 → 240 ms at 10,000 × 2,048,
 * no gain to speak of at 512 columns); the permutation is the textbook one (tested against it).
 */
export function shuffleColumns(data: Float32Array, rows: number, cols: number, seed: number, chunk: number): void {
  const scratch = new Float32Array(rows * SHUFFLE_GROUP);
  for (let j0 = 0; j0 < cols; j0 += SHUFFLE_GROUP) {
    const w = Math.min(SHUFFLE_GROUP, cols - j0);
    for (let i = 0; i < rows; i++) for (let c = 0; c < w; c++) scratch[c * rows + i] = data[i * cols + j0 + c];
    for (let c = 0; c < w; c++) {
      const random = mulberry32(columnSeed(seed, chunk, j0 + c));
      const base = c * rows;
      for (let i = rows - 1; i > 0; i--) {
        const k = Math.floor(random() * (i + 1));
        const t = scratch[base + i];
        scratch[base + i] = scratch[base + k];
        scratch[base + k] = t;
      }
    }
    for (let i = 0; i < rows; i++) for (let c = 0; c < w; c++) data[i * cols + j0 + c] = scratch[c * rows + i];
  }
}

/** The seed of column j's permutation within chunk `chunk` (a hash of the three). */
export function columnSeed(seed: number, chunk: number, j: number): number {
  let h = 0x811c9dc5;
  for (const x of [seed, chunk, j]) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}
