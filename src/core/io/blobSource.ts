import type { ByteSource } from './types.ts';

/** A ByteSource over a browser `File` or any `Blob` (Node 20 has Blob too): range reads, no whole-file copy. */
export function blobByteSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    byteLength: blob.size,
    slice: (start: number, end?: number) => blob.slice(start, end ?? blob.size).arrayBuffer(),
  };
}
