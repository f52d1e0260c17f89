import { hasNpyMagic } from './npy.ts';
import { looksLikeSafetensors, safetensorsHeaderLength } from './safetensors.ts';

/**
 * Recognises a file by its first bytes (and parquet's trailing magic), never by its extension,
 * so `embeddings.csv` that is really an .npy still opens.
 */
export type Sniffed =
  | { kind: 'npy' | 'zip' | 'safetensors' | 'parquet' | 'text' }
  | { kind: 'legacy-torch' }
  | { kind: 'truncated-parquet' }
  | { kind: 'truncated-safetensors' }
  | { kind: 'unknown'; looksLike: string };

/** Bytes of the head the sniffer looks at. */
export const SNIFF_HEAD_BYTES = 1024;

/** torch.save(..., _use_new_zipfile_serialization=False): PROTO 2, LONG1 of the magic 0x1950a86a20f9469cfc6c. */
const LEGACY_TORCH = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

const OTHER_FORMATS: [number[], string][] = [
  [[0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 'an HDF5 file (.h5/.hdf5)'],
  [[0x1f, 0x8b], 'a gzip-compressed file (decompress it first)'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file (decompress it first)'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file (decompress it first)'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file (decompress it first)'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], 'an Arrow IPC / Feather file (save it as parquet instead)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
  [[0x50, 0x4b, 0x05, 0x06], 'an empty zip archive'],
];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  return bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
}

/** Printable UTF-8 without control characters other than tab, newline and carriage return. */
export function looksLikeText(head: Uint8Array, wholeFile: boolean): boolean {
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  // a multi-byte character may be cut at the end of the sniffed window
  for (let trim = 0; trim <= (wholeFile ? 0 : 3); trim++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - trim));
      return true;
    } catch {
      /* try a shorter prefix */
    }
  }
  return false;
}

export function sniff(head: Uint8Array, tail: Uint8Array, byteLength: number): Sniffed {
  if (hasNpyMagic(head)) return { kind: 'npy' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { kind: 'zip' };
  if (startsWith(head, LEGACY_TORCH)) return { kind: 'legacy-torch' };
  const par1 = [0x50, 0x41, 0x52, 0x31];
  if (startsWith(head, par1)) return startsWith(tail, par1, tail.length - 4) && byteLength >= 12 ? { kind: 'parquet' } : { kind: 'truncated-parquet' };
  if (looksLikeSafetensors(head, byteLength)) return { kind: 'safetensors' };
  if (looksLikeSafetensors(head, Number.MAX_SAFE_INTEGER) && safetensorsHeaderLength(head) < 2 ** 27) return { kind: 'truncated-safetensors' };
  for (const [magic, what] of OTHER_FORMATS) if (startsWith(head, magic)) return { kind: 'unknown', looksLike: what };
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) return { kind: 'unknown', looksLike: 'a Python pickle (pickle.dump / joblib), which we do not load because unpickling can run code' };
  if (looksLikeText(head, head.length === byteLength)) return { kind: 'text' };
  return { kind: 'unknown', looksLike: 'binary data of no format we know' };
}
