/**
 * A display order for a similarity matrix: average-linkage agglomerative clustering on distance 1 − s,
 * leaves read left to right. Dims that are correlated end up next to each other, so blocks of redundant
 * dims show as squares on the heatmap.
 *
 * Nearest-neighbour chain (average linkage is reducible, so merging reciprocal nearest neighbours in any order
 * builds the same tree as merging the globally closest pair each time): O(n²) time, where the textbook loop is
 * O(n³) — 2 × 130 ms on the two 512-cell previews of every job, on the job's critical path. Each merge keeps the
 * lower index as the cluster's (its members first), as the textbook loop does, so the leaf order is the same.
 */
export function clusterOrder(similarity: ArrayLike<number>, n: number): number[] {
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  // symmetric by construction: on a matrix whose halves differ (rounding in an inverse, a caller's bug) the chain
  // could cycle and grow without end — V8 then aborts the process, it does not throw
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) dist[i * n + j] = dist[j * n + i] = 1 - (similarity[i * n + j] + similarity[j * n + i]) / 2;
  const size = new Array<number>(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Array<boolean>(n).fill(true);
  const chain: number[] = [];
  for (let clusters = n; clusters > 1; ) {
    if (chain.length === 0) chain.push(alive.indexOf(true));
    const a = chain[chain.length - 1];
    const previous = chain.length >= 2 ? chain[chain.length - 2] : -1;
    // a's nearest neighbour; on a tie the previous link of the chain (so the chain always ends), then the lower index
    let b = previous;
    let best = previous >= 0 ? dist[a * n + previous] : Infinity;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a) continue;
      if (dist[a * n + k] < best) {
        best = dist[a * n + k];
        b = k;
      }
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    // a and b are each other's nearest: merge them into the lower index (Lance–Williams, average linkage)
    chain.length -= 2;
    const keep = Math.min(a, b);
    const gone = Math.max(a, b);
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a || k === b) continue;
      const v = (size[a] * dist[a * n + k] + size[b] * dist[b * n + k]) / (size[a] + size[b]);
      dist[keep * n + k] = dist[k * n + keep] = v;
    }
    members[keep] = members[keep].concat(members[gone]);
    size[keep] += size[gone];
    alive[gone] = false;
    clusters--;
  }
  return members[alive.indexOf(true)];
}
