/**
 * A display order for a similarity matrix: average-linkage agglomerative clustering on distance 1 − s,
 * leaves read left to right. Dims that are correlated end up next to each other, so blocks of redundant
 * dims show as squares on the heatmap. O(n³) on the ≤ 512-cell preview (well under a second).
 */
export function clusterOrder(similarity: ArrayLike<number>, n: number): number[] {
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dist[i * n + j] = 1 - similarity[i * n + j];
  const size = new Array<number>(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Array<boolean>(n).fill(true);
  for (let merges = 0; merges < n - 1; merges++) {
    let best = Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (alive[j] && dist[i * n + j] < best) {
          best = dist[i * n + j];
          a = i;
          b = j;
        }
      }
    }
    // merge b into a; average linkage (Lance–Williams): d(a∪b, k) = (|a|·d(a,k) + |b|·d(b,k)) / (|a| + |b|)
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a || k === b) continue;
      const v = (size[a] * dist[a * n + k] + size[b] * dist[b * n + k]) / (size[a] + size[b]);
      dist[a * n + k] = dist[k * n + a] = v;
    }
    members[a] = members[a].concat(members[b]);
    size[a] += size[b];
    alive[b] = false;
  }
  return members[alive.indexOf(true)];
}
