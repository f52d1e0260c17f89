import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cliInProcess.ts';
import { npyBytes } from '../helpers/shardFixture.ts';


describe('sharded embeddings: files whose names differ by a shard number, measured as one set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-shards-'));
  // the real MobileNetV2 fixture split into three uneven shards (rows in order)
  const whole = 'tests/fixtures/cli/matrix.npy';

  it('gives the same AAC and per-dim LR as the unsplit file', async () => {
    const ref = await runCliInProcess(['measure', whole, '--measures', 'aac,lr', '--json']);
    expect(ref.code, ref.stderr).toBe(0);
    const full = JSON.parse(ref.stdout);
    const { n, d } = full;
    // read the rows back through the CLI's own reader is what we test; write shards from the raw bytes
    const raw = readFileSync(whole);
    const headerLen = raw.readUInt16LE(8);
    const body = raw.subarray(10 + headerLen);
    const descr = raw.subarray(10, 10 + headerLen).toString('latin1');
    expect(descr).toContain("'<f");
    const itemBytes = descr.includes("'<f8'") ? 8 : 4;
    const values = itemBytes === 8 ? Float32Array.from(new Float64Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength))) : new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    const cuts = [0, Math.floor(n / 5), Math.floor((3 * n) / 5), n];
    const paths = cuts.slice(1).map((end, k) => {
      const start = cuts[k];
      const path = join(dir, `rank${k}.npy`);
      writeFileSync(path, npyBytes(values.subarray(start * d, end * d), end - start, d));
      return path;
    });
    // given out of order: stacked by shard number all the same
    const sharded = await runCliInProcess(['measure', paths[2], paths[0], paths[1], '--measures', 'aac,lr', '--json']);
    expect(sharded.code, sharded.stderr).toBe(0);
    expect(sharded.stderr).toMatch(/as shards of one set, '.*rank\*\.npy \(3 shards\)' \(their names differ only by a shard number/);
    const got = JSON.parse(sharded.stdout);
    expect(Array.isArray(got)).toBe(false); // one set: one result
    expect(got.shards).toEqual({ files: ['rank0.npy', 'rank1.npy', 'rank2.npy'], combined: 'shard-names' });
    expect(got.file).toBe('rank*.npy (3 shards)');
    expect(got.n).toBe(n);
    expect(got.d).toBe(d);
    expect(Math.abs(got.aac.value - full.aac.value)).toBeLessThan(1e-6);
    full.lr.perDim.forEach((v: number | null, i: number) => {
      if (v === null) expect(got.lr.perDim[i]).toBeNull();
      else expect(Math.abs(got.lr.perDim[i] - v)).toBeLessThan(1e-6);
    });
  });

  it('refuses shards with different D, naming the file', async () => {
    const a = join(dir, 'a.npy');
    const b = join(dir, 'b.npy');
    writeFileSync(a, npyBytes(new Float32Array(40 * 4).map((_, i) => Math.sin(i)), 40, 4));
    writeFileSync(b, npyBytes(new Float32Array(40 * 5).map((_, i) => Math.cos(i)), 40, 5));
    const r = await runCliInProcess(['measure', a, b, '--shards', '--measures', 'aac']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/b\.npy: has 5 dims but a\.npy has 4; shards of one set must have the same D/);
  });
});

describe('several files are several measurements', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-files-'));
  const noise = (rows: number, cols: number, seed: number) => Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 43758.5453 % 1);
  const write = (name: string, rows: number, cols: number, seed: number) => {
    const path = join(dir, name);
    writeFileSync(path, npyBytes(noise(rows, cols, seed), rows, cols));
    return path;
  };
  const proj1 = write('vit_small_proj1.npy', 120, 6, 1);
  const proj2 = write('vit_small_proj2.npy', 90, 6, 2);

  it('`measure a b` (two models) prints one result per file, in the order given, never merged', async () => {
    const r = await runCliInProcess(['measure', proj2, proj1, '--measures', 'aac,lr', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/shards/);
    const got = JSON.parse(r.stdout);
    expect(Array.isArray(got)).toBe(true);
    expect(got.map((x: { file: string; n: number }) => [x.file, x.n])).toEqual([['vit_small_proj2.npy', 90], ['vit_small_proj1.npy', 120]]);
    expect(got.every((x: { shards?: unknown }) => x.shards === undefined)).toBe(true);
    // each equals the file measured alone
    const alone = JSON.parse((await runCliInProcess(['measure', proj1, '--measures', 'aac,lr', '--json'])).stdout);
    expect(got[1].aac.value).toBe(alone.aac.value);
    expect(got[1].lr.perDim).toEqual(alone.lr.perDim);
  });

  it('the table shows each file under its own heading', async () => {
    const r = await runCliInProcess(['measure', proj1, proj2, '--measures', 'aac']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/== vit_small_proj1\.npy ==[\s\S]*== vit_small_proj2\.npy ==/);
  });

  it('--shards combines any files (same D) as one set, and says so', async () => {
    const r = await runCliInProcess(['measure', proj1, proj2, '--shards', '--measures', 'aac', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/as shards of one set, .*\(--shards\)/);
    const got = JSON.parse(r.stdout);
    expect(got.n).toBe(210);
    expect(got.shards.combined).toBe('asked');
  });

  it('a bad file among several fails before anything is measured, naming it', async () => {
    const bad = join(dir, 'notes.npy');
    writeFileSync(bad, 'this is a text file renamed .npy\n');
    const r = await runCliInProcess(['measure', proj1, bad, '--measures', 'aac']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/notes\.npy/);
    expect(r.stdout).toBe('');
  });
});
