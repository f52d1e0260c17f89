import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemmNT, linalgThreadCount } from '../../../src/core/numerics/linalgKernels.ts';
import { startLinalgThreads, stopLinalgThreads } from '../../../src/core/numerics/linalgThreads.ts';
import { spdInverse } from '../../../src/core/numerics/linalg.ts';
import { startNodeLinalgThreads } from '../../../src/node/linalgThreads.ts';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { correlatedGaussian, seededNormal } from '../helpers/synthetic.ts';

const random = (length: number, seed: number) => {
  const normal = seededNormal(seed);
  return Float64Array.from({ length }, normal);
};

/** C = alpha·A·Bᵀ by the textbook triple loop (the reference, not the kernel). */
function naiveNT(m: number, p: number, K: number, A: Float64Array, B: Float64Array, alpha: number): Float64Array {
  const c = new Float64Array(m * p);
  for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += A[i * K + k] * B[j * K + k];
    c[i * p + j] = alpha * s;
  }
  return c;
}

// sizes cross every blocking edge: MC = 1024 rows of A, NC = 512 rows of B, KCH = 4096, KC = 256, strips of 4
const SHAPES: [number, number, number][] = [
  [1030, 517, 4100],
  [257, 1301, 300],
  [64, 64, 64],
  [9, 700, 33],
];

async function withThreads<T>(threads: number, run: () => Promise<T> | T): Promise<T> {
  expect(await startNodeLinalgThreads(threads)).toBe(threads);
  expect(linalgThreadCount()).toBe(threads);
  try {
    return await run();
  } finally {
    stopLinalgThreads();
  }
}

describe('float64 kernel on several threads (node:worker_threads, shared WebAssembly memory)', () => {
  afterAll(() => stopLinalgThreads());

  it('a lower-triangular B (lowerB: its zero slices skipped) gives bit-for-bit the full product, on 1, 2 and 3 threads', async () => {
    // square (the null's leverage Z·Y), wider than NC = 512 rows of B and longer than KCH = 4096 in k, and a row block
    for (const [m, p] of [[517, 700], [300, 300], [9, 4200]]) {
      const K = p;
      const A = random(m * K, m + 1);
      const B = random(p * K, p + 2);
      for (let j = 0; j < p; j++) B.fill(0, j * K + j + 1, (j + 1) * K); // row j zero after column j
      const product = (lower: boolean) => (): Float64Array => {
        const c = random(m * p, 5);
        gemmNT(m, p, K, A, 0, K, B, 0, K, c, 0, p, 1, lower);
        return c;
      };
      const full = product(false)();
      expect(product(true)()).toEqual(full);
      expect(await withThreads(2, product(true))).toEqual(full);
      expect(await withThreads(3, product(true))).toEqual(full);
    }
  });

  it('gemmNT is bit-for-bit the same on 1, 2 and 3 threads, and equal to the triple loop to rounding', async () => {
    for (const [m, p, K] of SHAPES) {
      const A = random(m * K, m + K);
      const B = random(p * K, p + 7);
      const once = (): Float64Array => {
        const c = random(m * p, 3); // C += …: the existing values are kept
        gemmNT(m, p, K, A, 0, K, B, 0, K, c, 0, p, -0.5);
        return c;
      };
      const one = once();
      const two = await withThreads(2, once);
      const three = await withThreads(3, once);
      expect(linalgThreadCount()).toBe(1);
      expect(Buffer.from(two.buffer).equals(Buffer.from(one.buffer))).toBe(true);
      expect(Buffer.from(three.buffer).equals(Buffer.from(one.buffer))).toBe(true);
      const start = random(m * p, 3);
      const ref = naiveNT(m, p, K, A, B, -0.5);
      let worst = 0;
      for (let i = 0; i < m * p; i++) worst = Math.max(worst, Math.abs(one[i] - start[i] - ref[i]) / Math.sqrt(K));
      expect(worst).toBeLessThan(1e-12);
    }
  }, 120_000);

  it('a whole measurement (Gram, inverses, LR, extras) gives identical numbers on 1 and 2 threads', async () => {
    await selectNodeBackend('cpu');
    const settings: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac', 'lr'] };
    const m = correlatedGaussian(1500, 300, 5, 1.1);
    const one = await measureArray(inMemoryArray(m), 'synthetic.npy', settings, { nullBaseline: false });
    const two = await withThreads(2, () => measureArray(inMemoryArray(m), 'synthetic.npy', settings, { nullBaseline: false }));
    expect(two.lr!.perDim).toEqual(one.lr!.perDim);
    expect(two.lr!.alphaPerDim).toEqual(one.lr!.alphaPerDim);
    expect(two.aac!.value).toBe(one.aac!.value);
    expect(two.extras).toEqual(one.extras);
    // and the inverse itself
    const g = new Float64Array(300 * 300);
    for (let i = 0; i < 300; i++) for (let j = 0; j < 300; j++) g[i * 300 + j] = Math.exp(-Math.abs(i - j) / 20) + (i === j ? 0.1 : 0);
    const inv1 = spdInverse(g, 300).inverse;
    const inv2 = await withThreads(2, () => spdInverse(g, 300).inverse);
    expect(Array.from(inv2)).toEqual(Array.from(inv1));
  }, 120_000);

  it('a helper that fails to start: the error reaches the caller, the ones that started are ended, 1 thread', async () => {
    const ended: number[] = [];
    const spawn = async (init: { index: number }) => {
      if (init.index === 2) throw new Error('no worker here');
      return { terminate: () => ended.push(init.index) };
    };
    await expect(startLinalgThreads(3, spawn)).rejects.toThrow('no worker here');
    expect(ended).toEqual([1]);
    expect(linalgThreadCount()).toBe(1);
  });

  it('1 thread asked: no helpers, the calling thread alone', async () => {
    expect(await startNodeLinalgThreads(1)).toBe(1);
    expect(linalgThreadCount()).toBe(1);
  });
});

beforeAll(() => stopLinalgThreads());
