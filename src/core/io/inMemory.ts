import type { ArrayHandle, Matrix, RowBlock } from './types.ts';

/** An ArrayHandle over a matrix already in memory (demo data, tests, row samples). */
export function inMemoryArray(matrix: Matrix, name = '', dtype = 'float32'): ArrayHandle {
  return {
    name,
    shape: [matrix.rows, matrix.cols],
    dtype,
    rows: matrix.rows,
    cols: matrix.cols,
    read: async () => matrix,
    async *blocks(rowsPerBlock: number): AsyncIterable<RowBlock> {
      const step = Math.max(1, Math.floor(rowsPerBlock));
      for (let start = 0; start < matrix.rows; start += step) {
        const rows = Math.min(step, matrix.rows - start);
        yield { rowStart: start, rows, cols: matrix.cols, data: matrix.data.subarray(start * matrix.cols, (start + rows) * matrix.cols) };
      }
    },
  };
}
