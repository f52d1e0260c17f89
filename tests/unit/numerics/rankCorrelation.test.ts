import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from '../../../src/core/numerics/rankCorrelation.ts';

describe('pearson', () => {
  it('is 1 / −1 for exact linear relations', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [5, 3, 1, -1])).toBeCloseTo(-1, 12);
  });
  it('matches numpy on a small case', () => {
    // numpy: np.corrcoef([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 7.8, 11.5])[0, 1]
    expect(pearson([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 7.8, 11.5])).toBeCloseTo(0.9888275310, 9);
  });
  it('is NaN for a constant list or fewer than 2 points', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
  });
  it('rejects lists of different length', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/x has 2 values but y has 1/);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation', () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])).toBeCloseTo(1, 12);
  });
  it('averages tied ranks like scipy', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    // numpy: np.corrcoef of the average ranks [1, 2.5, 2.5, 4, 5] and [1, 3, 2, 4.5, 4.5]
    expect(spearman([1, 2, 2, 3, 4], [1, 3, 2, 4, 4])).toBeCloseTo(0.9473684211, 9);
  });
});
