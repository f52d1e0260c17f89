import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_BYTES, fingerprintKey, fingerprintOf, sameFingerprint, shardSetFingerprint } from '../../../src/ui/persist/fingerprint.ts';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('fingerprintOf', () => {
  it('hashes a small Blob whole: name, size and the SHA-256 of its bytes', async () => {
    const bytes = new TextEncoder().encode('hello embeddings');
    const fp = await fingerprintOf(new Blob([bytes]), 'a.npy');
    expect(fp).toEqual({ name: 'a.npy', size: bytes.length, sha256: sha(bytes) });
  });

  it('hashes only the first 1 MiB of a larger file, and takes the name from a File', async () => {
    const bytes = new Uint8Array(FINGERPRINT_BYTES + 1000).map((_, i) => (i * 31) % 251);
    const fp = await fingerprintOf(new File([bytes], 'big.npy'));
    expect(fp.name).toBe('big.npy');
    expect(fp.size).toBe(FINGERPRINT_BYTES + 1000);
    expect(fp.sha256).toBe(sha(bytes.subarray(0, FINGERPRINT_BYTES)));
    // a change after the first MiB does not change the hash (the size does the rest)
    const tail = bytes.slice();
    tail[FINGERPRINT_BYTES + 5] ^= 1;
    expect((await fingerprintOf(new File([tail], 'big.npy'))).sha256).toBe(fp.sha256);
    // a change inside it does
    const head = bytes.slice();
    head[10] ^= 1;
    expect((await fingerprintOf(new File([head], 'big.npy'))).sha256).not.toBe(fp.sha256);
  });

  it('matches a real demo file hashed by Node', async () => {
    const file = path.resolve(__dirname, '../../../public/demo/synthetic-linear.npy');
    const bytes = new Uint8Array(readFileSync(file));
    const fp = await fingerprintOf(new Blob([bytes]), 'synthetic-linear.npy');
    expect(fp.sha256).toBe(sha(bytes.subarray(0, FINGERPRINT_BYTES)));
  });

  it('an empty file has the SHA-256 of nothing', async () => {
    const fp = await fingerprintOf(new Blob([]), 'empty');
    expect(fp.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('keys and comparisons use name, size and hash', async () => {
    const a = { name: 'a', size: 3, sha256: 'f'.repeat(64) };
    expect(fingerprintKey(a)).toBe(`${'f'.repeat(64)}:3:a`);
    expect(sameFingerprint(a, { ...a })).toBe(true);
    expect(sameFingerprint(a, { ...a, name: 'b' })).toBe(false);
    expect(sameFingerprint(a, { ...a, size: 4 })).toBe(false);
    expect(sameFingerprint(a, null)).toBe(false);
  });
});

describe('shardSetFingerprint', () => {
  const a = { name: 'emb_rank0.npy', size: 100, sha256: 'a'.repeat(64) };
  const b = { name: 'emb_rank1.npy', size: 50, sha256: 'b'.repeat(64) };

  it('derives from the shards in order: same shards → same key, another order or shard → another', async () => {
    const set = await shardSetFingerprint('emb_rank*.npy (2 shards)', [a, b]);
    expect(set).toEqual({
      name: 'emb_rank*.npy (2 shards)',
      size: 150,
      sha256: sha(new TextEncoder().encode(`${fingerprintKey(a)}\n${fingerprintKey(b)}`)),
    });
    expect(sameFingerprint(set, await shardSetFingerprint(set.name, [{ ...a }, { ...b }]))).toBe(true);
    expect(sameFingerprint(set, await shardSetFingerprint(set.name, [b, a]))).toBe(false);
    expect(sameFingerprint(set, await shardSetFingerprint(set.name, [a, { ...b, sha256: 'c'.repeat(64) }]))).toBe(false);
  });
});
