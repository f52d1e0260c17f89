import { RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { decodeToFloat32, ITEM_SIZE, type NumericDType } from './dtypes.ts';
import { CHUNK_BYTES, MAX_READ_ELEMENTS } from './limits.ts';
import type { ArrayHandle, ByteSource, Matrix, RowBlock } from './types.ts';

/** Where a fixed-layout array lives inside a source: shared by npy, npz, safetensors and torch. */
export interface DenseArraySpec {
  /** the bytes the array lives in; errors are reported against `source.name` */
  readonly source: ByteSource;
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: NumericDType;
  readonly littleEndian: boolean;
  /** byte offset of element [0, 0, …] inside `source` */
  readonly byteOffset: number;
  /** element strides per dimension; omitted = C-contiguous (row-major) */
  readonly strides?: readonly number[];
}

/** How messages name an array: 'array labels', or 'the array' for a file that holds just one. */
export function arrayLabel(name: string): string {
  return name ? `array ${name}` : 'the array';
}

export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

export function cStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** rows = shape[0], cols = the rest flattened (1 for a 1-D array). */
export function rowsAndCols(shape: readonly number[]): { rows: number; cols: number } {
  return { rows: shape[0] ?? 0, cols: product(shape.slice(1)) };
}

export function checkRowsPerBlock(rowsPerBlock: number, file: string): void {
  if (!Number.isInteger(rowsPerBlock) || rowsPerBlock < 1) {
    throw new RedundancyLabError('bad-option', `rows per block must be a positive integer, got ${rowsPerBlock}`, file);
  }
}

export function checkReadable(rows: number, cols: number, file: string, arrayName: string): void {
  if (rows * cols > MAX_READ_ELEMENTS) {
    throw new RedundancyLabError(
      'too-large',
      `${arrayLabel(arrayName)} has ${rows.toLocaleString('en-US')} × ${cols.toLocaleString('en-US')} values, more than the ${MAX_READ_ELEMENTS.toLocaleString('en-US')} we hold in memory at once; read it in blocks or subsample it`,
      file,
    );
  }
}

/** A whole matrix assembled from a block stream (so `read()` never needs a second code path). */
export async function collectBlocks(handle: Pick<ArrayHandle, 'rows' | 'cols' | 'blocks' | 'name'>, file: string, rowsPerBlock: number): Promise<Matrix> {
  checkReadable(handle.rows, handle.cols, file, handle.name);
  const data = new Float32Array(handle.rows * handle.cols);
  for await (const block of handle.blocks(rowsPerBlock)) data.set(block.data, block.rowStart * handle.cols);
  return { rows: handle.rows, cols: handle.cols, data };
}

function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  const c = cStrides(shape);
  return shape.every((d, i) => d <= 1 || strides[i] === c[i]);
}

/** Bytes the array needs in its source, so a header that lies about the shape is caught on open. */
function checkFits(spec: DenseArraySpec, strides: readonly number[]): void {
  const size = ITEM_SIZE[spec.dtype];
  const n = product(spec.shape);
  if (n === 0) return;
  let maxIndex = 0;
  for (let i = 0; i < spec.shape.length; i++) {
    if (strides[i] < 0) throw new RedundancyLabError('corrupt-file', `${arrayLabel(spec.name)} has a negative stride`, spec.source.name);
    maxIndex += (spec.shape[i] - 1) * strides[i];
  }
  const needed = spec.byteOffset + (maxIndex + 1) * size;
  if (needed > spec.source.byteLength) {
    const have = Math.max(0, spec.source.byteLength - spec.byteOffset);
    throw new RedundancyLabError(
      'corrupt-file',
      `${arrayLabel(spec.name)} of shape (${spec.shape.join(', ')}) ${spec.dtype} needs ${((maxIndex + 1) * size).toLocaleString('en-US')} bytes of data but only ${have.toLocaleString('en-US')} are there; the file is truncated or its header is wrong — re-save it`,
      spec.source.name,
    );
  }
}

/** Builds the ArrayHandle for a fixed-layout array, validating its extent first. */
export function denseArray(spec: DenseArraySpec, dtypeLabel: string = spec.dtype): ArrayHandle {
  const strides = spec.strides ?? cStrides(spec.shape);
  checkFits(spec, strides);
  const { rows, cols } = rowsAndCols(spec.shape);
  const file = spec.source.name;
  const contiguous = isCContiguous(spec.shape, strides);
  const blocks = contiguous ? contiguousBlocks(spec, rows, cols) : stridedBlocks(spec, strides, rows, cols);
  const handle: ArrayHandle = {
    name: spec.name,
    shape: [...spec.shape],
    dtype: dtypeLabel,
    rows,
    cols,
    blocks,
    read: () => collectBlocks(handle, file, Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, cols * ITEM_SIZE[spec.dtype])))),
  };
  return handle;
}

/** C-order rows are consecutive byte ranges: read just those. */
function contiguousBlocks(spec: DenseArraySpec, rows: number, cols: number) {
  const size = ITEM_SIZE[spec.dtype];
  const rowBytes = cols * size;
  return async function* (rowsPerBlock: number): AsyncGenerator<RowBlock> {
    checkRowsPerBlock(rowsPerBlock, spec.source.name);
    for (let r = 0; r < rows; r += rowsPerBlock) {
      const n = Math.min(rowsPerBlock, rows - r);
      const start = spec.byteOffset + r * rowBytes;
      const bytes = await readRange(spec.source, start, start + n * rowBytes, `rows ${r}–${r + n - 1} of ${spec.name || 'the array'}`);
      const data = new Float32Array(n * cols);
      decodeToFloat32(bytes, spec.dtype, spec.littleEndian, n * cols, data);
      yield { rowStart: r, rows: n, cols, data };
    }
  };
}

/**
 * Fortran order, transposed or sliced torch views: the elements of one row are scattered,
 * so we read the whole span they occupy once and gather rows from it.
 */
function stridedBlocks(spec: DenseArraySpec, strides: readonly number[], rows: number, cols: number) {
  const size = ITEM_SIZE[spec.dtype];
  const inner = spec.shape.slice(1);
  const innerStrides = strides.slice(1);
  let maxIndex = 0;
  spec.shape.forEach((d, i) => (maxIndex += (d - 1) * strides[i]));
  const span = rows * cols === 0 ? 0 : maxIndex + 1;
  return async function* (rowsPerBlock: number): AsyncGenerator<RowBlock> {
    checkRowsPerBlock(rowsPerBlock, spec.source.name);
    if (span > MAX_READ_ELEMENTS) checkReadable(span, 1, spec.source.name, spec.name);
    const bytes = await readRange(spec.source, spec.byteOffset, spec.byteOffset + span * size, spec.name || 'the array');
    const values = new Float32Array(span);
    decodeToFloat32(bytes, spec.dtype, spec.littleEndian, span, values);
    const offsets = innerOffsets(inner, innerStrides);
    for (let r = 0; r < rows; r += rowsPerBlock) {
      const n = Math.min(rowsPerBlock, rows - r);
      const data = new Float32Array(n * cols);
      for (let i = 0; i < n; i++) {
        const base = (r + i) * (strides[0] ?? 0);
        for (let j = 0; j < cols; j++) data[i * cols + j] = values[base + offsets[j]];
      }
      yield { rowStart: r, rows: n, cols, data };
    }
  };
}

/** Element offsets of one row's entries, in C order over the inner dimensions. */
function innerOffsets(inner: readonly number[], strides: readonly number[]): Float64Array {
  const cols = product(inner);
  const out = new Float64Array(cols);
  const index = new Array<number>(inner.length).fill(0);
  let offset = 0;
  for (let j = 0; j < cols; j++) {
    out[j] = offset;
    // odometer: bump the last dimension, carry leftwards
    for (let k = inner.length - 1; k >= 0; k--) {
      index[k]++;
      offset += strides[k];
      if (index[k] < inner[k]) break;
      offset -= strides[k] * inner[k];
      index[k] = 0;
    }
  }
  return out;
}
