/** What a click on a chart hands to the dim inspector (each builder's `pick`): the dims under the point. */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/worker/api.ts';
import { heatmapPick } from '../../../src/ui/charts/heatmapPick.ts';
import { redundancyGroupsChart } from '../../../src/ui/charts/redundancyGroups.ts';
import { perDimHistogram } from '../../../src/ui/charts/perDimHistogram.ts';
import { lrVsNlr } from '../../../src/ui/charts/lrVsNlr.ts';

const groups = [
  { dims: [0, 1, 2], meanAbsR: 0.9, meanAbsPartialR: 0.3, links: 2 },
  { dims: [4, 7], meanAbsR: 0.6, meanAbsPartialR: 0.2, links: 1 },
];
const result = {
  d: 8,
  lr: { value: 0.4, perDim: [0.9, 0.8, null, 0.1, 0.5, 0.5, 0.2, 0.7], alphaPerDim: [1, 1, null, 1, 1, 1, 1, 1], topPredictors: null },
  nlr: { value: 0.5, perDim: [null, 0.85, null, null, 0.6, null, null, null], minusLrPerDim: [null, 0.05, null, null, 0.1, null, null, null], evaluatedDims: [1, 4], trainingStatePerDim: null },
  reliability: null,
  extras: { redundancyGroups: { clustering: 'average-linkage-abs-r', threshold: 0.5, linkMeasure: 'partial-correlation', linkThreshold: 0.2, links: 3, count: 2, dimsInGroups: 5, shareOfDims: 5 / 8, groups } },
} as unknown as RunResult;

describe('chart picks for the dim inspector', () => {
  it('a group\'s bar lists its dims (and the per-group LR/NLR means are the core\'s)', () => {
    const spec = redundancyGroupsChart('f.npy', result);
    expect(spec.pick!({ curveNumber: 0, pointNumber: 1 })).toEqual({ dim: null, list: { label: 'group #2: 2 dims, mean |r| 0.600', dims: [4, 7] } });
    expect(spec.pick!({ curveNumber: 0, pointNumber: 5 })).toBeNull();
    expect(spec.table.rows.map((r) => [r[5], r[6]])).toEqual([[(0.9 + 0.8) / 2, 0.85], [(0.5 + 0.7) / 2, 0.6]]);
  });

  it('a histogram bar lists the dims whose R² it counts; a point of LR vs NLR is one dim', () => {
    const spec = perDimHistogram('f.npy', result, 'lr');
    // values in order of the dims with an LR: 0, 1, 3, 4, 5, 6, 7
    const pick = spec.pick!({ curveNumber: 0, pointNumbers: [3, 4] })!;
    expect(pick.dim).toBeNull();
    expect(pick.list!.dims).toEqual([4, 5]);
    expect(pick.list!.label).toBe('2 dims with LR R² 0.500');
    expect(spec.pick!({ curveNumber: 0, pointNumbers: [] })).toBeNull();
    const scatter = lrVsNlr('f.npy', result);
    expect(scatter.pick!({ curveNumber: 1, pointNumber: 1 })).toEqual({ dim: 4, list: null });
    expect(scatter.pick!({ curveNumber: 0, pointNumber: 0 })).toBeNull(); // the diagonal
  });

  it('a heatmap cell: its row dim and the pair; in cluster order the drawn position maps back; a block lists both spans', () => {
    expect(heatmapPick({ curveNumber: 0, pointNumber: [2, 5] }, [0, 1, 2, 3, 4, 5], 1, 6)).toEqual({ dim: 2, list: { label: 'cell dim 2 × dim 5', dims: [2, 5] } });
    expect(heatmapPick({ curveNumber: 0, pointNumber: [0, 1] }, [3, 0, 1, 2], 1, 4)).toEqual({ dim: 3, list: { label: 'cell dim 3 × dim 0', dims: [0, 3] } });
    // blocks of 4 over D = 10: the last block holds dims 8–9
    expect(heatmapPick({ curveNumber: 0, pointNumber: [2, 0] }, [0, 1, 2], 4, 10)).toEqual({ dim: null, list: { label: 'cell dims 8–9 × dims 0–3', dims: [0, 1, 2, 3, 8, 9] } });
    expect(heatmapPick({ curveNumber: 0, pointNumber: 3 }, [0, 1], 1, 2)).toBeNull();
  });
});
