import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clusterOrder } from '../../../src/core/numerics/clusterOrder.ts';
import { mulberry32 } from '../../../src/core/measures/mlpRandom.ts';

/** The textbook O(n³) average linkage: merge the globally closest pair (lowest indices on ties), lower index kept. */
function textbookOrder(similarity: ArrayLike<number>, n: number): number[] {
  const dist = Array.from({ length: n * n }, (_, i) => 1 - similarity[i]);
  const size = new Array<number>(n).fill(1);
  const members: number[][] = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Array<boolean>(n).fill(true);
  for (let merges = 0; merges < n - 1; merges++) {
    let best = Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (alive[i] && alive[j] && dist[i * n + j] < best) [best, a, b] = [dist[i * n + j], i, j];
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === a || k === b) continue;
      dist[a * n + k] = dist[k * n + a] = (size[a] * dist[a * n + k] + size[b] * dist[b * n + k]) / (size[a] + size[b]);
    }
    members[a] = members[a].concat(members[b]);
    size[a] += size[b];
    alive[b] = false;
  }
  return members[alive.indexOf(true)];
}

describe('cluster order for the heatmap', () => {
  it('is a permutation that puts the members of each correlated block next to each other', () => {
    // dims 0,3,6 strongly alike, 1,4,7 alike, 2,5 alike; weak similarity across blocks
    const n = 8;
    const block = [0, 1, 2, 0, 1, 2, 0, 1];
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = i === j ? 1 : block[i] === block[j] ? 0.8 + 0.01 * ((i + j) % 3) : 0.05 + 0.01 * ((i * j) % 4);
    const order = clusterOrder(s, n);
    expect([...order].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const blocksInOrder = order.map((i) => block[i]);
    // each block is one contiguous run
    const runs = blocksInOrder.filter((b, k) => k === 0 || b !== blocksInOrder[k - 1]);
    expect(runs).toHaveLength(3);
  });

  it('the same order as the textbook loop: random similarities, and |correlations| of blocks of dims', () => {
    for (const [n, seed] of [[3, 1], [17, 2], [60, 3], [131, 4]]) {
      const random = mulberry32(seed);
      const s = new Float64Array(n * n);
      const group = Array.from({ length: n }, () => Math.floor(random() * 5));
      for (let i = 0; i < n; i++) {
        s[i * n + i] = 1;
        for (let j = 0; j < i; j++) s[i * n + j] = s[j * n + i] = (group[i] === group[j] ? 0.5 : 0) + 0.5 * random();
      }
      expect(clusterOrder(s, n)).toEqual(textbookOrder(s, n));
    }
  });

  it('ends on a matrix whose halves differ (the chain once cycled there, growing until V8 aborted the process)', () => {
    // in a child process: the old failure was a fatal V8 error, not an exception a test could catch
    const script = `
      import { clusterOrder } from ${JSON.stringify(new URL('../../../src/core/numerics/clusterOrder.ts', import.meta.url).pathname)};
      import { averageLinkageClusters } from ${JSON.stringify(new URL('../../../src/core/measures/redundancyGroups.ts', import.meta.url).pathname)};
      import { mulberry32 } from ${JSON.stringify(new URL('../../../src/core/measures/mlpRandom.ts', import.meta.url).pathname)};
      const n = 300, random = mulberry32(7), s = new Float64Array(n * n).map(() => 2 * random() - 1);
      const order = clusterOrder(s, n);
      const symmetric = s.map((_, k) => (s[k] + s[(k % n) * n + Math.floor(k / n)]) / 2);
      const groups = averageLinkageClusters(s, n, 0.9).flat().sort((a, b) => a - b);
      console.log(JSON.stringify({ sorted: [...order].sort((a, b) => a - b).every((v, i) => v === i), same: JSON.stringify(order) === JSON.stringify(clusterOrder(symmetric, n)), groups: groups.length === n && groups.every((v, i) => v === i) }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 60_000, maxBuffer: 1 << 20 }).toString();
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ sorted: true, same: true, groups: true });
  });

  it('handles tiny inputs', () => {
    expect(clusterOrder(new Float64Array([1]), 1)).toEqual([0]);
    expect(clusterOrder(new Float64Array(0), 0)).toEqual([]);
  });
});
