import { describe, expect, it } from 'vitest';
import { studyWarnings, type StudyRow } from '../../../src/core/study/studyTable.ts';
import { labelsDigest } from '../../../src/core/study/labelsDigest.ts';

function row(file: string, lr: number, ci: [number, number] | null): StudyRow {
  return {
    file, n: 2000, d: 64, deadDims: 0, aac: 0.1, lr, nlr: null, nlrMinusLr: null, rankMe: null, lrStd: null, nlrStd: null,
    accuracy: null, accuracySource: null, labels: null, lrSplitCi95: ci, nlrSplitCi95: null, lrSplitMean: ci ? (ci[0] + ci[1]) / 2 : null,
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

describe('labels-mismatch', () => {
  // 2,000 labels of 10 classes in a fixed pseudo-random order
  const labels = Int32Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10);
  const shuffled = labels.slice().reverse(); // the same samples, rows in another order
  const relabelled = labels.map((c) => (c === 3 ? 4 : c)); // classes 3 and 4 merged: other labels
  const withLabels = (file: string, l: Int32Array) => ({ ...row(file, 0.5, null), labels: labelsDigest(l) });

  it('the digest: equal labels → equal digest; another order → same histogram, other sequence; other labels → both differ', () => {
    expect(labelsDigest(labels.slice())).toEqual(labelsDigest(labels));
    expect(labelsDigest(shuffled).histogram).toBe(labelsDigest(labels).histogram);
    expect(labelsDigest(shuffled).sequence).not.toBe(labelsDigest(labels).sequence);
    expect(labelsDigest(relabelled).histogram).not.toBe(labelsDigest(labels).histogram);
    // one label changed in 2,000 (a class count moves): a different sequence and histogram
    const one = labels.slice();
    one[1234] = (one[1234] + 1) % 10;
    expect(labelsDigest(one).sequence).not.toBe(labelsDigest(labels).sequence);
    expect(labelsDigest(labels)).toMatchObject({ n: 2000, classes: 10 });
  });

  it('names the file whose rows are in another order, and the file with other labels, against the labels most models share', () => {
    const w = studyWarnings([withLabels('a.npz', labels), withLabels('b.npz', shuffled), withLabels('c.npz', labels), withLabels('d.npz', relabelled)]);
    expect(w.map((x) => [x.code, x.files])).toEqual([['labels-mismatch', ['b.npz', 'd.npz']]]);
    expect(w[0].message).toContain("The models' labels do not agree with those of a.npz, c.npz");
    expect(w[0].message).toContain("b.npz: the same classes and counts in another row order — its rows are not aligned with the others' (a shuffled data loader?)");
    expect(w[0].message).toContain('d.npz: other labels (other samples, or another labelling)');
  });

  it('says nothing when the labels agree, when only one model has labels, or when N differs (n-mismatch says it)', () => {
    expect(studyWarnings([withLabels('a.npz', labels), withLabels('b.npz', labels.slice()), row('c.npy', 0.5, null)])).toEqual([]);
    expect(studyWarnings([withLabels('a.npz', labels), row('b.npy', 0.6, null)])).toEqual([]);
    const short = { ...withLabels('b.npz', labels.subarray(0, 1500)), n: 1500 };
    expect(studyWarnings([withLabels('a.npz', labels), short]).map((x) => x.code)).toEqual(['n-mismatch']);
  });
});
