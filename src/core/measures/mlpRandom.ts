/**
 * Seeded weight initialisation for the NLR heads: PyTorch's default nn.Linear init
 * (weights and biases ~ U(−1/√fan_in, 1/√fan_in)) drawn from a small PRNG of our own.
 *
 * Each head has its own stream, seeded from (settings.seed, target column), so a head's starting
 * weights do not depend on which other heads share its batch: training 1 or 500 heads at once gives
 * the same model for a given dim (up to float rounding).
 *
 * Stream order per head, PyTorch layout (weight is out × in, row-major):
 *   layer 1 weight (h1 × (d−1), inputs in column order with the target left out), layer 1 bias (h1),
 *   layer 2 weight (h2 × h1), layer 2 bias (h2), …, output weight (1 × h_last), output bias (1).
 */

/** mulberry32: a 32-bit PRNG, uniform in [0, 1). Small, fast, and good enough for weight init. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seed of the stream for the head that predicts column `target`. */
export function headSeed(seed: number, target: number): number {
  return fmix32((fmix32(Math.trunc(seed) >>> 0) ^ Math.imul((target >>> 0) + 1, 0x9e3779b1)) >>> 0);
}

/** The PRNG stream of the head that predicts column `target`. */
export function headRandom(seed: number, target: number): () => number {
  return mulberry32(headSeed(seed, target));
}

/** One dense layer in PyTorch layout: weight is out × in, row-major. */
export interface LinearInit {
  fanIn: number;
  fanOut: number;
  weight: Float32Array;
  bias: Float32Array;
}

/** nn.Linear's default init: weight, then bias, each ~ U(−1/√fanIn, 1/√fanIn), from `random`. */
export function linearInit(random: () => number, fanIn: number, fanOut: number): LinearInit {
  const bound = 1 / Math.sqrt(fanIn);
  const weight = new Float32Array(fanOut * fanIn);
  for (let i = 0; i < weight.length; i++) weight[i] = bound * (2 * random() - 1);
  const bias = new Float32Array(fanOut);
  for (let i = 0; i < fanOut; i++) bias[i] = bound * (2 * random() - 1);
  return { fanIn, fanOut, weight, bias };
}

/**
 * Initial layers of the head predicting `target` from the other `inputs − 1` columns:
 * (inputs−1) → hidden[0] → … → hidden[last] → 1.
 */
export function headInit(seed: number, target: number, inputs: number, hidden: readonly number[]): LinearInit[] {
  const random = headRandom(seed, target);
  const sizes = [inputs - 1, ...hidden, 1];
  const layers: LinearInit[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) layers.push(linearInit(random, sizes[l], sizes[l + 1]));
  return layers;
}
