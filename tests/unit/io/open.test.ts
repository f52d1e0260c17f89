import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileByteSource } from '../../../src/cli/fileSource.ts';
import { isRedundancyLabError } from '../../../src/core/errors.ts';
import { blobByteSource } from '../../../src/core/io/blobSource.ts';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { sniff } from '../../../src/core/io/sniff.ts';
import { BAD_FIXTURES, FIXTURES, fixtureBytes, fixtureSource } from './fixtureFiles.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('format sniffing by magic bytes', () => {
  it.each([
    ['v1_f4.npy', 'npy'],
    ['plain.npz', 'npz'],
    ['compressed.npz', 'npz'],
    ['tensor.pt', 'torch'],
    ['tensors.safetensors', 'safetensors'],
    ['list_column.parquet', 'parquet'],
    ['savetxt_space.txt', 'text'],
  ])('%s is %s', async (file, format) => {
    expect((await openEmbeddingFile(fixtureSource(file))).format).toBe(format);
  });

  it('ignores the extension: content decides', async () => {
    expect((await openEmbeddingFile(fixtureSource('npy_named.csv', BAD_FIXTURES))).format).toBe('npy');
    expect((await openEmbeddingFile(fixtureSource('csv_named.npy', BAD_FIXTURES))).format).toBe('text');
  });

  it('names what unknown content looks like and lists the supported formats', async () => {
    const error = await openEmbeddingFile(fixtureSource('png_named.npy', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-format' });
    expect(error.message).toContain('PNG');
    expect(error.message).toContain('safetensors');
    expect(sniff(bytes(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a), bytes(), 8)).toMatchObject({ looksLike: expect.stringContaining('HDF5') });
    expect(sniff(bytes(0x1f, 0x8b, 8, 0), bytes(), 4)).toMatchObject({ looksLike: expect.stringContaining('gzip') });
    expect(sniff(bytes(0, 1, 2, 3, 255, 254), bytes(), 6)).toMatchObject({ kind: 'unknown' });
  });

  it('an empty file is reported as such', async () => {
    await expect(openEmbeddingFile(bytesByteSource(new Uint8Array(0), 'e.npy'))).rejects.toThrow(/e\.npy: the file is empty/);
  });

  it('text is printable UTF-8, even when the sniff window cuts a character', () => {
    const text = new TextEncoder().encode('é'.repeat(600));
    expect(sniff(text.subarray(0, 1023), text.subarray(-4), text.length)).toEqual({ kind: 'text' });
    expect(sniff(bytes(0x31, 0x2c, 0x00, 0x32), bytes(), 4)).toMatchObject({ kind: 'unknown' });
  });
});

describe('byte sources', () => {
  it('a Blob source and a file source return the same ranges as the bytes', async () => {
    const data = fixtureBytes('rows_257.npy');
    const blob = blobByteSource(new Blob([data]), 'rows_257.npy');
    const file = await fileByteSource(join(FIXTURES, 'rows_257.npy'));
    expect([blob.byteLength, file.byteLength]).toEqual([data.length, data.length]);
    for (const [s, e] of [[0, 10], [100, 1000], [data.length - 5, data.length], [7, 7]]) {
      expect(new Uint8Array(await blob.slice(s, e))).toEqual(data.subarray(s, e));
      expect(new Uint8Array(await file.slice(s, e))).toEqual(data.subarray(s, e));
    }
    expect(new Uint8Array(await file.slice(data.length - 3))).toEqual(data.subarray(data.length - 3));
  });

  it('a missing path is a bad-option error naming it', async () => {
    const error = await fileByteSource('/nonexistent/emb.npy').catch((e) => e);
    expect(isRedundancyLabError(error)).toBe(true);
    expect(error.message).toContain('/nonexistent/emb.npy');
  });

  it('a Blob opens like the file (browser path)', async () => {
    const opened = await openEmbeddingFile(blobByteSource(new Blob([fixtureBytes('compressed.npz')]), 'compressed.npz'));
    expect(opened.arrays.map((a) => a.name)).toContain('wide');
    expect((await opened.arrays[4].read()).rows).toBe(300);
  });
});

describe('a text file named like a binary format', () => {
  it('says first that it is not a NumPy file and was read as text, then what went wrong', async () => {
    const bytes = new TextEncoder().encode('1,2,3,4,5,6\n7\n8,9,10,11,12,13\n');
    const opened = openEmbeddingFile(bytesByteSource(bytes, 'emb.npy')).then((f) => f.arrays[0].read());
    await expect(opened).rejects.toThrow(/^emb\.npy: this is not a NumPy file \(it does not start with the \\x93NUMPY magic\): its content is text, so it was read as a delimited text file, and .*line 2 has 1 column/);
  });

  it('a sentence renamed .npy is refused when opened (the app shows the message on the file, never "ready")', async () => {
    const bytes = new TextEncoder().encode('this is a text file renamed .npy\n');
    await expect(openEmbeddingFile(bytesByteSource(bytes, 'notes.npy'))).rejects.toThrow(
      /^notes\.npy: this is not a NumPy file .* and it has no rows of numbers: its only line \(7 fields\) reads as a column header — if it should be binary/,
    );
    // the same for a header-only CSV, without the preface
    await expect(openEmbeddingFile(bytesByteSource(new TextEncoder().encode('a,b,c\n'), 'h.csv'))).rejects.toThrow(/^h\.csv: it has no rows of numbers/);
  });

  it('a well-formed CSV named .npy still reads (the content decides)', async () => {
    const bytes = new TextEncoder().encode('1,2\n3,4\n5,6\n');
    const m = await (await openEmbeddingFile(bytesByteSource(bytes, 'emb.npy'))).arrays[0].read();
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
