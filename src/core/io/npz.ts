import { RedundancyLabError } from '../errors.ts';
import { checkRowsPerBlock, collectBlocks } from './denseArray.ts';
import { decodeToFloat32, ITEM_SIZE } from './dtypes.ts';
import { DEFAULT_MAX_ENTRY_BYTES } from './limits.ts';
import { npyArray, npyArrayFromHeader, npyDType, npyHeaderEnd, NPY_PREAMBLE_BYTES, parseNpyHeader, type NpyHeader } from './npy.ts';
import type { ArrayHandle, ByteSource, OpenedFile, RowBlock } from './types.ts';
import { entryByteSource, entryChunks, readZipDirectory, type ZipEntry } from './zip.ts';

export interface NpzOptions {
  /** cap on any entry's declared uncompressed size (zip-bomb guard); default 4 GiB */
  readonly maxEntryBytes?: number;
}

/** np.savez / np.savez_compressed: a zip of `<name>.npy` entries, one array each. */
export async function openNpz(source: ByteSource, options: NpzOptions = {}): Promise<OpenedFile> {
  const maxBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const entries = (await readZipDirectory(source)).filter((e) => e.name.endsWith('.npy'));
  if (entries.length === 0) {
    throw new RedundancyLabError('unsupported-format', 'this zip archive holds no .npy arrays, so it is not an .npz file; save with np.savez(path, embeddings=X)', source.name);
  }
  const arrays: ArrayHandle[] = [];
  for (const entry of entries) {
    const name = entry.name.slice(0, -'.npy'.length);
    arrays.push(entry.method === 0 ? await npyArray(await entryByteSource(source, entry, maxBytes), name) : await compressedNpyArray(source, entry, name, maxBytes));
  }
  return { fileName: source.name, byteLength: source.byteLength, format: 'npz', arrays };
}

/** Inflates only as far as the .npy header, so listing a compressed npz stays cheap. */
async function inflatedHeader(source: ByteSource, entry: ZipEntry, maxBytes: number): Promise<NpyHeader> {
  let head = new Uint8Array(0);
  let needed = NPY_PREAMBLE_BYTES;
  for await (const chunk of entryChunks(source, entry, maxBytes)) {
    const grown = new Uint8Array(head.length + chunk.length);
    grown.set(head);
    grown.set(chunk, head.length);
    head = grown;
    if (head.length >= NPY_PREAMBLE_BYTES) needed = npyHeaderEnd(head, source.name);
    if (head.length >= needed) break;
  }
  return parseNpyHeader(head, source.name);
}

async function compressedNpyArray(source: ByteSource, entry: ZipEntry, name: string, maxBytes: number): Promise<ArrayHandle> {
  const header = await inflatedHeader(source, entry, maxBytes);
  // the lazy entry source validates the layout; C-order rows are then streamed instead
  const handle = npyArrayFromHeader(await entryByteSource(source, entry, maxBytes), name, header);
  if (handle.unusable || header.fortranOrder) return handle;
  const { dtype, littleEndian } = npyDType(header.descr, source.name, name);
  const rowBytes = handle.cols * ITEM_SIZE[dtype];
  const { rows, cols } = handle;

  async function* blocks(rowsPerBlock: number): AsyncGenerator<RowBlock> {
    checkRowsPerBlock(rowsPerBlock, source.name);
    let skip = header.dataOffset;
    let r = 0;
    let n = Math.min(rowsPerBlock, rows);
    let buffer = new Uint8Array(n * rowBytes);
    let filled = 0;
    const emit = (): RowBlock => {
      const data = new Float32Array(n * cols);
      decodeToFloat32(buffer, dtype, littleEndian, n * cols, data);
      const block = { rowStart: r, rows: n, cols, data };
      r += n;
      n = Math.min(rowsPerBlock, rows - r);
      buffer = new Uint8Array(n * rowBytes);
      filled = 0;
      return block;
    };
    if (rowBytes === 0) {
      while (r < rows) yield emit();
      return;
    }
    for await (const chunk of entryChunks(source, entry, maxBytes)) {
      let at = Math.min(skip, chunk.length);
      skip -= at;
      while (at < chunk.length && r < rows) {
        const take = Math.min(chunk.length - at, buffer.length - filled);
        buffer.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled === buffer.length) yield emit();
      }
      if (r >= rows) return;
    }
    if (r < rows) throw new RedundancyLabError('corrupt-file', `array ${name} ends after ${r} of ${rows} rows`, source.name);
  }

  const streamed: ArrayHandle = { ...handle, blocks, read: () => collectBlocks(streamed, source.name, Math.max(1, Math.floor(2 ** 22 / Math.max(1, rowBytes)))) };
  return streamed;
}
