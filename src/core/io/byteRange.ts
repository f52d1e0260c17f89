import { RedundancyLabError } from '../errors.ts';
import type { ByteSource } from './types.ts';

/**
 * Reads bytes [start, end) and checks they exist, so every reader reports a file that
 * ends early as 'corrupt-file' with the sizes involved instead of a RangeError.
 */
export async function readRange(source: ByteSource, start: number, end: number, what = 'data'): Promise<Uint8Array> {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RedundancyLabError('corrupt-file', `invalid byte range ${start}–${end} for the ${what}; the file is damaged`, source.name);
  }
  if (end > source.byteLength) {
    throw new RedundancyLabError(
      'corrupt-file',
      `the ${what} needs bytes up to ${end.toLocaleString('en-US')} but the file has only ${source.byteLength.toLocaleString('en-US')} bytes; it is truncated or its header is wrong — re-save or re-download it`,
      source.name,
    );
  }
  if (end === start) return new Uint8Array(0);
  const buffer = await source.slice(start, end);
  if (buffer.byteLength !== end - start) {
    throw new RedundancyLabError('corrupt-file', `asked for ${end - start} bytes of the ${what} but got ${buffer.byteLength}; the file changed or is truncated`, source.name);
  }
  return new Uint8Array(buffer);
}

/** A ByteSource over bytes already in memory (inflated zip entries, tests). */
export function bytesByteSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    byteLength: bytes.byteLength,
    async slice(start: number, end = bytes.byteLength): Promise<ArrayBuffer> {
      const part = bytes.subarray(start, end);
      // copy so callers own an ArrayBuffer that starts at offset 0 (typed-array views need alignment)
      return part.slice().buffer;
    },
  };
}

/** A window [start, end) of another source, e.g. a stored (uncompressed) zip entry. */
export function subByteSource(source: ByteSource, start: number, end: number, name = source.name): ByteSource {
  const byteLength = end - start;
  return {
    name,
    byteLength,
    slice(from: number, to = byteLength): Promise<ArrayBuffer> {
      const a = Math.min(Math.max(from, 0), byteLength);
      const b = Math.min(Math.max(to, a), byteLength);
      return source.slice(start + a, start + b);
    },
  };
}
