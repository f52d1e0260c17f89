/**
 * The train/held-out split of scikit-learn's `train_test_split(X, test_size, random_state=seed)`,
 * reproduced row for row so our numbers can be compared with the authors' pipeline on the same rows.
 *
 * sklearn's ShuffleSplit draws `np.random.RandomState(seed).permutation(n)`; the held-out rows are the
 * first ceil(test_size·n) of it, the train rows the rest, both in permutation order (row order matters
 * for NLR: its SGD batches run in that order).
 */

const N = 624;
const M = 397;

/** NumPy's legacy MT19937 (`RandomState(seed)` with an integer seed: `init_genrand`). */
class MersenneTwister {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`split seed must be an integer in [0, 2^32 − 1], got ${seed}`);
    }
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // 1812433253 * prev, in 32-bit arithmetic without losing bits to float rounding
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      let next = mt[(i + M) % N] ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      mt[i] = next >>> 0;
    }
    this.index = 0;
  }

  /** NumPy's `random_interval(max)`: uniform in [0, max] by masked rejection (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }
}

/** A seeded integer in [0, max] stream (NumPy's `random_interval`), for resampling. */
export function seededIntervalStream(seed: number): (max: number) => number {
  const rng = new MersenneTwister(seed);
  return (max) => rng.interval(max);
}

/** `np.random.RandomState(seed).permutation(n)` (legacy Fisher–Yates from the end). */
export function numpyPermutation(n: number, seed: number): Uint32Array {
  const rng = new MersenneTwister(seed);
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i >= 1; i--) {
    const j = rng.interval(i);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

export interface TrainTestSplit {
  /** train row indices in sklearn's order */
  train: Uint32Array;
  /** held-out row indices in sklearn's order */
  test: Uint32Array;
}

/** Exactly sklearn's `train_test_split(range(n), test_size=testFraction, random_state=seed)`. */
export function sklearnTrainTestSplit(n: number, testFraction: number, seed: number): TrainTestSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`test fraction must be in (0, 1), got ${testFraction}`);
  const nTest = Math.ceil(testFraction * n);
  const nTrain = n - nTest;
  if (nTrain < 2 || nTest < 2) throw new RangeError(`${n} rows are too few for a ${testFraction} held-out split`);
  const perm = numpyPermutation(n, seed);
  return { test: perm.slice(0, nTest), train: perm.slice(nTest, nTest + nTrain) };
}
