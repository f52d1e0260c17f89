import { describe, expect, it } from 'vitest';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { npyDType, openNpy, parseNpyHeader } from '../../../src/core/io/npy.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { BAD_FIXTURES, countingSource, fixtureSource, npyFile } from './fixtureFiles.ts';

describe('npy header', () => {
  it('parses the dict NumPy writes, including Python 2 long suffixes and double quotes', () => {
    const h = parseNpyHeader(npyFile(`{"descr": ">i8", "fortran_order": True, "shape": (3L, 4L), }`), 'x.npy');
    expect(h).toMatchObject({ version: 1, descr: '>i8', fortranOrder: true, shape: [3, 4] });
    expect(parseNpyHeader(npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }`, undefined, 2), 'x.npy').shape).toEqual([5]);
    expect(parseNpyHeader(npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (), }`), 'x.npy').shape).toEqual([]);
  });

  it('maps descr strings to dtypes and names unsupported ones', () => {
    expect(npyDType('<f2', 'x.npy')).toEqual({ dtype: 'float16', littleEndian: true });
    expect(npyDType('>u4', 'x.npy')).toEqual({ dtype: 'uint32', littleEndian: false });
    expect(npyDType('|b1', 'x.npy')).toEqual({ dtype: 'bool', littleEndian: true });
    for (const [descr, word] of [['<c8', 'complex'], ['|O', 'objects'], ['<U5', 'unicode'], ['|S3', 'byte strings'], ['<M8[ns]', 'unsupported'], ['<f16', 'unsupported']]) {
      let error: unknown;
      try {
        npyDType(descr, 'x.npy', 'emb');
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ kind: 'unsupported-dtype' });
      expect((error as Error).message).toContain(descr);
      expect((error as Error).message).toContain(word);
      expect((error as Error).message).toContain('x.npy');
    }
  });

  it('rejects a header that is not the NumPy dict', () => {
    expect(() => parseNpyHeader(npyFile(`{'descr': '<f4'}`), 'x.npy')).toThrow(/descr, fortran_order, shape/);
    expect(() => parseNpyHeader(npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (-3, 4), }`), 'x.npy')).toThrow(/invalid shape/);
  });
});

describe('npy arrays', () => {
  it('0-D arrays are a bad-shape error', async () => {
    const bytes = npyFile(`{'descr': '<f4', 'fortran_order': False, 'shape': (), }`, new Uint8Array(4));
    await expect(openEmbeddingFile(bytesByteSource(bytes, 'scalar.npy'))).rejects.toMatchObject({ kind: 'bad-shape' });
  });

  it('1-D arrays read as rows × 1 (a labels array)', async () => {
    const data = new Uint8Array(new Int32Array([3, 1, 2]).buffer);
    const opened = await openNpy(bytesByteSource(npyFile(`{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }`, data), 'labels.npy'));
    const a = opened.arrays[0];
    expect([a.rows, a.cols, a.shape]).toEqual([3, 1, [3]]);
    expect(Array.from((await a.read()).data)).toEqual([3, 1, 2]);
  });

  it('a header promising more data than the file holds says expected vs actual bytes', async () => {
    const bytes = npyFile(`{'descr': '<f8', 'fortran_order': False, 'shape': (100, 3), }`, new Uint8Array(24));
    const error = await openNpy(bytesByteSource(bytes, 'lies.npy')).catch((e) => e);
    expect(error).toMatchObject({ kind: 'corrupt-file' });
    expect(error.message).toContain('2,400 bytes');
    expect(error.message).toContain('only 24');
    expect(error.message).toMatch(/^lies\.npy: /);
  });

  it('truncated fixture from NumPy is corrupt-file', async () => {
    await expect(openEmbeddingFile(fixtureSource('truncated.npy', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'corrupt-file' });
  });

  it('unknown format versions are refused', async () => {
    await expect(openEmbeddingFile(fixtureSource('version_9.npy', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'unsupported-format' });
  });

  it('blocks() of a C-order array reads only the byte ranges of its rows', async () => {
    const source = countingSource(fixtureSource('rows_257.npy'));
    const opened = await openNpy(source);
    const headerEnd = source.byteLength - 257 * 3 * 4;
    source.ranges.length = 0;
    for await (const block of opened.arrays[0].blocks(10)) {
      expect(block.rows).toBeLessThanOrEqual(10);
    }
    expect(source.ranges.length).toBe(26);
    source.ranges.forEach(([start, end], i) => {
      expect(start).toBe(headerEnd + i * 10 * 12);
      expect(end - start).toBe(Math.min(10, 257 - i * 10) * 12);
    });
  });

  it('rowsPerBlock must be a positive integer', async () => {
    const opened = await openNpy(fixtureSource('v1_f4.npy'));
    const consume = async (n: number) => {
      for await (const _ of opened.arrays[0].blocks(n)) void _;
    };
    await expect(consume(0)).rejects.toMatchObject({ kind: 'bad-option' });
    await expect(consume(1.5)).rejects.toMatchObject({ kind: 'bad-option' });
  });

  it('opening reads the header only, not the data', async () => {
    const source = countingSource(fixtureSource('rows_257.npy'));
    await openEmbeddingFile(source);
    const bytesRead = source.ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
    // sniffing reads the first KiB; the header is re-read exactly
    expect(source.ranges.every(([s, e]) => e - s <= 1024)).toBe(true);
    expect(bytesRead).toBeLessThan(1024 + 256);
  });
});
