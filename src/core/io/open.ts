import { isRedundancyLabError, RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { openNpy } from './npy.ts';
import { openNpz } from './npz.ts';
import { openParquet } from './parquet.ts';
import { openSafetensors } from './safetensors.ts';
import { sniff, SNIFF_HEAD_BYTES } from './sniff.ts';
import { openText } from './text.ts';
import { findTorchPickle, openTorch } from './torch.ts';
import type { ArrayHandle, ByteSource, OpenedFile } from './types.ts';
import { unusableError } from './unusableArray.ts';
import { readZipDirectory } from './zip.ts';

export interface OpenOptions {
  /** cap on a zip entry's declared uncompressed size (npz / torch); default 4 GiB */
  readonly maxEntryBytes?: number;
}

export const SUPPORTED_FORMATS =
  'NumPy .npy/.npz, safetensors, PyTorch .pt/.pth (torch.save), Parquet, and delimited text (.csv/.tsv/.txt)';

/** Opens any supported embedding file, recognised by its content (magic bytes), not its extension. */
export async function openEmbeddingFile(source: ByteSource, options: OpenOptions = {}): Promise<OpenedFile> {
  let opened: OpenedFile;
  try {
    opened = await openByContent(source, options);
  } catch (e) {
    throw asReaderError(e, source.name);
  }
  const usable = opened.arrays.filter((a) => !a.unusable);
  // nothing readable: report why the (first) array is unusable right away
  if (usable.length === 0 && opened.arrays.length > 0) throw unusableError(opened.arrays[0]) ?? new RedundancyLabError('unsupported-dtype', 'no array in this file can be read', source.name);
  return { ...opened, arrays: opened.arrays.map((a) => guarded(a, source.name)) };
}

async function openByContent(source: ByteSource, options: OpenOptions): Promise<OpenedFile> {
  const file = source.name;
  if (source.byteLength === 0) throw new RedundancyLabError('corrupt-file', 'the file is empty (0 bytes); it was not fully written or downloaded', file);
  const head = await readRange(source, 0, Math.min(source.byteLength, SNIFF_HEAD_BYTES), 'file header');
  const tail = await readRange(source, Math.max(0, source.byteLength - 4), source.byteLength, 'file end');
  const kind = sniff(head, tail, source.byteLength);
  switch (kind.kind) {
    case 'npy':
      return openNpy(source);
    case 'safetensors':
      return openSafetensors(source);
    case 'parquet':
      return openParquet(source);
    case 'text': {
      const opened = claimedBinary(file) ? readAsTextOf(await openTextWithin(source, file), file) : await openText(source);
      // only a header line (or a sentence in a file renamed .npy): refuse it now, not after "ready" and Run
      if (opened.arrays.length > 0 && opened.arrays.every((a) => a.rows === 0)) {
        const none = new RedundancyLabError('bad-shape', `it has no rows of numbers: its only line (${opened.arrays[0].cols} fields) reads as a column header`, file);
        throw claimedBinary(file) ? renamedTextError(none, file) : none;
      }
      return opened;
    }
    case 'zip': {
      const entries = await readZipDirectory(source);
      if (entries.some((e) => e.name.endsWith('.npy'))) return openNpz(source, options);
      if (findTorchPickle(entries)) return openTorch(source, options);
      throw new RedundancyLabError('unsupported-format', `this is a zip archive with neither .npy arrays (npz) nor data.pkl (torch.save); supported formats: ${SUPPORTED_FORMATS}`, file);
    }
    case 'legacy-torch':
      throw new RedundancyLabError(
        'unsupported-format',
        'this PyTorch file was saved with torch.save(_use_new_zipfile_serialization=False), the legacy format we do not read; re-save it with a current PyTorch: torch.save(torch.load(path), new_path)',
        file,
      );
    case 'truncated-parquet':
      throw new RedundancyLabError('corrupt-file', 'this starts like a parquet file but does not end with PAR1: it is truncated; re-download or re-save it', file);
    case 'truncated-safetensors':
      throw new RedundancyLabError('corrupt-file', 'this starts like a safetensors file but its JSON header runs past the end of the file: it is truncated; re-download or re-save it', file);
    case 'unknown':
      throw new RedundancyLabError('unsupported-format', `this looks like ${kind.looksLike}; supported formats: ${SUPPORTED_FORMATS}`, file);
  }
}

/** Extensions of binary formats: a text file under one of these names is probably a mistake worth naming. */
const BINARY_EXTENSIONS: Record<string, string> = {
  npy: 'a NumPy file (it does not start with the \\x93NUMPY magic)',
  npz: 'an .npz archive (it is not a zip file)',
  pt: 'a PyTorch file (it is not a zip file)',
  pth: 'a PyTorch file (it is not a zip file)',
  safetensors: 'a safetensors file (it has no binary header)',
  parquet: 'a parquet file (it does not start with PAR1)',
};

function claimedBinary(file: string): string | null {
  return BINARY_EXTENSIONS[file.split('.').pop()?.toLowerCase() ?? ''] ?? null;
}

function textPrefix(file: string): string {
  return `this is not ${claimedBinary(file)}: its content is text, so it was read as a delimited text file, and`;
}

async function openTextWithin(source: ByteSource, file: string): Promise<OpenedFile> {
  try {
    return await openText(source);
  } catch (e) {
    throw renamedTextError(e, file);
  }
}

/** A text file named like a binary format: say that first, then what went wrong reading it as text. */
function renamedTextError(e: unknown, file: string): unknown {
  if (!isRedundancyLabError(e)) return e;
  const err = e as RedundancyLabError;
  const message = err.file && err.message.startsWith(`${err.file}: `) ? err.message.slice(err.file.length + 2) : err.message;
  return new RedundancyLabError(err.kind, `${textPrefix(file)} ${message} — if it should be binary, it was not saved as one (e.g. np.savetxt writes text; use np.save)`, file);
}

/** The arrays of a text file named like a binary one: errors met while reading the rows get the same preface. */
function readAsTextOf(opened: OpenedFile, file: string): OpenedFile {
  return { ...opened, arrays: opened.arrays.map((a) => withErrors(a, (e) => renamedTextError(e, file))) };
}

/** Any error from a reader reaches the caller as a RedundancyLabError naming the file. */
function asReaderError(e: unknown, file: string): RedundancyLabError {
  if (isRedundancyLabError(e)) return e as RedundancyLabError;
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof RangeError && /alloc|memory|length/i.test(message)) {
    return new RedundancyLabError('too-large', `not enough memory to read this file (${message}); read it in blocks or subsample it`, file);
  }
  return new RedundancyLabError('corrupt-file', `the file could not be read (${message}); it may be damaged`, file);
}

function guarded(handle: ArrayHandle, file: string): ArrayHandle {
  return withErrors(handle, (e) => asReaderError(e, file));
}

/** The handle with every error of its reads passed through `map` first. */
function withErrors(handle: ArrayHandle, map: (e: unknown) => unknown): ArrayHandle {
  return {
    ...handle,
    read: async () => {
      try {
        return await handle.read();
      } catch (e) {
        throw map(e);
      }
    },
    blocks: async function* (rowsPerBlock: number) {
      try {
        yield* handle.blocks(rowsPerBlock);
      } catch (e) {
        throw map(e);
      }
    },
  };
}
