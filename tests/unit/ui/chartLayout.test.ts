// How the charts are laid out (issue 12): point labels short, apart and inside the plot; one heatmap axis in both
// orders; bar-chart names shortened only on a narrow chart.
import { describe, expect, it } from 'vitest';
import { labelPlacements, labelSize, paddedRange, pointLabels, type LabelPlacement } from '../../../src/ui/charts/study.ts';
import { correlationHeatmap } from '../../../src/ui/charts/correlationHeatmap.ts';
import { measuresByFile } from '../../../src/ui/charts/acrossFiles.ts';
import type { RunResult } from '../../../src/worker/api.ts';

const DEMO = [
  'mnist-mobilenetv2-layer1-block13.npz',
  'mnist-mobilenetv2-layer2-block16.npz',
  'mnist-mobilenetv2-layer3-pool.npz',
  'mnist-mobilenetv2-layer4-dense.npz',
  'synthetic-independent.npy',
  'synthetic-linear.npy',
  'synthetic-nonlinear.npy',
];

describe('point labels', () => {
  it('drop what every name shares at the start (an array’s rows: the array names)', () => {
    expect(pointLabels(['layers.npz › layer0', 'layers.npz › layer1', 'layers.npz › layer2'])).toEqual(['layer0', 'layer1', 'layer2']);
    expect(pointLabels(DEMO.slice(0, 4))).toEqual(['layer1-block13', 'layer2-block16', 'layer3-pool', 'layer4-dense']);
  });

  it('a long name loses the start it shares with another, shown as …; short and lone names stay whole', () => {
    expect(pointLabels(DEMO, 22)).toEqual(['…layer1-block13', '…layer2-block16', '…layer3-pool', '…layer4-dense', 'synthetic-independent', 'synthetic-linear', 'synthetic-nonlinear']);
    expect(pointLabels(DEMO, 16).slice(4)).toEqual(['…independent', 'synthetic-linear', '…nonlinear']);
    expect(pointLabels(['a.npy'])).toEqual(['a']);
    for (const label of pointLabels(['a-very-long-model-name-without-any-sibling.npy', 'b.npy'], 16)) expect(label.length).toBeLessThanOrEqual(16);
  });
});

type Box = [number, number, number, number];

/** The label boxes (px, y up) the placements give, as the placement rule models them. */
export function boxes(xs: number[], ys: number[], labels: string[], placements: (LabelPlacement | null)[], width: number, height: number, xRange: [number, number], yRange: [number, number]): Box[] {
  return placements.map((p, i) => {
    if (!p) throw new Error(`${labels[i]}: left out`);
    const { w, h } = labelSize(labels[i]);
    const px = ((xs[i] - xRange[0]) / (xRange[1] - xRange[0])) * width + p.dx;
    const py = ((ys[i] - yRange[0]) / (yRange[1] - yRange[0])) * height + p.dy;
    const left = px - (p.xanchor === 'left' ? 0 : p.xanchor === 'right' ? w : w / 2);
    const bottom = py - (p.yanchor === 'bottom' ? 0 : p.yanchor === 'top' ? h : h / 2);
    return [left, bottom, left + w, bottom + h];
  });
}

describe('label placement', () => {
  // the demo's seven models: LR and NLR (Quick preset), a crowded corner at the top right
  const lr = [0.7706, 0.9749, -0.1066, 0.8337, -0.021, 0.948, -0.0299];
  const nlr = [0.7112, 0.9421, 0.6061, 0.8169, -0.2653, 0.9244, 0.7441];

  for (const width of [250, 360]) {
    it(`no two labels overlap and none leaves the plot (the demo’s NLR vs LR, ${width} px wide)`, () => {
      const labels = pointLabels(DEMO, width < 320 ? 16 : 22);
      const xRange = paddedRange(lr, 0.08);
      const yRange = paddedRange(nlr, 0.12);
      const placements = labelPlacements(lr, nlr, labels, { width, height: 240, xRange, yRange });
      const b = boxes(lr, nlr, labels, placements, width, 240, xRange, yRange);
      for (const [i, box] of b.entries()) {
        expect(box[0], labels[i]).toBeGreaterThanOrEqual(0);
        expect(box[2], labels[i]).toBeLessThanOrEqual(width + 30);
        expect(box[1], labels[i]).toBeGreaterThanOrEqual(0);
        expect(box[3], labels[i]).toBeLessThanOrEqual(240 + 20);
        for (let j = i + 1; j < b.length; j++) {
          const w = Math.min(box[2], b[j][2]) - Math.max(box[0], b[j][0]);
          const h = Math.min(box[3], b[j][3]) - Math.max(box[1], b[j][1]);
          expect(w <= 0 || h <= 0, `${labels[i]} / ${labels[j]}`).toBe(true);
        }
      }
    });
  }

  it('an isolated point keeps its label next to it, above', () => {
    expect(labelPlacements([0, 1], [0, 1], ['a', 'b'], { width: 400, height: 240, xRange: [-0.5, 1.5], yRange: [-0.5, 1.5] })).toEqual([
      { dx: 0, dy: 9, xanchor: 'center', yanchor: 'bottom' },
      { dx: 0, dy: 9, xanchor: 'center', yanchor: 'bottom' },
    ]);
  });
});

describe('the correlation heatmap', () => {
  const d = 8;
  const size = 4;
  const values = Array.from({ length: size * size }, (_, k) => (Math.floor(k / size) === k % size ? 1 : 0.1 * ((k % 3) + 1)));
  const result = { correlationPreview: { size, blockSize: 2, d, values, clusterOrder: [2, 0, 3, 1] } } as unknown as RunResult;

  it('keeps one axis (dims, 0…D) in file order and in cluster order', () => {
    const plain = correlationHeatmap('a.npy', result, false);
    const clustered = correlationHeatmap('a.npy', result, true);
    expect(plain.data[0].x).toEqual([0, 2, 4, 6]);
    expect(clustered.data[0].x).toEqual([0, 2, 4, 6]);
    expect(clustered.data[0].y).toEqual(plain.data[0].y);
    const title = (spec: typeof plain) => ((spec.layout.xaxis as { title: { text: string } }).title.text);
    expect(title(plain)).toBe('dim (blocks of 2)');
    expect(title(clustered)).toBe('dim, in cluster order (blocks of 2)');
    // the cells are reordered, and the hover names the original dims
    expect((clustered.data[0].z as number[][])[0][0]).toBe(values[2 * size + 2]);
    expect((clustered.data[0].customdata as number[][][])[0][1]).toEqual([4, 0]);
  });

  it('tables every cell with the dims it spans (the last block partial), built only when read, the same in both orders', () => {
    const partial = { correlationPreview: { size: 3, blockSize: 3, d: 7, values: [1, 0.2, 0.3, 0.2, 1, 0.5, 0.3, 0.5, 1], clusterOrder: [2, 1, 0] } } as unknown as RunResult;
    const spec = correlationHeatmap('a.npy', partial, true);
    expect(Object.getOwnPropertyDescriptor(spec.table, 'rows')?.get).toBeTypeOf('function'); // not built with the spec
    expect(spec.table.columns).toEqual(['dim_row_from', 'dim_row_to', 'dim_col_from', 'dim_col_to', 'mean_abs_r']);
    expect(spec.table.rows).toHaveLength(9);
    expect(spec.table.rows[0]).toEqual([0, 2, 0, 2, 1]);
    expect(spec.table.rows[5]).toEqual([3, 5, 6, 6, 0.5]);
    expect(spec.table.rows[8]).toEqual([6, 6, 6, 6, 1]);
    expect(spec.table.rows).toBe(spec.table.rows); // built once
    expect(correlationHeatmap('a.npy', partial, false).table.rows).toEqual(spec.table.rows);
  });
});

describe('redundancy by file', () => {
  const files = DEMO.map((name) => ({ name, tag: null, result: { aac: { value: 0.1 }, lr: { value: 0.5 }, nlr: null, summary: { nlrMinusLr: null }, extras: { rankMe: 3 } } as unknown as RunResult }));

  it('whole names on a wide chart, short ones (distinct) on a narrow one; the hover keeps the whole name', () => {
    const wide = measuresByFile(files, 600);
    expect(wide.data[0].y).toEqual(DEMO.map((n) => n.replace(/\.[a-z]+$/, '')));
    const narrow = measuresByFile(files, 300);
    expect(narrow.data[0].y).toEqual(['…layer1-block13', '…layer2-block16', '…layer3-pool', '…layer4-dense', '…independent', 'synthetic-linear', '…nonlinear']);
    expect(narrow.data[0].customdata).toEqual(wide.data[0].y);
    expect(narrow.table.rows.map((r) => r[0])).toEqual(DEMO);
  });
});
