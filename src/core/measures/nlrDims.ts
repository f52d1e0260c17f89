/** Which dims NLR trains heads for, and the few the null baseline trains. */
import { RedundancyLabError } from '../errors.ts';
import { numpyPermutation } from '../numerics/split.ts';
import type { NlrDimSelection } from './types.ts';

/** Original dim indices NLR trains heads for (a seeded sample reproducible with NumPy's permutation). */
export function selectNlrDims(sel: NlrDimSelection, seed: number, usable: number[], d: number, fileName: string): number[] {
  const sample = (count: number) => {
    const perm = numpyPermutation(usable.length, seed);
    return Array.from(perm.subarray(0, Math.max(1, Math.min(count, usable.length))), (i) => usable[i]).sort((a, b) => a - b);
  };
  switch (sel.kind) {
    case 'all':
      return usable.slice();
    case 'fraction':
      return sample(Math.round(sel.fraction * usable.length));
    case 'count':
      return sample(sel.count);
    case 'list': {
      const bad = sel.dims.filter((j) => !Number.isInteger(j) || j < 0 || j >= d);
      if (bad.length) throw new RedundancyLabError('bad-option', `NLR dims ${bad.join(', ')} are outside 0…${d - 1}`, fileName);
      const ok = new Set(usable);
      return [...new Set(sel.dims)].filter((j) => ok.has(j)).sort((a, b) => a - b);
    }
  }
}

/** How many NLR dims the null baseline trains: a seeded few of the measured ones (NLR_null is a reference level). */
export const NLR_NULL_DIMS = 4;

export function nullNlrDims(evaluated: number[], seed: number): number[] {
  if (evaluated.length <= NLR_NULL_DIMS) return evaluated.slice();
  const perm = numpyPermutation(evaluated.length, seed);
  return Array.from(perm.subarray(0, NLR_NULL_DIMS), (i) => evaluated[i]).sort((a, b) => a - b);
}

