/**
 * Streaming: the measures read rows in blocks through the byte-range interface, so a file several times
 * larger than the configured block budget is measured without ever being in memory, with the same numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import type { ByteSource } from '../../../src/core/io/types.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';
import { useTestBackend } from '../helpers/backend.ts';

const LINEAR: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac', 'lr'] };
beforeAll(useTestBackend);

/** A .npy v1 header for a C-order float32 (rows, cols) array. */
function npyHeader(rows: number, cols: number): Uint8Array {
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
  out.set(new TextEncoder().encode(dict), 10);
  return out;
}

/**
 * A .npy file that exists only as a function of the byte offset: values are a deterministic mix of
 * a few latent signals, so nothing but the slices asked for is ever allocated. Records every slice.
 */
function virtualNpy(rows: number, cols: number): ByteSource & { largestSlice: number; bytesServed: number } {
  const header = npyHeader(rows, cols);
  const value = (k: number) => {
    const r = Math.floor(k / cols);
    const c = k % cols;
    return Math.sin(r * 0.013 * (1 + (c % 5))) + 0.5 * Math.cos(r * 0.7 + c) + ((Math.imul(k, 2654435761) >>> 0) / 2 ** 32 - 0.5);
  };
  const source: ByteSource & { largestSlice: number; bytesServed: number } = {
    name: 'virtual.npy',
    byteLength: header.length + rows * cols * 4,
    largestSlice: 0,
    bytesServed: 0,
    async slice(start: number, end = source.byteLength): Promise<ArrayBuffer> {
      source.largestSlice = Math.max(source.largestSlice, end - start);
      source.bytesServed += end - start;
      const out = new Uint8Array(end - start);
      const view = new DataView(out.buffer);
      for (let b = start; b < end; ) {
        if (b < header.length) {
          out[b - start] = header[b];
          b++;
          continue;
        }
        const k = Math.floor((b - header.length) / 4);
        const tmp = new DataView(new ArrayBuffer(4));
        tmp.setFloat32(0, value(k), true);
        const within = (b - header.length) % 4;
        for (let i = within; i < 4 && b < end; i++, b++) view.setUint8(b - start, tmp.getUint8(i));
      }
      return out.buffer;
    },
  };
  return source;
}

describe('streaming row blocks', () => {
  it('many small blocks give the same AAC and LR as one in-memory block (float64 sums: 1e-12)', async () => {
    const m = correlatedGaussian(600, 12, 31, 1.2);
    const whole = await measureArray(inMemoryArray(m), 'm.npy', LINEAR);
    const streamed = await measureArray(inMemoryArray(m), 'm.npy', LINEAR, { blockBytes: 37 * 12 * 4 }); // 37-row blocks
    expect(Math.abs(streamed.aac!.value - whole.aac!.value)).toBeLessThan(1e-12);
    // float64 sums: other block edges change only the rounding (a wrong or missing row moves a per-dim R² by ~1e-2);
    // the null baseline's permuted copy is the same whatever the block size
    whole.lr!.perDim.forEach((v, j) => expect(Math.abs(streamed.lr!.perDim[j]! - v!)).toBeLessThan(1e-12));
    expect(Math.abs(streamed.reliability!.lrNull! - whole.reliability!.lrNull!)).toBeLessThan(1e-12);
  });

  it('a file 8× the block budget is measured from byte ranges no larger than the budget', async () => {
    const rows = 40_000;
    const cols = 50;
    const budget = 1 << 20; // 1 MiB blocks; the file is 8 MB
    const source = virtualNpy(rows, cols);
    const opened = await openEmbeddingFile(source);
    const r = await measureArray(opened.arrays[0], source.name, LINEAR, { blockBytes: budget });
    expect(source.byteLength).toBeGreaterThan(7.5 * budget);
    expect(source.largestSlice).toBeLessThanOrEqual(budget);
    expect(r.n).toBe(rows);
    expect(Number.isFinite(r.aac!.value) && Number.isFinite(r.lr!.value)).toBe(true);
    // the same numbers as the in-memory path on the same bytes
    const all = await opened.arrays[0].read();
    const inMemory = await measureArray(inMemoryArray(all), source.name, LINEAR);
    expect(Math.abs(inMemory.aac!.value - r.aac!.value)).toBeLessThan(1e-6);
    expect(Math.abs(inMemory.lr!.value - r.lr!.value)).toBeLessThan(1e-6);
  });
});
