import { RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { cStrides, denseArray } from './denseArray.ts';
import type { NumericDType } from './dtypes.ts';
import type { ArrayHandle, ByteSource, OpenedFile } from './types.ts';
import { unusableArray } from './unusableArray.ts';

/** `\x93NUMPY` */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Header lengths above this are not written by NumPy (it pads to 64 bytes); refuse rather than allocate. */
const MAX_HEADER_BYTES = 16 * 2 ** 20;

export interface NpyHeader {
  readonly version: number;
  /** the dtype string as stored, e.g. '<f4' or a structured-dtype list */
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
  /** byte offset of the first data byte */
  readonly dataOffset: number;
}

export interface NpyDType {
  readonly dtype: NumericDType;
  readonly littleEndian: boolean;
}

export function hasNpyMagic(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

/** Bytes needed to know the header length: magic (6) + version (2) + length field (2 or 4). */
export const NPY_PREAMBLE_BYTES = 12;

/** From the first 12 bytes: where the header ends (so callers can fetch exactly that much). */
export function npyHeaderEnd(preamble: Uint8Array, file: string): number {
  if (preamble.length < 10 || !hasNpyMagic(preamble)) {
    throw new RedundancyLabError('corrupt-file', 'not a NumPy .npy array (the \\x93NUMPY magic is missing or cut off)', file);
  }
  const view = new DataView(preamble.buffer, preamble.byteOffset, preamble.byteLength);
  const major = preamble[6];
  if (major === 1) return 10 + view.getUint16(8, true);
  if (major === 2 || major === 3) {
    if (preamble.length < 12) throw new RedundancyLabError('corrupt-file', 'the .npy header is cut off', file);
    const length = view.getUint32(8, true);
    if (length > MAX_HEADER_BYTES) {
      throw new RedundancyLabError('corrupt-file', `the .npy header claims ${length.toLocaleString('en-US')} bytes, far more than NumPy writes; the file is damaged`, file);
    }
    return 12 + length;
  }
  throw new RedundancyLabError('unsupported-format', `.npy format version ${major}.${preamble[7]} is not supported (we read versions 1, 2 and 3); re-save with np.save`, file);
}

/** Parses the Python-literal header dict (`{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`). */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const dataOffset = npyHeaderEnd(bytes, file);
  if (bytes.length < dataOffset) throw new RedundancyLabError('corrupt-file', 'the .npy header is cut off', file);
  const version = bytes[6];
  const start = version === 1 ? 10 : 12;
  // v1/v2 headers are latin-1, v3 headers UTF-8 (field names of structured dtypes)
  const text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, dataOffset));
  const structured = /['"]descr['"]\s*:\s*\[/.test(text);
  const descrMatch = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortranMatch = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if ((!descrMatch && !structured) || !fortranMatch || !shapeMatch) {
    throw new RedundancyLabError('corrupt-file', `the .npy header is not the dict NumPy writes (descr, fortran_order, shape): ${JSON.stringify(text.slice(0, 120))}`, file);
  }
  const shape = shapeMatch[1]
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) {
    throw new RedundancyLabError('corrupt-file', `the .npy header has an invalid shape (${shapeMatch[1]})`, file);
  }
  return { version, descr: structured ? '[structured]' : descrMatch![1], fortranOrder: fortranMatch[1] === 'True', shape, dataOffset };
}

const NUMERIC_KINDS: Record<string, Partial<Record<number, NumericDType>>> = {
  f: { 2: 'float16', 4: 'float32', 8: 'float64' },
  i: { 1: 'int8', 2: 'int16', 4: 'int32', 8: 'int64' },
  u: { 1: 'uint8', 2: 'uint16', 4: 'uint32', 8: 'uint64' },
  b: { 1: 'bool' },
};

const UNSUPPORTED_KINDS: Record<string, string> = {
  c: 'complex numbers',
  O: 'Python objects (needs pickle; often a list of vectors of different lengths)',
  U: 'unicode strings',
  S: 'byte strings',
  a: 'byte strings',
  V: 'raw void records',
  M: 'datetimes',
  m: 'timedeltas',
};

/** Maps a NumPy descr such as '<f4' or '>i8' to our dtype, or explains why it is not numeric. */
export function npyDType(descr: string, file: string, arrayName = ''): NpyDType {
  const what = arrayName ? `array ${arrayName}` : 'the array';
  const m = /^([<>|=])?([a-zA-Z])(\d*)$/.exec(descr);
  const dtype = m ? NUMERIC_KINDS[m[2]]?.[Number(m[3] || 1)] : undefined;
  if (m && dtype) return { dtype, littleEndian: m[1] !== '>' };
  const kind = m && UNSUPPORTED_KINDS[m[2]] ? UNSUPPORTED_KINDS[m[2]] : 'an unsupported dtype';
  const has = descr === '[structured]' ? 'a structured (record) dtype' : `dtype '${descr}' (${kind})`;
  throw new RedundancyLabError(
    'unsupported-dtype',
    `${what} has ${has}; we read float16/32/64, signed and unsigned integers and bool — convert with arr.astype(np.float32) and save again`,
    file,
  );
}

/** The ArrayHandle of an .npy held by `source` (a whole file, or a stored npz entry). */
export async function npyArray(source: ByteSource, name: string): Promise<ArrayHandle> {
  const preamble = await readRange(source, 0, Math.min(source.byteLength, NPY_PREAMBLE_BYTES), 'the .npy header');
  const end = npyHeaderEnd(preamble, source.name);
  const header = parseNpyHeader(await readRange(source, 0, end, 'the .npy header'), source.name);
  return npyArrayFromHeader(source, name, header);
}

export function npyArrayFromHeader(source: ByteSource, name: string, header: NpyHeader): ArrayHandle {
  let dt: NpyDType;
  try {
    dt = npyDType(header.descr, source.name, name);
  } catch (e) {
    return unusableArray(name, header.shape, header.descr, e as RedundancyLabError);
  }
  if (header.shape.length === 0) {
    const error = new RedundancyLabError(
      'bad-shape',
      `${name ? `array ${name}` : 'the array'} is a single number (a 0-D array); embeddings need shape (N, D) — check what was passed to np.save`,
      source.name,
    );
    return unusableArray(name, [], dt.dtype, error);
  }
  // Fortran order = strides reversed; denseArray gathers it into row-major
  const strides = header.fortranOrder ? cStrides([...header.shape].reverse()).reverse() : undefined;
  return denseArray({ source, name, shape: header.shape, dtype: dt.dtype, littleEndian: dt.littleEndian, byteOffset: header.dataOffset, strides });
}

export async function openNpy(source: ByteSource): Promise<OpenedFile> {
  const array = await npyArray(source, '');
  return { fileName: source.name, byteLength: source.byteLength, format: 'npy', arrays: [array] };
}
