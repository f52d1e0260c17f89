/**
 * Several files holding rows of one embedding set (e.g. one per data-parallel rank) measured as one array:
 * rows are the shards' rows in the order given, streamed shard by shard, never concatenated in memory
 * unless a caller asks for read().
 */
import { RedundancyLabError } from '../errors.ts';
import type { ArrayHandle, Matrix, RowBlock } from './types.ts';

export interface Shard {
  fileName: string;
  array: ArrayHandle;
}

export function concatenateShards(shards: readonly Shard[]): ArrayHandle {
  if (shards.length === 0) throw new RedundancyLabError('bad-option', 'no shards to measure');
  const [first] = shards;
  for (const s of shards) {
    if (s.array.unusable) throw new RedundancyLabError('bad-shape', s.array.unusable, s.fileName);
    if (s.array.cols !== first.array.cols) {
      throw new RedundancyLabError(
        'bad-shape',
        `has ${s.array.cols.toLocaleString('en-US')} dims but ${first.fileName} has ${first.array.cols.toLocaleString('en-US')}; shards of one set must have the same D`,
        s.fileName,
      );
    }
  }
  const cols = first.array.cols;
  const rows = shards.reduce((n, s) => n + s.array.rows, 0);
  const dtypes = [...new Set(shards.map((s) => s.array.dtype))];
  return {
    name: first.array.name,
    shape: [rows, cols],
    dtype: dtypes.join('+'),
    rows,
    cols,
    async read(): Promise<Matrix> {
      const data = new Float32Array(rows * cols);
      let offset = 0;
      for (const s of shards) {
        const m = await s.array.read();
        data.set(m.data, offset);
        offset += m.data.length;
      }
      return { rows, cols, data };
    },
    async *blocks(rowsPerBlock: number): AsyncIterable<RowBlock> {
      let before = 0;
      for (const s of shards) {
        for await (const block of s.array.blocks(rowsPerBlock)) yield { rows: block.rows, cols, data: block.data, rowStart: before + block.rowStart };
        before += s.array.rows;
      }
    },
  };
}
