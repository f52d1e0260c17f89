import { describe, expect, it } from 'vitest';
import { correlateAcrossModels, leastSquaresLine } from '../../../src/core/study/modelCorrelation.ts';

describe('correlation across models', () => {
  it('refuses to call ≤ 3 models a correlation', () => {
    const r = correlateAcrossModels([0.1, 0.2, 0.3], [1, 2, 3]);
    expect(r.meaningful).toBe(false);
    expect(r.pearson).toBeNull();
    expect(r.note).toMatch(/at least 4/);
  });
  it('a perfect monotone relation: r = ρ = 1 and a CI at 1', () => {
    const r = correlateAcrossModels([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(r.pearson).toBeCloseTo(1, 12);
    expect(r.spearman).toBeCloseTo(1, 12);
    expect(r.pearsonCi95![0]).toBeCloseTo(1, 9);
  });
  it('matches hand-computed Pearson and Spearman, and the CI brackets r', () => {
    // x = [1,2,3,4], y = [1,3,2,4]: r = 0.8, ρ = 0.8
    const r = correlateAcrossModels([1, 2, 3, 4, null], [1, 3, 2, 4, 7]);
    expect(r.n).toBe(4);
    expect(r.pearson).toBeCloseTo(0.8, 12);
    expect(r.spearman).toBeCloseTo(0.8, 12);
    expect(r.pearsonCi95![0]).toBeLessThanOrEqual(0.8);
    expect(r.pearsonCi95![1]).toBeGreaterThanOrEqual(0.8);
    expect(correlateAcrossModels([1, 2, 3, 4], [1, 3, 2, 4]).pearsonCi95).toEqual(r.pearsonCi95); // seeded
  });
});

describe('least-squares line across models', () => {
  it('passes through points on a line exactly, and is null when x does not vary', () => {
    expect(leastSquaresLine([1, 2, 4], [3, 5, 9])).toEqual({ x: [1, 4], y: [3, 9] }); // y = 1 + 2x
    const noisy = leastSquaresLine([0, 1, 2, 3], [0, 2, 1, 3])!;
    // slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = 4/5, through (x̄, ȳ) = (1.5, 1.5)
    expect(noisy.y[0]).toBeCloseTo(1.5 - 0.8 * 1.5, 12);
    expect(noisy.y[1]).toBeCloseTo(1.5 + 0.8 * 1.5, 12);
    expect(leastSquaresLine([2, 2, 2], [1, 2, 3])).toBeNull();
  });
});
