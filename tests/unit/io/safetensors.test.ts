import { describe, expect, it } from 'vitest';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { BAD_FIXTURES, countingSource, fixtureSource } from './fixtureFiles.ts';

function safetensors(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('skips __metadata__ and lists tensors in header order', async () => {
    const opened = await openEmbeddingFile(fixtureSource('tensors.safetensors'));
    expect(opened.arrays.map((a) => a.name)).toEqual(['f32', 'f16', 'bf16', 'f64', 'labels', 'cube']);
  });

  it('blocks read only the rows asked for', async () => {
    const source = countingSource(fixtureSource('tensors.safetensors'));
    const opened = await openEmbeddingFile(source);
    source.ranges.length = 0;
    for await (const _ of opened.arrays.find((a) => a.name === 'f64')!.blocks(2)) void _;
    expect(source.ranges.map(([s, e]) => e - s)).toEqual([64, 64, 64]);
  });

  it('offsets beyond the data section are corrupt-file', async () => {
    const error = await openEmbeddingFile(fixtureSource('offsets_out_of_range.safetensors', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'corrupt-file' });
    expect(error.message).toMatch(/0–4800.*48 bytes/);
  });

  it('offsets that do not span shape × itemsize are corrupt-file', async () => {
    const bytes = safetensors({ x: { dtype: 'F32', shape: [2, 2], data_offsets: [4, 16] } }, new Uint8Array(16));
    await expect(openEmbeddingFile(bytesByteSource(bytes, 'x.safetensors'))).rejects.toMatchObject({ kind: 'corrupt-file' });
    const reversed = safetensors({ x: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, new Uint8Array(16));
    await expect(openEmbeddingFile(bytesByteSource(reversed, 'x.safetensors'))).rejects.toMatchObject({ kind: 'corrupt-file' });
  });

  it('a header length past the end of file is corrupt-file (truncated)', async () => {
    await expect(openEmbeddingFile(fixtureSource('header_length_lies.safetensors', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'corrupt-file' });
  });

  it('float8 and other unknown dtypes are unsupported-dtype naming the dtype', async () => {
    const error = await openEmbeddingFile(fixtureSource('f8_dtype.safetensors', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-dtype' });
    expect(error.message).toContain('F8_E4M3');
  });

  it('reads unsigned and bool tensors', async () => {
    const data = new Uint8Array([1, 0, 0, 1, 255, 0, 7, 0]);
    const bytes = safetensors({ b: { dtype: 'BOOL', shape: [2, 2], data_offsets: [0, 4] }, u: { dtype: 'U16', shape: [2], data_offsets: [4, 8] } }, data);
    const opened = await openEmbeddingFile(bytesByteSource(bytes, 'x.safetensors'));
    expect(Array.from((await opened.arrays[0].read()).data)).toEqual([1, 0, 0, 1]);
    expect(Array.from((await opened.arrays[1].read()).data)).toEqual([255, 7]);
  });
});
