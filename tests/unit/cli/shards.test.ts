import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cliInProcess.ts';

/** A float32 C-order .npy of rows × cols (header written by hand, NumPy's v1 format). */
function npyBytes(data: Float32Array, rows: number, cols: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

describe('sharded embeddings: several files with the same D measured as one set', () => {
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
    const sharded = await runCliInProcess(['measure', ...paths, '--measures', 'aac,lr', '--json']);
    expect(sharded.code, sharded.stderr).toBe(0);
    const got = JSON.parse(sharded.stdout);
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
    const r = await runCliInProcess(['measure', a, b, '--measures', 'aac']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/b\.npy: has 5 dims but a\.npy has 4; shards of one set must have the same D/);
  });
});
