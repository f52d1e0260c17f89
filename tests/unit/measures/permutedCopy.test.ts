import { describe, expect, it } from 'vitest';
import { columnSeed, permutedColumns, shuffleColumns } from '../../../src/core/measures/nullBaseline.ts';
import { mulberry32 } from '../../../src/core/measures/mlpRandom.ts';
import type { ArrayHandle, Matrix } from '../../../src/core/io/types.ts';

/** The textbook: each column on its own, Fisher–Yates in place with its seeded generator. */
function textbookShuffle(data: Float32Array, rows: number, cols: number, seed: number, chunk: number): void {
  for (let j = 0; j < cols; j++) {
    const random = mulberry32(columnSeed(seed, chunk, j));
    for (let i = rows - 1; i > 0; i--) {
      const k = Math.floor(random() * (i + 1));
      const t = data[i * cols + j];
      data[i * cols + j] = data[k * cols + j];
      data[k * cols + j] = t;
    }
  }
}

/** An in-memory array that counts the blocks its passes read. */
function countingArray(m: Matrix): ArrayHandle & { blocksRead: number } {
  const handle = {
    name: 'x', shape: [m.rows, m.cols], dtype: 'float32', rows: m.rows, cols: m.cols, blocksRead: 0,
    async read() { return m; },
    async *blocks(n: number) {
      for (let r = 0; r < m.rows; r += n) {
        handle.blocksRead++;
        const c = Math.min(n, m.rows - r);
        yield { rowStart: r, rows: c, cols: m.cols, data: m.data.slice(r * m.cols, (r + c) * m.cols) };
      }
    },
  };
  return handle;
}

const matrix = (rows: number, cols: number): Matrix => ({ rows, cols, data: Float32Array.from({ length: rows * cols }, (_, i) => i) });

describe('the null baseline’s permuted copy', () => {
  it('shuffles each column with the textbook permutation, whatever the column-group edges (cols 1, 16, 37)', () => {
    for (const cols of [1, 16, 37]) {
      const rows = 501;
      const fast = matrix(rows, cols).data;
      const textbook = fast.slice();
      shuffleColumns(fast, rows, cols, 3, 2);
      textbookShuffle(textbook, rows, cols, 3, 2);
      expect(fast).toEqual(textbook);
      expect(fast).not.toEqual(matrix(rows, cols).data);
    }
  });

  it('a copy that is one chunk is shuffled once: later passes read nothing and see the same rows', async () => {
    const source = countingArray(matrix(1000, 24));
    const copy = permutedColumns(source, 0, undefined, 300);
    const first: number[] = [];
    for await (const b of copy.blocks(128)) first.push(...b.data);
    const readOnce = source.blocksRead;
    expect(readOnce).toBe(4); // 1,000 rows in source blocks of 300
    const second: number[] = [];
    for await (const b of copy.blocks(77)) second.push(...b.data);
    expect(source.blocksRead).toBe(readOnce);
    expect(second).toEqual(first);
    expect(Array.from((await copy.read()).data)).toEqual(first);
    const expected = matrix(1000, 24).data;
    textbookShuffle(expected, 1000, 24, 0, 0);
    expect(Float32Array.from(first)).toEqual(expected);
  });

  it('a copy in several chunks is made again on each pass, the same each time', async () => {
    const source = countingArray(matrix(3000, 6));
    const chunked = permutedColumns(source, 0, 4 * 6 * 1500);
    expect(chunked.chunkRows).toBe(1500);
    const a = Array.from((await chunked.read()).data);
    const readOnce = source.blocksRead;
    const b = Array.from((await chunked.read()).data);
    expect(source.blocksRead).toBe(2 * readOnce);
    expect(b).toEqual(a);
  });
});
