import { describe, expect, it } from 'vitest';
import { headInit, headSeed, linearInit, mulberry32 } from '../../../src/core/measures/mlpRandom.ts';

describe('seeded PyTorch-style init of NLR heads', () => {
  it('mulberry32 is deterministic and uniform on [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 20000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it('each head has its own stream, fixed by (seed, target)', () => {
    const seeds = new Set<number>();
    for (let t = 0; t < 1000; t++) seeds.add(headSeed(0, t));
    expect(seeds.size).toBe(1000);
    expect(headSeed(1, 0)).not.toBe(headSeed(0, 0));
    expect(headSeed(3, 7)).toBe(headSeed(3, 7));
  });

  it('weights and biases ~ U(−1/√fan_in, 1/√fan_in), fan_in of layer 1 = d − 1', () => {
    const layers = headInit(0, 3, 101, [128, 64]);
    expect(layers.map((l) => [l.fanIn, l.fanOut])).toEqual([[100, 128], [128, 64], [64, 1]]);
    for (const l of layers) {
      const bound = 1 / Math.sqrt(l.fanIn);
      for (const v of [...l.weight, ...l.bias]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
      expect(l.weight).toHaveLength(l.fanIn * l.fanOut);
      expect(l.bias).toHaveLength(l.fanOut);
    }
    // the spread fills the interval: variance of U(−b, b) is b²/3
    const w = layers[0].weight;
    const variance = w.reduce((s, x) => s + x * x, 0) / w.length;
    expect(variance / (1 / 100 / 3)).toBeGreaterThan(0.95);
    expect(variance / (1 / 100 / 3)).toBeLessThan(1.05);
  });

  it('draws weight then bias from the stream', () => {
    const r1 = mulberry32(9);
    const layer = linearInit(r1, 4, 2);
    const r2 = mulberry32(9);
    const draws = Array.from({ length: 10 }, () => Math.fround(0.5 * (2 * r2() - 1)));
    expect([...layer.weight, ...layer.bias]).toEqual(draws);
  });
});
