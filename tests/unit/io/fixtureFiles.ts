import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import type { ByteSource, Matrix } from '../../../src/core/io/types.ts';

/** Shared by the io tests: where the fixtures are and how to load them. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'io');
export const BAD_FIXTURES = join(FIXTURES, '..', 'bad');

export interface ExpectedArray {
  name: string;
  shape: number[];
  dtype: string;
  /** row-major float32 values as NumPy converted them; non-finite values as 'NaN' / 'Infinity' / '-Infinity' */
  values: (number | string)[];
  unusable?: string;
}

export interface ExpectedFixture {
  format: string;
  arrays: ExpectedArray[];
}

export function expectedFixtures(): Record<string, ExpectedFixture> {
  return JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, ExpectedFixture>;
}

export function fixtureBytes(name: string, dir = FIXTURES): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(dir, name)));
}

export function fixtureSource(name: string, dir = FIXTURES): ByteSource {
  return bytesByteSource(fixtureBytes(name, dir), name);
}

export function listFixtures(dir: string): string[] {
  return readdirSync(dir).sort();
}

export function expectedValues(values: (number | string)[]): Float32Array {
  return Float32Array.from(values, (v) => (typeof v === 'string' ? Number(v) : v));
}

/** Exact comparison that treats NaN as equal to NaN (Float32Array values). */
export function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(Object.is(a[i], b[i]) || (a[i] === b[i]))) return false;
  return true;
}

/** Concatenates blocks back into a matrix, checking they are consecutive and in order. */
export async function readViaBlocks(blocks: AsyncIterable<{ rowStart: number; rows: number; cols: number; data: Float32Array }>, rows: number, cols: number, rowsPerBlock: number): Promise<Matrix> {
  const data = new Float32Array(rows * cols);
  let next = 0;
  for await (const b of blocks) {
    if (b.rowStart !== next) throw new Error(`block starts at ${b.rowStart}, expected ${next}`);
    if (b.rows > rowsPerBlock || b.rows < 1) throw new Error(`block of ${b.rows} rows with rowsPerBlock ${rowsPerBlock}`);
    if (b.cols !== cols || b.data.length !== b.rows * cols) throw new Error('block has the wrong width');
    data.set(b.data, b.rowStart * cols);
    next += b.rows;
  }
  if (next !== rows) throw new Error(`blocks covered ${next} of ${rows} rows`);
  return { rows, cols, data };
}

/** Wraps a source and records every range asked for, to prove readers read only what they need. */
export function countingSource(source: ByteSource): ByteSource & { ranges: [number, number][] } {
  const ranges: [number, number][] = [];
  return {
    name: source.name,
    byteLength: source.byteLength,
    ranges,
    slice(start: number, end?: number) {
      ranges.push([start, end ?? source.byteLength]);
      return source.slice(start, end);
    },
  };
}

/** Builds a little-endian .npy in memory from a header dict literal and raw data bytes. */
export function npyFile(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  let text = header;
  while ((pre + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const head = new TextEncoder().encode(text);
  const out = new Uint8Array(pre + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, head.length, true);
  else view.setUint32(8, head.length, true);
  out.set(head, pre);
  out.set(data, pre + head.length);
  return out;
}
