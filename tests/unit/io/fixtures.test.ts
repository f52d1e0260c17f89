import { describe, expect, it } from 'vitest';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { fileByteSource } from '../../../src/cli/fileSource.ts';
import { expectedFixtures, expectedValues, FIXTURES, fixtureSource, readViaBlocks, sameValues } from './fixtureFiles.ts';
import { join } from 'node:path';

/**
 * Every fixture written by scripts/make_fixtures.py (NumPy / PyTorch) and make_parquet_fixtures.mjs
 * is opened and compared, value for value, with what NumPy said it holds.
 */
const fixtures = expectedFixtures();

describe.each(Object.entries(fixtures))('%s', (file, spec) => {
  it(`opens as ${spec.format} and lists its arrays in order`, async () => {
    const opened = await openEmbeddingFile(fixtureSource(file));
    expect(opened.format).toBe(spec.format);
    expect(opened.fileName).toBe(file);
    expect(opened.arrays.map((a) => a.name)).toEqual(spec.arrays.map((a) => a.name));
  });

  it.each(spec.arrays.map((a) => [a.name || '(main)', a] as const))('array %s: shape, dtype and values exact', async (_, want) => {
    const opened = await openEmbeddingFile(fixtureSource(file));
    const array = opened.arrays.find((a) => a.name === want.name)!;
    if (want.unusable) {
      expect(array.unusable).toBeTruthy();
      await expect(array.read()).rejects.toMatchObject({ kind: want.unusable });
      return;
    }
    expect(array.shape).toEqual(want.shape);
    expect(array.dtype).toBe(want.dtype);
    expect(array.rows).toBe(want.shape[0]);
    expect(array.cols).toBe(want.shape.slice(1).reduce((p, d) => p * d, 1));
    const m = await array.read();
    expect(m.rows).toBe(array.rows);
    expect(m.cols).toBe(array.cols);
    expect(sameValues(m.data, expectedValues(want.values))).toBe(true);
  });

  it('blocks() equals read() for several block sizes', async () => {
    const opened = await openEmbeddingFile(fixtureSource(file));
    for (const array of opened.arrays.filter((a) => !a.unusable)) {
      const whole = await array.read();
      for (const size of [1, 2, 3, 7, 64, 1000]) {
        const joined = await readViaBlocks(array.blocks(size), array.rows, array.cols, size);
        expect(sameValues(joined.data, whole.data), `${array.name} rowsPerBlock=${size}`).toBe(true);
      }
    }
  });

  it('reads the same through the Node file source', async () => {
    const viaFile = await openEmbeddingFile(await fileByteSource(join(FIXTURES, file)));
    const viaBytes = await openEmbeddingFile(fixtureSource(file));
    for (let i = 0; i < viaBytes.arrays.length; i++) {
      if (viaBytes.arrays[i].unusable) continue;
      expect(sameValues((await viaFile.arrays[i].read()).data, (await viaBytes.arrays[i].read()).data)).toBe(true);
    }
  });
});
