/**
 * A file's fingerprint: its name, its size and the SHA-256 of its first 1 MiB. Enough to recognise a file the
 * user drops again (same export, same bytes) without reading the whole of a multi-GB file on the main thread:
 * only the first MiB is read (`Blob.slice`), and hashed by `crypto.subtle` (a secure context: https or localhost).
 */

/** How much of the file the hash covers. */
export const FINGERPRINT_BYTES = 1 << 20;

export interface Fingerprint {
  name: string;
  /** bytes */
  size: number;
  /** hex SHA-256 of the first min(size, 1 MiB) bytes */
  sha256: string;
}

function hex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The fingerprint of a File (or of a Blob with the name given). Throws where `crypto.subtle` is missing. */
export async function fingerprintOf(blob: Blob, name = (blob as Partial<File>).name ?? ''): Promise<Fingerprint> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('crypto.subtle is not available (the page is not in a secure context)');
  const head = await blob.slice(0, FINGERPRINT_BYTES).arrayBuffer();
  return { name, size: blob.size, sha256: hex(await subtle.digest('SHA-256', head)) };
}

/** One string per fingerprint, for keys and comparisons. */
export function fingerprintKey(fp: Fingerprint): string {
  return `${fp.sha256}:${fp.size}:${fp.name}`;
}

export function sameFingerprint(a: Fingerprint | null | undefined, b: Fingerprint | null | undefined): boolean {
  return !!a && !!b && fingerprintKey(a) === fingerprintKey(b);
}

/**
 * A sharded set's fingerprint, derived from its shards' fingerprints in order (so the same shards, combined
 * again, find their saved results; another order or another shard does not): the set's name, the total size,
 * and the SHA-256 of the shards' fingerprint keys, one a line.
 */
export async function shardSetFingerprint(name: string, shards: readonly Fingerprint[]): Promise<Fingerprint> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('crypto.subtle is not available (the page is not in a secure context)');
  const keys = new TextEncoder().encode(shards.map(fingerprintKey).join('\n'));
  return { name, size: shards.reduce((n, s) => n + s.size, 0), sha256: hex(await subtle.digest('SHA-256', keys)) };
}
