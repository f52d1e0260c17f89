/** How a measurement is cut into SLURM tasks: contiguous, balanced parts (rows, or NLR dims). */
import type { ArrayHandle, RowBlock } from '../io/types.ts';

/** Part `index` of `count` of [0, total): [start, end), sizes differing by at most one. */
export function partRange(total: number, index: number, count: number): [number, number] {
  return [Math.floor((index * total) / count), Math.floor(((index + 1) * total) / count)];
}

/** Part `index` of `count` of a list (NLR dims per task). */
export function partOf<T>(items: readonly T[], index: number, count: number): T[] {
  const [start, end] = partRange(items.length, index, count);
  return items.slice(start, end);
}

/**
 * Rows [start, end) of an array, keeping their global row indices (block.rowStart), so the split assignment of
 * the whole file applies. Blocks of the source outside the range are read and dropped: the readers stream in
 * order, and a task reads its rows once per pass.
 */
export function rowRange(array: ArrayHandle, start: number, end: number): ArrayHandle {
  const cols = array.cols;
  async function* blocks(rowsPerBlock: number): AsyncGenerator<RowBlock> {
    for await (const b of array.blocks(rowsPerBlock)) {
      const from = Math.max(start, b.rowStart);
      const to = Math.min(end, b.rowStart + b.rows);
      if (from < to) {
        const data = b.data.subarray((from - b.rowStart) * cols, (to - b.rowStart) * cols);
        yield { rowStart: from, rows: to - from, cols, data };
      }
      if (b.rowStart + b.rows >= end) return;
    }
  }
  return {
    name: array.name,
    shape: array.shape,
    dtype: array.dtype,
    rows: array.rows,
    cols,
    blocks,
    async read() {
      throw new Error('rowRange: read the rows with blocks()');
    },
  };
}
