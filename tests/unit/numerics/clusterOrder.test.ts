import { describe, expect, it } from 'vitest';
import { clusterOrder } from '../../../src/core/numerics/clusterOrder.ts';

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

  it('handles tiny inputs', () => {
    expect(clusterOrder(new Float64Array([1]), 1)).toEqual([0]);
    expect(clusterOrder(new Float64Array(0), 0)).toEqual([]);
  });
});
