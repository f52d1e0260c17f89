import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { numpyPermutation, sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';

// Index files written by NumPy / scikit-learn (tests/reference/make_split_reference.py).
const reference = JSON.parse(readFileSync(new URL('../../fixtures/reference/split.json', import.meta.url), 'utf8')) as Record<
  string,
  { n: number; seed: number; permutation?: number[]; head?: number[]; tail?: number[]; train?: number[]; test?: number[] }
>;

describe('split reproduces NumPy / scikit-learn row for row', () => {
  for (const [key, ref] of Object.entries(reference)) {
    it(`RandomState(${ref.seed}).permutation(${ref.n})`, () => {
      const perm = Array.from(numpyPermutation(ref.n, ref.seed));
      if (ref.permutation) expect(perm).toEqual(ref.permutation);
      else {
        expect(perm.slice(0, ref.head!.length)).toEqual(ref.head);
        expect(perm.slice(-ref.tail!.length)).toEqual(ref.tail);
      }
    });
    if (ref.train && ref.test) {
      it(`train_test_split(n=${ref.n}, test_size=0.25, random_state=${ref.seed}) [${key}]`, () => {
        const split = sklearnTrainTestSplit(ref.n, 0.25, ref.seed);
        expect(Array.from(split.train)).toEqual(ref.train);
        expect(Array.from(split.test)).toEqual(ref.test);
      });
    }
  }

  it('rejects seeds NumPy rejects', () => {
    expect(() => numpyPermutation(5, -1)).toThrow(RangeError);
    expect(() => numpyPermutation(5, 2 ** 32)).toThrow(RangeError);
    expect(() => numpyPermutation(5, 1.5)).toThrow(RangeError);
  });
});
