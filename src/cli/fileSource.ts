import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RedundancyLabError, type ByteSource } from '../core/index.ts';

/**
 * A ByteSource over a file on disk, read at offsets. Each slice opens, reads and closes the file,
 * so callers never own a handle to close; the cost is negligible next to the MiB-sized reads.
 */
export async function fileByteSource(path: string): Promise<ByteSource> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new RedundancyLabError('bad-option', `${path} is not a regular file`, name);
    size = info.size;
  } catch (e) {
    if (e instanceof RedundancyLabError) throw e;
    throw new RedundancyLabError('bad-option', `cannot open ${path}: ${(e as Error).message}`, name);
  }
  return {
    name,
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const from = Math.max(0, Math.min(start, size));
      const to = Math.max(from, Math.min(end, size));
      const buffer = new Uint8Array(to - from);
      const handle = await open(path, 'r');
      try {
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(buffer, done, buffer.length - done, from + done);
          if (bytesRead === 0) break; // file shrank: return what exists; readers report the shortfall
          done += bytesRead;
        }
        return done === buffer.length ? buffer.buffer : buffer.slice(0, done).buffer;
      } finally {
        await handle.close();
      }
    },
  };
}
