import { RedundancyLabError } from '../errors.ts';
import { denseArray } from './denseArray.ts';
import { ITEM_SIZE } from './dtypes.ts';
import { DEFAULT_MAX_ENTRY_BYTES, MAX_PICKLE_BYTES } from './limits.ts';
import { unpickleTorch, type TensorRef } from './torchPickle.ts';
import type { ArrayHandle, ByteSource, OpenedFile } from './types.ts';
import { unusableArray } from './unusableArray.ts';
import { entryByteSource, readEntry, readZipDirectory, type ZipEntry } from './zip.ts';

export interface TorchOptions {
  readonly maxEntryBytes?: number;
}

/** torch.save writes `<prefix>/data.pkl`, `<prefix>/data/<key>` storages and maybe `<prefix>/byteorder`. */
export function findTorchPickle(entries: readonly ZipEntry[]): ZipEntry | undefined {
  return entries.find((e) => /^[^/]*\/?data\.pkl$/.test(e.name));
}

/** Object graphs deeper than this are not state dicts; stop rather than recurse forever. */
const MAX_DEPTH = 64;

/** Walks dicts / OrderedDicts / lists / tuples, naming tensors by dotted path (`model.layer.weight`). */
function collectTensors(value: unknown, path: string, out: [string, TensorRef][], seen: Set<unknown>, depth: number): void {
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > MAX_DEPTH) return;
  seen.add(value);
  const join = (key: unknown) => (path ? `${path}.${String(key)}` : String(key));
  if ((value as TensorRef).kind === 'tensor' && Object.isFrozen(value)) out.push([path, value as TensorRef]);
  else if (value instanceof Map) for (const [k, v] of value) collectTensors(v, join(k), out, seen, depth + 1);
  else if (Array.isArray(value)) value.forEach((v, i) => collectTensors(v, join(i), out, seen, depth + 1));
}

export async function openTorch(source: ByteSource, options: TorchOptions = {}): Promise<OpenedFile> {
  const file = source.name;
  const maxBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const entries = await readZipDirectory(source);
  const pkl = findTorchPickle(entries);
  if (!pkl) throw new RedundancyLabError('unsupported-format', 'this zip archive has no data.pkl, so it is not a torch.save file', file);
  const prefix = pkl.name.slice(0, -'data.pkl'.length);
  const byName = new Map(entries.map((e) => [e.name, e]));
  if (pkl.uncompressedSize > MAX_PICKLE_BYTES) {
    throw new RedundancyLabError('too-large', `data.pkl is ${pkl.uncompressedSize.toLocaleString('en-US')} bytes, too large to be an index of tensors`, file);
  }
  const root = unpickleTorch(await readEntry(source, pkl, MAX_PICKLE_BYTES), file);
  const byteorderEntry = byName.get(`${prefix}byteorder`);
  const byteorder = byteorderEntry ? new TextDecoder().decode(await readEntry(source, byteorderEntry, 16)).trim() : 'little';
  const littleEndian = byteorder !== 'big';

  const tensors: [string, TensorRef][] = [];
  collectTensors(root, '', tensors, new Set(), 0);
  if (tensors.length === 0) {
    throw new RedundancyLabError('bad-shape', 'this PyTorch file holds no tensors; save the embeddings tensor itself (torch.save(X, path))', file);
  }
  const storages = new Map<string, Promise<ByteSource>>();
  const storageSource = (key: string): Promise<ByteSource> => {
    const entry = byName.get(`${prefix}data/${key}`);
    if (!entry) throw new RedundancyLabError('corrupt-file', `storage ${key} that a tensor points to is missing from the archive (data/${key}); re-save with torch.save`, file);
    if (!storages.has(key)) storages.set(key, entryByteSource(source, entry, maxBytes));
    return storages.get(key)!;
  };
  const arrays: ArrayHandle[] = [];
  for (const [name, t] of tensors) {
    if (t.dtype === null) {
      arrays.push(unusableArray(name, t.shape, t.torchName, new RedundancyLabError('unsupported-dtype', `${name ? `tensor ${name}` : 'the tensor'} has type ${t.torchName}; we read float, half, bfloat16, double, integer and bool tensors — convert with .float() before saving`, file)));
    } else if (t.shape.length === 0) {
      arrays.push(unusableArray(name, [], t.dtype, new RedundancyLabError('bad-shape', `${name ? `tensor ${name}` : 'the tensor'} is a single number (0-D); embeddings need shape (N, D)`, file)));
    } else {
      arrays.push(denseArray({ source: await storageSource(t.storage.key), name, shape: t.shape, dtype: t.dtype, littleEndian, byteOffset: t.offset * ITEM_SIZE[t.dtype], strides: t.strides }));
    }
  }
  return { fileName: file, byteLength: source.byteLength, format: 'torch', arrays };
}
