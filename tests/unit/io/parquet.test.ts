import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { NUMERIC_COLUMNS } from '../../../src/core/io/parquet.ts';
import { BAD_FIXTURES, fixtureSource } from './fixtureFiles.ts';

describe('parquet', () => {
  it('offers the list column and each integer column', async () => {
    const opened = await openEmbeddingFile(fixtureSource('list_column.parquet'));
    expect(opened.arrays.map((a) => [a.name, a.shape, a.dtype])).toEqual([
      ['embedding', [10, 4], 'float32'],
      ['label', [10], 'int32'],
    ]);
  });

  it('all numeric columns form one matrix; a label-named integer column stays out of it', async () => {
    const opened = await openEmbeddingFile(fixtureSource('numeric_columns.parquet'));
    const matrix = opened.arrays.find((a) => a.name === NUMERIC_COLUMNS)!;
    expect(matrix.cols).toBe(4); // a, b, c, id — not target, not word
    expect(opened.arrays.map((a) => a.name)).toEqual([NUMERIC_COLUMNS, 'id', 'target', 'word']);
  });

  it('a non-numeric column is listed as unusable and reading it is a clear error', async () => {
    const opened = await openEmbeddingFile(fixtureSource('non_numeric_column.parquet', BAD_FIXTURES));
    const text = opened.arrays.find((a) => a.name === 'text')!;
    expect(text.unusable).toMatch(/column text holds UTF8 values/);
    await expect(text.read()).rejects.toMatchObject({ kind: 'unsupported-dtype' });
    await expect(opened.arrays.find((a) => a.name === 'embedding')!.read()).resolves.toMatchObject({ rows: 6, cols: 3 });
  });

  it('a file with only text columns cannot be opened for embeddings', async () => {
    await expect(openEmbeddingFile(fixtureSource('only_text.parquet', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'unsupported-dtype' });
  });

  it('vectors of different lengths are corrupt-file naming the row', async () => {
    const opened = await openEmbeddingFile(fixtureSource('ragged_list.parquet', BAD_FIXTURES));
    await expect(opened.arrays[0].read()).rejects.toThrow(/row 2 of column embedding has 2 values but the first row has 3/);
  });

  it('codecs hyparquet cannot decode are refused on open, naming the codec', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [{ name: 'x', data: [1, 2, 3], type: 'DOUBLE' }],
      codec: 'GZIP',
      compressors: { GZIP: (bytes: Uint8Array) => bytes },
    });
    const error = await openEmbeddingFile(bytesByteSource(new Uint8Array(buffer), 'z.parquet')).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-format' });
    expect(error.message).toContain('GZIP');
  });

  it('truncated files are corrupt-file', async () => {
    await expect(openEmbeddingFile(fixtureSource('truncated.parquet', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'corrupt-file' });
  });
});
