import { Inflate } from 'fflate';
import { RedundancyLabError } from '../errors.ts';
import { readRange, subByteSource } from './byteRange.ts';
import { CHUNK_BYTES } from './limits.ts';
import type { ByteSource } from './types.ts';

/**
 * Just enough ZIP to read .npz and torch.save archives through a ByteSource: the central
 * directory is found from the end of the file, so opening never reads the entries themselves.
 */
export interface ZipEntry {
  readonly name: string;
  /** 0 = stored, 8 = deflate */
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  readonly encrypted: boolean;
}

export const ZIP_LOCAL_MAGIC = [0x50, 0x4b, 0x03, 0x04];

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const EOCD_MIN = 22;
/** A central directory larger than this is not an npz/torch index; refuse before reading it. */
const MAX_DIRECTORY_BYTES = 256 * 2 ** 20;
/** Deflate input pushed at once: caps how much one push can expand before we check sizes. */
const INFLATE_STEP = 64 * 1024;

function corrupt(file: string, what: string): RedundancyLabError {
  return new RedundancyLabError('corrupt-file', `the zip archive is damaged: ${what}; re-save or re-download the file`, file);
}

function u64(view: DataView, at: number): number {
  return view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
}

/** Locates and parses the central directory (ZIP64 when the 32-bit fields overflow). */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const file = source.name;
  const tailStart = Math.max(0, source.byteLength - (EOCD_MIN + 0xffff));
  const tail = await readRange(source, tailStart, source.byteLength, 'zip end record');
  const tv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tv.getUint32(i, true) === EOCD_SIG && i + EOCD_MIN + tv.getUint16(i + 20, true) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt(file, 'no end-of-central-directory record (the file is probably truncated)');
  let count = tv.getUint16(eocd + 10, true);
  let dirSize = tv.getUint32(eocd + 12, true);
  let dirOffset = tv.getUint32(eocd + 16, true);
  if ((count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) && eocd >= 20 && tv.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIG) {
    const z64At = u64(tv, eocd - 20 + 8);
    const z64 = await readRange(source, z64At, z64At + 56, 'zip64 end record');
    const zv = new DataView(z64.buffer, z64.byteOffset, z64.byteLength);
    if (zv.getUint32(0, true) !== ZIP64_EOCD_SIG) throw corrupt(file, 'bad ZIP64 end record');
    count = u64(zv, 32);
    dirSize = u64(zv, 40);
    dirOffset = u64(zv, 48);
  }
  if (dirSize > MAX_DIRECTORY_BYTES) throw corrupt(file, `central directory of ${dirSize} bytes is implausibly large`);
  if (count * 46 > dirSize) throw corrupt(file, `${count} entries cannot fit a ${dirSize}-byte directory`);
  const dir = await readRange(source, dirOffset, dirOffset + dirSize, 'zip central directory');
  return parseDirectory(dir, count, file);
}

function parseDirectory(dir: Uint8Array, count: number, file: string): ZipEntry[] {
  const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dv.getUint32(p, true) !== CENTRAL_SIG) throw corrupt(file, `central directory entry ${n} is malformed`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let uncompressedSize = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd + extraLength + commentLength > dir.length) throw corrupt(file, `central directory entry ${n} runs past the directory`);
    const name = decoder.decode(dir.subarray(p + 46, nameEnd));
    // ZIP64 extra field (id 1) carries, in order, whichever 32-bit fields were saturated
    for (let e = nameEnd; e + 4 <= nameEnd + extraLength; ) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        const end = Math.min(e + 4 + size, nameEnd + extraLength);
        if (uncompressedSize === 0xffffffff && q + 8 <= end) (uncompressedSize = u64(dv, q)), (q += 8);
        if (compressedSize === 0xffffffff && q + 8 <= end) (compressedSize = u64(dv, q)), (q += 8);
        if (localHeaderOffset === 0xffffffff && q + 8 <= end) localHeaderOffset = u64(dv, q);
      }
      e += 4 + size;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset, encrypted: (flags & 1) === 1 });
    p = nameEnd + extraLength + commentLength;
  }
  return entries;
}

/** Byte offset of an entry's data: past its local header, whose extra field may differ from the central one. */
export async function entryDataStart(source: ByteSource, entry: ZipEntry): Promise<number> {
  const head = await readRange(source, entry.localHeaderOffset, entry.localHeaderOffset + 30, `zip entry ${entry.name}`);
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (hv.getUint32(0, true) !== LOCAL_SIG) throw corrupt(source.name, `entry ${entry.name} does not start where the directory says`);
  const start = entry.localHeaderOffset + 30 + hv.getUint16(26, true) + hv.getUint16(28, true);
  if (start + entry.compressedSize > source.byteLength) {
    throw corrupt(source.name, `entry ${entry.name} needs ${entry.compressedSize} bytes at offset ${start} but the file ends at ${source.byteLength}`);
  }
  return start;
}

function checkReadableEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): void {
  if (entry.encrypted) {
    throw new RedundancyLabError('unsupported-format', `zip entry ${entry.name} is encrypted; save it without a password`, source.name);
  }
  if (entry.method !== 0 && entry.method !== 8) {
    throw new RedundancyLabError('unsupported-format', `zip entry ${entry.name} uses compression method ${entry.method}; only stored and deflate are supported (np.savez / np.savez_compressed write those)`, source.name);
  }
  if (entry.uncompressedSize > maxBytes) {
    throw new RedundancyLabError(
      'too-large',
      `zip entry ${entry.name} declares ${entry.uncompressedSize.toLocaleString('en-US')} uncompressed bytes, above the ${maxBytes.toLocaleString('en-US')}-byte limit (a zip bomb or an array too big to load); raise the limit only if you trust the file`,
      source.name,
    );
  }
  if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
    throw corrupt(source.name, `stored entry ${entry.name} has different compressed and uncompressed sizes`);
  }
}

/** The uncompressed bytes of an entry as a stream, never more than its declared size. */
export async function* entryChunks(source: ByteSource, entry: ZipEntry, maxBytes: number): AsyncGenerator<Uint8Array> {
  checkReadableEntry(source, entry, maxBytes);
  const start = await entryDataStart(source, entry);
  const end = start + entry.compressedSize;
  if (entry.method === 0) {
    for (let p = start; p < end; p += CHUNK_BYTES) yield await readRange(source, p, Math.min(end, p + CHUNK_BYTES), `zip entry ${entry.name}`);
    return;
  }
  let produced = 0;
  let pending: Uint8Array[] = [];
  let finished = false;
  const inflate = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > entry.uncompressedSize) throw corrupt(source.name, `entry ${entry.name} inflates to more than the ${entry.uncompressedSize} bytes it declares (a zip bomb?)`);
    pending.push(chunk);
    if (final) finished = true;
  });
  for (let p = start; p < end && !finished; p += CHUNK_BYTES) {
    const compressed = await readRange(source, p, Math.min(end, p + CHUNK_BYTES), `zip entry ${entry.name}`);
    for (let q = 0; q < compressed.length && !finished; q += INFLATE_STEP) {
      const last = p + q + INFLATE_STEP >= end;
      try {
        inflate.push(compressed.subarray(q, q + INFLATE_STEP), last);
      } catch (e) {
        if (e instanceof RedundancyLabError) throw e;
        throw corrupt(source.name, `entry ${entry.name} does not inflate (${(e as Error).message})`);
      }
      for (const chunk of pending) yield chunk;
      pending = [];
    }
  }
  if (produced !== entry.uncompressedSize) {
    throw corrupt(source.name, `entry ${entry.name} inflates to ${produced} bytes but declares ${entry.uncompressedSize}`);
  }
}

/** Whole entry in memory (small entries: torch's data.pkl, byteorder; or on-demand npz arrays). */
export async function readEntry(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<Uint8Array> {
  // collect what actually arrives rather than trusting the declared size with one big allocation
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of entryChunks(source, entry, maxBytes)) {
    chunks.push(chunk);
    total += chunk.length;
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * An entry as a ByteSource of its uncompressed size: a stored entry is read in place by byte
 * range; a deflated one is inflated in full the first time any range is asked for.
 */
export async function entryByteSource(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<ByteSource> {
  checkReadableEntry(source, entry, maxBytes);
  if (entry.method === 0) {
    const start = await entryDataStart(source, entry);
    return subByteSource(source, start, start + entry.compressedSize, source.name);
  }
  let whole: Promise<Uint8Array> | undefined;
  return {
    name: source.name,
    byteLength: entry.uncompressedSize,
    async slice(start: number, end = entry.uncompressedSize): Promise<ArrayBuffer> {
      whole ??= readEntry(source, entry, maxBytes);
      return (await whole).slice(start, end).buffer;
    },
  };
}
