import { describe, expect, it } from 'vitest';
import { studyWarnings, type StudyRow } from '../../../src/core/study/studyTable.ts';

function row(file: string, lr: number, ci: [number, number] | null): StudyRow {
  return {
    file, n: 2000, d: 64, deadDims: 0, aac: 0.1, lr, nlr: null, nlrMinusLr: null, rankMe: null, lrStd: null, nlrStd: null,
    accuracy: null, accuracySource: null, lrSplitCi95: ci, nlrSplitCi95: null, lrSplitMean: ci ? (ci[0] + ci[1]) / 2 : null,
    nlrSplitMean: null, splits: ci ? 5 : null, tag: null, tagName: null, warnings: [], nlrEpochs: null, nlrOptimizer: null, nlrDims: null,
  };
}

describe('split-ci-wide', () => {
  it('flags a model whose split interval is wider than the gap to its nearest neighbour, naming both', () => {
    const w = studyWarnings([row('a.npy', 0.70, [0.66, 0.74]), row('b.npy', 0.72, [0.715, 0.725]), row('c.npy', 0.9, [0.89, 0.91])]);
    expect(w.map((x) => x.files[0])).toEqual(['a.npy']);
    expect(w[0].code).toBe('split-ci-wide');
    expect(w[0].message).toMatch(/a\.npy.*wider than the gap to b\.npy \(0\.020\)/);
  });

  it('says nothing when intervals are narrow next to the differences, or were not measured', () => {
    expect(studyWarnings([row('a.npy', 0.5, [0.49, 0.51]), row('b.npy', 0.7, [0.69, 0.71])])).toEqual([]);
    expect(studyWarnings([row('a.npy', 0.5, null), row('b.npy', 0.5001, null)])).toEqual([]);
  });
});

describe('n-mismatch', () => {
  it('models of different N: one warning naming every model and its N', () => {
    const w = studyWarnings([row('a.npy', 0.5, null), { ...row('b.npy', 0.6, null), n: 2500 }, row('c.npy', 0.7, null)]);
    expect(w).toEqual([{
      code: 'n-mismatch',
      files: ['a.npy', 'b.npy', 'c.npy'],
      message: 'The models do not share N (a.npy: N = 2000, b.npy: N = 2500, c.npy: N = 2000): they did not see the same samples, so their measures and accuracies do not compare — keep only the files of one N.',
    }]);
  });

  it('one N: no warning', () => {
    expect(studyWarnings([row('a.npy', 0.5, null), row('b.npy', 0.6, null)])).toEqual([]);
  });
});
