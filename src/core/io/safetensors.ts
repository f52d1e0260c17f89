import { RedundancyLabError } from '../errors.ts';
import { readRange, subByteSource } from './byteRange.ts';
import { denseArray, product } from './denseArray.ts';
import { ITEM_SIZE, type NumericDType } from './dtypes.ts';
import { MAX_SAFETENSORS_HEADER_BYTES } from './limits.ts';
import type { ArrayHandle, ByteSource, OpenedFile } from './types.ts';
import { unusableArray } from './unusableArray.ts';

/** safetensors dtype names → ours. Data is always little-endian and C-contiguous. */
const DTYPES: Record<string, NumericDType> = {
  F16: 'float16',
  BF16: 'bfloat16',
  F32: 'float32',
  F64: 'float64',
  I8: 'int8',
  I16: 'int16',
  I32: 'int32',
  I64: 'int64',
  U8: 'uint8',
  U16: 'uint16',
  U32: 'uint32',
  U64: 'uint64',
  BOOL: 'bool',
};

/** True when the first bytes are an 8-byte little-endian length followed by `{`. */
export function looksLikeSafetensors(head: Uint8Array, byteLength: number): boolean {
  if (head.length < 9 || head[8] !== 0x7b) return false;
  const length = safetensorsHeaderLength(head);
  return length >= 2 && 8 + length <= byteLength;
}

/** The u64 little-endian JSON header length that opens a safetensors file. */
export function safetensorsHeaderLength(head: Uint8Array): number {
  const view = new DataView(head.buffer, head.byteOffset, 8);
  return view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
}

interface TensorInfo {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function corrupt(file: string, what: string): RedundancyLabError {
  return new RedundancyLabError('corrupt-file', `the safetensors file is damaged: ${what}; re-save it with safetensors.save_file`, file);
}

export async function openSafetensors(source: ByteSource): Promise<OpenedFile> {
  const file = source.name;
  const lengthBytes = await readRange(source, 0, 8, 'safetensors header length');
  const lv = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8);
  const headerLength = lv.getUint32(0, true) + lv.getUint32(4, true) * 2 ** 32;
  if (headerLength > MAX_SAFETENSORS_HEADER_BYTES) throw corrupt(file, `the JSON header claims ${headerLength} bytes (the format allows 100 MB)`);
  const headerBytes = await readRange(source, 8, 8 + headerLength, 'safetensors JSON header');
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as Record<string, unknown>;
  } catch (e) {
    throw corrupt(file, `the JSON header does not parse (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt(file, 'the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const data = subByteSource(source, dataStart, source.byteLength);
  const arrays: ArrayHandle[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    arrays.push(tensorArray(data, name, checkInfo(value, name, file)));
  }
  if (arrays.length === 0) throw new RedundancyLabError('bad-shape', 'the safetensors file holds no tensors', file);
  return { fileName: file, byteLength: source.byteLength, format: 'safetensors', arrays };
}

function checkInfo(value: unknown, name: string, file: string): TensorInfo {
  const v = value as Partial<TensorInfo> | null;
  const ok =
    typeof v === 'object' && v !== null &&
    typeof v.dtype === 'string' &&
    Array.isArray(v.shape) && v.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    Array.isArray(v.data_offsets) && v.data_offsets.length === 2 && v.data_offsets.every((d) => Number.isSafeInteger(d) && d >= 0);
  if (!ok) throw corrupt(file, `tensor ${name} lacks a valid dtype, shape or data_offsets`);
  return v as TensorInfo;
}

function tensorArray(data: ByteSource, name: string, info: TensorInfo): ArrayHandle {
  const file = data.name;
  const dtype = DTYPES[info.dtype];
  if (!dtype) {
    const error = new RedundancyLabError('unsupported-dtype', `tensor ${name} has dtype ${info.dtype}; we read F16, BF16, F32, F64, integer and BOOL tensors — convert it with .float() before saving`, file);
    return unusableArray(name, info.shape, info.dtype, error);
  }
  const [begin, end] = info.data_offsets;
  const expected = product(info.shape) * ITEM_SIZE[dtype];
  if (end < begin || end > data.byteLength) {
    throw corrupt(file, `tensor ${name} claims data bytes ${begin}–${end} but the data section has ${data.byteLength} bytes`);
  }
  if (end - begin !== expected) {
    throw corrupt(file, `tensor ${name} of shape (${info.shape.join(', ')}) ${info.dtype} needs ${expected} bytes but its offsets span ${end - begin}`);
  }
  if (info.shape.length === 0) {
    return unusableArray(name, [], dtype, new RedundancyLabError('bad-shape', `tensor ${name} is a single number (0-D); embeddings need shape (N, D)`, file));
  }
  return denseArray({ source: data, name, shape: info.shape, dtype, littleEndian: true, byteOffset: begin });
}
