/**
 * Redundancy groups: which dims are redundant with which (docs/science.md, "Redundancy groups").
 *
 *   groups  average-linkage agglomerative clustering of the live dims on the distance 1 − |r| (r: the in-sample
 *           Pearson correlation of all N rows), cut where the linkage exceeds 1 − cut: every group is a set of
 *           ≥ 2 dims whose mean |r| across every split of its tree (so also over all its pairs) is ≥ cut, with
 *           cut = max(0.5, r_crit), r_crit the |r| a pair of independent dims exceeds with family-wise probability
 *           5% (Fisher z, Bonferroni over the k(k−1)/2 pairs). Average linkage does not chain (single linkage would
 *           join two blocks through one strong pair), and is the clustering scipy's `linkage(method='average')` does.
 *   links   pairs whose partial correlation ρ_ij·rest = −P_ij / √(P_ii P_jj), P = C⁻¹ (the precision of the same
 *           correlation matrix), is significant at family-wise 5%: |atanh ρ|·√(N − k − 1) > z_{1 − 0.05/(2m)}.
 *           Null where C is singular or N ≤ k + 1 (no partial correlation can be told from noise there).
 *
 * O(k²) memory (one k × k distance matrix) and O(k²) time (the nearest-neighbour chain), deterministic.
 */

/** Fixed effect size of a group: a mean |r| of 0.5 is a shared variance r² of 0.25. */
export const GROUP_MIN_ABS_R = 0.5;
/** Family-wise false-positive rate of the significance parts (groups' r_crit, the partial-correlation links). */
export const FAMILY_WISE_ALPHA = 0.05;

export interface RedundancyGroup {
  /** original dims, ascending */
  dims: number[];
  /** mean |r| over the group's pairs (≥ threshold by construction) */
  meanAbsR: number;
  /** mean |partial r| over the group's pairs; null without the precision matrix */
  meanAbsPartialR: number | null;
  /** significant partial-correlation links inside the group; null without the precision matrix */
  links: number | null;
}

export interface RedundancyGroups {
  /** what the groups are cut on: mean |r| (average linkage) */
  clustering: 'average-linkage-abs-r';
  /** the cut: groups have mean |r| ≥ threshold (max of GROUP_MIN_ABS_R and the significance level for N) */
  threshold: number;
  /** what the links are: the partial correlation from the precision matrix of the correlation matrix */
  linkMeasure: 'partial-correlation';
  /** |partial r| above which a pair is a link; null where it is undefined (singular C, N ≤ k + 1) */
  linkThreshold: number | null;
  /** significant links among all live pairs; null where linkThreshold is */
  links: number | null;
  /** number of groups (≥ 2 dims each) */
  count: number;
  /** dims in some group */
  dimsInGroups: number;
  /** dimsInGroups / D (all dims, dead ones included: they are in no group) */
  shareOfDims: number;
  /** largest first (ties: the lower first dim) */
  groups: RedundancyGroup[];
}

/**
 * corr: k × k correlation of the live dims `liveDims` (original indices), row-major; partialCorr: the partial
 * correlations of its inverse, `partialCorrelations(C⁻¹, k)` (k × k), or null where C is singular — computed once by
 * the caller, which also hands it to the heatmap; n: rows it was computed on; d: all dims.
 */
export function redundancyGroups(corr: Float64Array, partialCorr: Float64Array | null, liveDims: readonly number[], n: number, d: number): RedundancyGroups {
  const k = liveDims.length;
  const pairs = (k * (k - 1)) / 2;
  const zCrit = pairs > 0 ? normalQuantileUpper(FAMILY_WISE_ALPHA / (2 * pairs)) : Infinity;
  const rCrit = n > 3 ? Math.tanh(zCrit / Math.sqrt(n - 3)) : 1;
  const threshold = Math.max(GROUP_MIN_ABS_R, rCrit);
  const linkThreshold = partialCorr && n - k - 1 > 0 ? Math.tanh(zCrit / Math.sqrt(n - k - 1)) : null;
  const partial = linkThreshold !== null ? partialCorr : null;

  const clusters = averageLinkageClusters(corr, k, 1 - threshold).filter((c) => c.length >= 2);
  let links: number | null = null;
  if (partial && linkThreshold !== null) {
    links = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) if (Math.abs(partial[i * k + j]) > linkThreshold) links++;
  }
  const groups = clusters.map((members): RedundancyGroup => {
    let sumR = 0;
    let sumP = 0;
    let within = 0;
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const [i, j] = [members[a], members[b]];
        sumR += Math.abs(corr[i * k + j]);
        if (partial) {
          const p = Math.abs(partial[i * k + j]);
          sumP += p;
          if (p > linkThreshold!) within++;
        }
      }
    }
    const m = (members.length * (members.length - 1)) / 2;
    return {
      dims: members.map((i) => liveDims[i]).sort((a, b) => a - b),
      meanAbsR: sumR / m,
      meanAbsPartialR: partial ? sumP / m : null,
      links: partial ? within : null,
    };
  });
  groups.sort((a, b) => b.dims.length - a.dims.length || a.dims[0] - b.dims[0]);
  const dimsInGroups = groups.reduce((s, g) => s + g.dims.length, 0);
  return {
    clustering: 'average-linkage-abs-r',
    threshold,
    linkMeasure: 'partial-correlation',
    linkThreshold,
    links,
    count: groups.length,
    dimsInGroups,
    shareOfDims: d > 0 ? dimsInGroups / d : 0,
    groups,
  };
}

/** ρ_ij·rest = −P_ij / √(P_ii P_jj) (k × k, row-major; 1 on the diagonal). */
export function partialCorrelations(precision: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * k);
  const s = Float64Array.from({ length: k }, (_, i) => 1 / Math.sqrt(precision[i * k + i]));
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) out[i * k + j] = i === j ? 1 : -precision[i * k + j] * s[i] * s[j];
  return out;
}

/**
 * The clusters of average-linkage agglomerative clustering on 1 − |r| whose merges all happen at distance ≤ cutDistance
 * (singletons included), as lists of indices into corr. Nearest-neighbour chain: O(k²) time, one k × k matrix. Average
 * linkage is reducible, so the chain builds the same dendrogram as merging the closest pair each time; the linkage never
 * decreases up the tree, so the clusters at the cut are the components of the merges at or below it.
 */
export function averageLinkageClusters(corr: ArrayLike<number>, k: number, cutDistance: number): number[][] {
  const dist = new Float64Array(k * k);
  // symmetric by construction, or the chain could cycle without end (clusterOrder.ts)
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) dist[i * k + j] = dist[j * k + i] = 1 - Math.min(1, (Math.abs(corr[i * k + j]) + Math.abs(corr[j * k + i])) / 2);
  const size = new Array<number>(k).fill(1);
  const active = new Array<boolean>(k).fill(true);
  const parent = Array.from({ length: k }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const chain: number[] = [];
  let remaining = k;
  let nextStart = 0;
  while (remaining > 1) {
    if (chain.length === 0) {
      while (!active[nextStart]) nextStart++;
      chain.push(nextStart);
    }
    const a = chain[chain.length - 1];
    const previous = chain.length >= 2 ? chain[chain.length - 2] : -1;
    // nearest active cluster to a; ties go to the previous chain element (so the chain ends), then the lower index
    let b = previous;
    let best = previous >= 0 ? dist[a * k + previous] : Infinity;
    for (let j = 0; j < k; j++) {
      if (j === a || !active[j]) continue;
      const v = dist[a * k + j];
      if (v < best) {
        best = v;
        b = j;
      }
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    // a and b are reciprocal nearest neighbours: merge b into a (Lance–Williams, average linkage)
    chain.length -= 2;
    if (best <= cutDistance) parent[find(b)] = find(a);
    for (let j = 0; j < k; j++) {
      if (!active[j] || j === a || j === b) continue;
      const v = (size[a] * dist[a * k + j] + size[b] * dist[b * k + j]) / (size[a] + size[b]);
      dist[a * k + j] = dist[j * k + a] = v;
    }
    size[a] += size[b];
    active[b] = false;
    remaining--;
  }
  const byRoot = new Map<number, number[]>();
  for (let i = 0; i < k; i++) {
    const r = find(i);
    const list = byRoot.get(r);
    if (list) list.push(i);
    else byRoot.set(r, [i]);
  }
  return [...byRoot.values()];
}

/**
 * z with P(Z > z) = p for a standard normal Z (0 < p < 1): Acklam's rational approximation (relative error < 1.2e-9),
 * refined by one Halley step on an erfc accurate to 1e-14 in the tails we use.
 */
export function normalQuantileUpper(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantileUpper needs 0 < p < 1, got ${p}`);
  const q = 1 - p; // lower-tail probability of the answer
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const e = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p > 1 - low) {
    const t = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((e[0] * t + e[1]) * t + e[2]) * t + e[3]) * t + 1);
  } else if (p >= low) {
    const t = q - 0.5;
    const r = t * t;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * t) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const t = Math.sqrt(-2 * Math.log(p));
    x = -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / ((((e[0] * t + e[1]) * t + e[2]) * t + e[3]) * t + 1);
  }
  // Halley step on f(x) = P(Z > x) − p
  const err = 0.5 * erfc(x / Math.SQRT2) - p;
  const u = err * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x + u / (1 + (x * u) / 2);
}

/** erfc(x), Chebyshev fit (Numerical Recipes' erfccheb, relative error ~1.2e-16 after 28 terms). */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  const t = 2 / (2 + x);
  const ty = 4 * t - 2;
  let d = 0;
  let dd = 0;
  for (let j = ERFC_COEF.length - 1; j > 0; j--) {
    const tmp = d;
    d = ty * d - dd + ERFC_COEF[j];
    dd = tmp;
  }
  return t * Math.exp(-x * x + 0.5 * (ERFC_COEF[0] + ty * d) - dd);
}

const ERFC_COEF = [
  -1.3026537197817094, 6.4196979235649026e-1, 1.9476473204185836e-2, -9.561514786808631e-3, -9.46595344482036e-4, 3.66839497852761e-4,
  4.2523324806907e-5, -2.0278578112534e-5, -1.624290004647e-6, 1.30365583558e-6, 1.5626441722e-8, -8.5238095915e-8, 6.529054439e-9,
  5.059343495e-9, -9.91364156e-10, -2.27365122e-10, 9.6467911e-11, 2.394038e-12, -6.886027e-12, 8.94487e-13, 3.13092e-13, -1.12708e-13,
  3.81e-16, 7.106e-15, -1.523e-15, -9.4e-17, 1.21e-16, -2.8e-17,
];

/**
 * The mean of a per-dim measure (indexed by the original dim, null where not evaluated) over each group's dims, the
 * dims without a value left out; null for a group none of whose dims has one (or without the measure).
 */
export function groupMeans(groups: readonly RedundancyGroup[], perDim: readonly (number | null)[] | null | undefined): (number | null)[] {
  return groups.map((g) => {
    if (!perDim) return null;
    let sum = 0;
    let count = 0;
    for (const j of g.dims) {
      const v = perDim[j];
      if (v === null || v === undefined) continue;
      sum += v;
      count++;
    }
    return count ? sum / count : null;
  });
}

/** The index of the group that holds `dim` (groups are disjoint), or −1 where it is in none. */
export function groupOfDim(groups: readonly RedundancyGroup[], dim: number): number {
  return groups.findIndex((g) => g.dims.includes(dim));
}
