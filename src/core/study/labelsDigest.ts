/**
 * What a study needs to know of each model's labels to say whether the models saw the same samples in the same
 * order: a hash of the label sequence and a hash of the class histogram. Equal histograms with different
 * sequences is the classic shuffled-data-loader mistake (the same samples, rows not aligned); different
 * histograms: different samples or different labels. Hashes, not the labels, so a saved result stays small.
 */
export interface LabelsDigest {
  n: number;
  classes: number;
  /** hash of the labels in row order (hex) */
  sequence: string;
  /** hash of the sorted (class, count) pairs (hex) */
  histogram: string;
}

export function labelsDigest(labels: ArrayLike<number>): LabelsDigest {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  const histogram = [...counts].sort((a, b) => a[0] - b[0]).flat();
  return { n: labels.length, classes: counts.size, sequence: hash53(labels), histogram: hash53(histogram) };
}

/**
 * cyrb53 (a public-domain 53-bit string hash by bryc) over 32-bit integers: two multiplicative lanes mixed at the
 * end. Written here because it is ten lines; collisions are ~2⁻⁵³, far below any chance that matters here.
 */
function hash53(values: ArrayLike<number>): string {
  let h1 = 0xdeadbeef ^ values.length;
  let h2 = 0x41c6ce57 ^ values.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] | 0;
    h1 = Math.imul(h1 ^ v, 2654435761);
    h2 = Math.imul(h2 ^ v, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}
