import { describe, expect, it } from 'vitest';
import { blockAveragedAbsCorrelation } from '../../../src/core/measures/correlationPreview.ts';

/** Straightforward: the full D × D |r| (dead dims 0, live diagonal 1), then the mean over each cell's pairs. */
function naive(corrLive: Float64Array, live: number[], d: number, blockSize: number): number[] {
  const full = new Float64Array(d * d);
  live.forEach((i, a) => live.forEach((j, b) => (full[i * d + j] = a === b ? 1 : Math.abs(corrLive[a * live.length + b]))));
  const size = Math.ceil(d / blockSize);
  const out: number[] = [];
  for (let ci = 0; ci < size; ci++) {
    for (let cj = 0; cj < size; cj++) {
      let s = 0;
      let c = 0;
      for (let i = ci * blockSize; i < Math.min(d, (ci + 1) * blockSize); i++) {
        for (let j = cj * blockSize; j < Math.min(d, (cj + 1) * blockSize); j++) {
          s += full[i * d + j];
          c++;
        }
      }
      out.push(s / c);
    }
  }
  return out;
}

describe('heatmap preview from the measures’ correlation matrix', () => {
  const live = [0, 1, 3, 4, 6]; // dims 2 and 5 dead, d = 7
  const k = live.length;
  const corr = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) corr[a * k + b] = a === b ? 1 : Math.sin(3 * a + 5 * b + a * b) * 0.9;
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) corr[a * k + b] = corr[b * k + a];

  it('is exact |r| when D ≤ maxSide (dead dims are 0)', () => {
    const p = blockAveragedAbsCorrelation(corr, live, 7, 512);
    expect(p.blockSize).toBe(1);
    expect(p.size).toBe(7);
    naive(corr, live, 7, 1).forEach((v, i) => expect(p.values[i]).toBeCloseTo(v, 14));
    expect(p.values[2 * 7 + 2]).toBe(0);
  });

  it('the diagonal counts 1 whatever the matrix holds there, and |r| is capped at 1 (rounding)', () => {
    const off = Float64Array.from(corr, (v, i) => (i % (k + 1) === 0 ? 0.999999999 : i === 1 ? 1 + 1e-12 : v));
    const exact = blockAveragedAbsCorrelation(off, live, 7, 512);
    expect(exact.values[0]).toBe(1);
    expect(exact.values[1]).toBe(1);
    const blocks = blockAveragedAbsCorrelation(off, live, 7, 3);
    const fixed = Float64Array.from(off, (v, i) => (i % (k + 1) === 0 ? 1 : Math.min(1, Math.abs(v))));
    naive(fixed, live, 7, 3).forEach((v, i) => expect(blocks.values[i]).toBeCloseTo(v, 14));
  });

  it('block-averages to at most maxSide cells, uneven last block included', () => {
    const p = blockAveragedAbsCorrelation(corr, live, 7, 3); // blockSize 3: cells {0,1,2} {3,4,5} {6}
    expect(p.blockSize).toBe(3);
    expect(p.size).toBe(3);
    naive(corr, live, 7, 3).forEach((v, i) => expect(p.values[i]).toBeCloseTo(v, 14));
    expect([...p.clusterOrder].sort()).toEqual([0, 1, 2]);
  });
});
