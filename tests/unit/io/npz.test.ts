import { describe, expect, it } from 'vitest';
import { openNpz } from '../../../src/core/io/npz.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { readZipDirectory } from '../../../src/core/io/zip.ts';
import { BAD_FIXTURES, countingSource, fixtureSource } from './fixtureFiles.ts';

describe('npz', () => {
  it('lists every array without the .npy suffix and picks them by name', async () => {
    const opened = await openEmbeddingFile(fixtureSource('compressed.npz'));
    expect(opened.arrays.map((a) => a.name)).toEqual(['embeddings', 'labels', 'fortran', 'cube', 'wide']);
    const labels = opened.arrays.find((a) => a.name === 'labels')!;
    expect([labels.rows, labels.cols, labels.dtype]).toEqual([8, 1, 'int64']);
  });

  it('reads stored entries in place by byte range', async () => {
    const source = countingSource(fixtureSource('plain.npz'));
    const opened = await openNpz(source);
    source.ranges.length = 0;
    for await (const _ of opened.arrays[0].blocks(1)) void _;
    // one 4-float row (16 bytes) per block, nothing else
    expect(source.ranges.map(([s, e]) => e - s)).toEqual(Array(8).fill(16));
  });

  it('a declared uncompressed size above the cap is a zip bomb: too-large (ZIP64 directory)', async () => {
    const error = await openEmbeddingFile(fixtureSource('zip_bomb.npz', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'too-large' });
    expect(error.message).toContain('10,737,418,240');
    expect(error.message).toContain('zip_bomb.npz');
  });

  it('the cap is configurable', async () => {
    await expect(openEmbeddingFile(fixtureSource('plain.npz'), { maxEntryBytes: 100 })).rejects.toMatchObject({ kind: 'too-large' });
    await expect(openEmbeddingFile(fixtureSource('compressed.npz'), { maxEntryBytes: 100 })).rejects.toMatchObject({ kind: 'too-large' });
    await expect(openEmbeddingFile(fixtureSource('plain.npz'), { maxEntryBytes: 10_000 })).resolves.toMatchObject({ format: 'npz' });
  });

  it('a deflate stream that outgrows its declared size stops with corrupt-file', async () => {
    const opened = openEmbeddingFile(fixtureSource('inflates_past_declared.npz', BAD_FIXTURES)).then((f) => f.arrays[0].read());
    await expect(opened).rejects.toMatchObject({ kind: 'corrupt-file' });
  });

  it('reads the ZIP64 end-of-central-directory record', async () => {
    const entries = await readZipDirectory(fixtureSource('zip_bomb.npz', BAD_FIXTURES));
    expect(entries).toEqual([expect.objectContaining({ name: 'embeddings.npy', method: 8, uncompressedSize: 10 * 2 ** 30 })]);
  });

  it('truncated archives and zips without arrays are reported', async () => {
    await expect(openEmbeddingFile(fixtureSource('truncated.npz', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'corrupt-file' });
    await expect(openEmbeddingFile(fixtureSource('zip_without_arrays.npz', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'unsupported-format' });
  });
});
