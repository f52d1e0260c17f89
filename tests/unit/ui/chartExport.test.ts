// Exported charts say what they show (issue 17, item 7): every PNG/SVG has a title naming the file (or study) and
// the measure, axis titles, and a legend entry for each line and band; the study scatter's labels never overlap.
import { describe, expect, it } from 'vitest';
import { exportFigure, type ChartSpec } from '../../../src/ui/charts/spec.ts';
import { perDimHistogram } from '../../../src/ui/charts/perDimHistogram.ts';
import { lrVsNlr } from '../../../src/ui/charts/lrVsNlr.ts';
import { eigenspectrum } from '../../../src/ui/charts/eigenspectrum.ts';
import { correlationHeatmap } from '../../../src/ui/charts/correlationHeatmap.ts';
import { nlrLearningCurve } from '../../../src/ui/charts/nlrLearningCurve.ts';
import { spectrumFit } from '../../../src/ui/charts/spectrumFit.ts';
import { ckaHeatmap } from '../../../src/ui/charts/ckaHeatmap.ts';
import { redundancyGroupsChart } from '../../../src/ui/charts/redundancyGroups.ts';
import { measuresByFile } from '../../../src/ui/charts/acrossFiles.ts';
import { LABEL_FONT_SIZE, labelSize, measurePair, measureVsAccuracy, measuresVsTag } from '../../../src/ui/charts/study.ts';
import type { ModelCorrelation, StudyRow } from '../../../src/core/lite.ts';
import type { RunResult } from '../../../src/worker/api.ts';

const FILE = 'cifar10-resnet18-layer4.npy';

// a result with every field the chart builders read (values chosen by hand, not computed)
const result = {
  n: 500,
  d: 4,
  lr: { value: 0.4123, perDim: [0.3, 0.5, 0.4, 0.45], alphaPerDim: [1, 10, 10, 0.1] },
  nlr: {
    value: 0.5,
    perDim: [0.4, 0.6, 0.5, 0.5],
    minusLrPerDim: [0.1, 0.1, 0.1, 0.05],
    trainingStatePerDim: ['settled', 'settled', 'settled', 'settled'],
    meanTrainLossByEpoch: [1, 0.8, 0.7],
    meanMonitorByEpoch: [1, 0.9, 0.85],
    evaluatedDims: [0, 1, 2, 3],
    trainingMonitor: 'validation',
    training: { settled: 4, underTrained: 0, overFitted: 0 },
  },
  reliability: { lrNullBand: [-0.01, 0.02], nlrNullBand: [-0.03, 0.04], lrNull: 0.004, nlrNull: 0.01, lrMedian: 0.425, warnings: [] },
  extras: { eigenvalues: [2.2, 1, 0.5, 0.3], rankMe: 3.1 },
  correlationPreview: { size: 2, blockSize: 2, d: 4, values: [1, 0.2, 0.2, 1], clusterOrder: [1, 0] },
  settings: { mlp: { epochs: 3, learningRate: 0.001, batchSize: 64, optimizer: 'adam' } },
  summary: { nlrMinusLr: 0.09 },
  aac: { value: 0.21 },
} as unknown as RunResult;

const corr = (n: number): ModelCorrelation => ({ meaningful: true, n, pearson: 0.8, spearman: 0.7, pearsonCi95: [0.2, 0.95] }) as unknown as ModelCorrelation;
const row = (file: string, aac: number, lr: number, accuracy: number | null, tag: number | null) => ({ file, aac, lr, nlr: null, nlrMinusLr: null, rankMe: 3, accuracy, tag }) as unknown as StudyRow;
const rows = [row('a.npy', 0.1, 0.3, 0.7, 1), row('b.npy', 0.2, 0.5, 0.8, 2), row('c.npy', 0.3, 0.6, 0.85, 3), row('d.npy', 0.35, 0.7, 0.9, 4)];

const titleText = (layout: Record<string, unknown>) => {
  const t = layout.title as { text: string; subtitle?: { text: string } };
  return `${t.text} ${t.subtitle?.text ?? ''}`;
};
const axisTitle = (layout: Record<string, unknown>, axis: string) => ((layout[axis] as { title?: { text?: string } }).title?.text ?? '').trim();

/** The checks every exported chart passes; returns the legend's entries (trace and shape names). */
function selfExplanatory(spec: ChartSpec, subject: string, measure: RegExp, width = 600): string[] {
  expect(spec.empty, spec.id).toBeUndefined();
  const { data, layout } = exportFigure(spec, width);
  expect(titleText(layout), spec.id).toContain(subject);
  expect(titleText(layout), spec.id).toMatch(measure);
  expect(axisTitle(layout, 'xaxis'), `${spec.id}: x axis title`).not.toBe('');
  expect(axisTitle(layout, 'yaxis'), `${spec.id}: y axis title`).not.toBe('');
  const names: string[] = [];
  for (const trace of data) {
    if (trace.type === 'heatmap') {
      // a heatmap's legend is its colour bar
      expect((trace.colorbar as { title: { text: string } }).title.text, spec.id).not.toBe('');
      continue;
    }
    expect(trace.showlegend, `${spec.id}: a trace left out of the legend`).not.toBe(false);
    expect(String(trace.name ?? ''), `${spec.id}: every trace is named in the legend`).not.toBe('');
    names.push(String(trace.name));
  }
  for (const shape of (layout.shapes as Record<string, unknown>[] | undefined) ?? []) {
    expect(shape.showlegend, `${spec.id}: every line and band is in the legend`).toBe(true);
    expect(String(shape.name ?? ''), `${spec.id}: every line and band is named`).not.toBe('');
    names.push(String(shape.name));
  }
  if (names.length) expect(layout.showlegend, `${spec.id}: the legend is drawn`).toBe(true);
  // the title and the legend get room above the plot; the image is taller by as much
  const margin = layout.margin as { t: number };
  expect(margin.t).toBeGreaterThanOrEqual(44 + 20 * names.length);
  expect(Number(layout.height)).toBeGreaterThan(Number(spec.layout.height ?? 320));
  return names;
}

describe('every exported chart says what it shows', () => {
  it('the per-dim histograms: the mean, the median and the null band are named with their values', () => {
    const lr = selfExplanatory(perDimHistogram(FILE, result, 'lr'), FILE, /LR/);
    expect(lr.some((n) => /mean.*0\.412/.test(n))).toBe(true);
    expect(lr).toContain('median 0.425');
    expect(lr.some((n) => /^null band .*-0\.0100 to 0\.0200.*LR_null 0\.00400/.test(n))).toBe(true);
    const nlr = selfExplanatory(perDimHistogram(FILE, result, 'nlr'), FILE, /NLR/);
    expect(nlr.some((n) => /mean.*0\.500/.test(n))).toBe(true);
    expect(nlr.some((n) => /^null band/.test(n))).toBe(true);
  });

  it('LR vs NLR names the diagonal; the eigenspectrum its line at 1; the heatmap, the learning curve', () => {
    expect(selfExplanatory(lrVsNlr(FILE, result), FILE, /LR vs NLR/)).toContain('NLR = LR (above: non-linear redundancy)');
    expect(selfExplanatory(eigenspectrum(FILE, result), FILE, /Eigenspectrum/).some((n) => /^eigenvalue 1/.test(n))).toBe(true);
    selfExplanatory(correlationHeatmap(FILE, result, false), FILE, /Correlation/);
    selfExplanatory(correlationHeatmap(FILE, result, true), FILE, /Correlation/);
    expect(selfExplanatory(nlrLearningCurve(FILE, result), FILE, /NLR: learning curves/)).toHaveLength(2);
  });

  it('the across-files bars and the study charts name the files or the study', () => {
    const files = [FILE, 'b.npy'].map((name) => ({ name, tag: null, result }));
    expect(selfExplanatory(measuresByFile(files), '2 files', /Redundancy by file/)).toEqual(['AAC', 'LR', 'NLR', 'NLR − LR']);
    const vsAcc = selfExplanatory(measureVsAccuracy(rows, 'lr', corr(4)), 'study of 4 models', /LR vs linear-probe accuracy/);
    expect(vsAcc).toEqual(['least-squares line (r = 0.80)', 'models (4)']);
    selfExplanatory(measurePair(rows, 'aac', 'lr', corr(4)), 'study of 4 models', /LR vs AAC/);
    selfExplanatory(measuresVsTag(rows, 'depth', { aac: corr(4), lr: corr(4), nlr: corr(4), nlrMinusLr: corr(4), rankMe: corr(4) }), 'study of 4 models', /Redundancy vs depth/);
  });

  it('a name too long for one title line goes to a subtitle; a file name is shown as typed (no HTML)', () => {
    const long = `${'a-very-long-model-name-'.repeat(4)}<b>.npy`;
    const { layout } = exportFigure(perDimHistogram(long, result, 'lr'), 480);
    const t = layout.title as { text: string; subtitle?: { text: string } };
    expect(t.text).toBe('LR: held-out R² per dimension');
    expect(t.subtitle?.text).toBe(long.replace('<', '&lt;').replace('>', '&gt;'));
    expect(titleText(exportFigure(perDimHistogram(FILE, result, 'lr'), 600).layout)).toBe(`LR: held-out R² per dimension — ${FILE} `);
  });
});

type Box = [number, number, number, number];

/** The label boxes (px, y up) of a study scatter's annotations, from the spec's ranges and `labelSize`. */
function annotationBoxes(spec: ChartSpec, width: number, height = 240): { text: string; box: Box }[] {
  const [x0, x1] = (spec.layout.xaxis as { range: [number, number] }).range;
  const [y0, y1] = (spec.layout.yaxis as { range: [number, number] }).range;
  return (spec.layout.annotations as { x: number; y: number; ax: number; ay: number; text: string; xanchor: string; yanchor: string; font: { size: number } }[]).map((a) => {
    expect(a.font.size).toBe(LABEL_FONT_SIZE);
    const { w, h } = labelSize(a.text);
    const px = ((a.x - x0) / (x1 - x0)) * width + a.ax;
    const py = ((a.y - y0) / (y1 - y0)) * height - a.ay;
    const left = px - (a.xanchor === 'left' ? 0 : a.xanchor === 'right' ? w : w / 2);
    const bottom = py - (a.yanchor === 'bottom' ? 0 : a.yanchor === 'top' ? h : h / 2);
    return { text: a.text, box: [left, bottom, left + w, bottom + h] };
  });
}

describe('a crowded study: 12 models with long names at nearby values', () => {
  const prefixes = ['dino', 'mae', 'clip', 'ibot', 'msn', 'simclr', 'byol', 'moco', 'swav', 'barlow', 'vicreg', 'supervised'];
  const cases = {
    'vit_small_proj1 … proj12': prefixes.map((_, k) => `vit_small_proj${k + 1}.npy`),
    'long names, no shared start': prefixes.map((p, k) => `${p}-vit_small_patch16_224-proj${k + 1}.npy`),
  };
  for (const [what, names] of Object.entries(cases)) {
    for (const width of [250, 400]) {
      it(`${what}, ${width} px: no two labels overlap, none leaves the chart, the unlabelled are named`, () => {
        // nearby values: AAC 0.30…0.33, LR 0.50…0.53, in a deterministic zig-zag
        const crowded = names.map((file, k) => row(file, 0.3 + 0.0027 * k, 0.5 + 0.0025 * ((k * 5) % 12), 0.7 + 0.002 * k, k + 1));
        const spec = measurePair(crowded, 'aac', 'lr', corr(12), width);
        const labelled = annotationBoxes(spec, width);
        expect(labelled.length, 'most points are labelled').toBeGreaterThanOrEqual(6);
        for (const [i, { text, box }] of labelled.entries()) {
          expect(box[0] >= 0 && box[2] <= width + 30 && box[1] >= 0 && box[3] <= 240 + 20, `${text} inside the chart`).toBe(true);
          for (const other of labelled.slice(i + 1)) {
            const w = Math.min(box[2], other.box[2]) - Math.max(box[0], other.box[0]);
            const h = Math.min(box[3], other.box[3]) - Math.max(box[1], other.box[1]);
            expect(w <= 0 || h <= 0, `${text} / ${other.text}`).toBe(true);
          }
        }
        const missing = 12 - labelled.length;
        if (missing > 0) {
          expect(spec.caption).toContain(`No room to label ${missing} of the 12 points`);
          expect(String(spec.data.at(-1)!.name)).toBe(`models (12); ${missing} unlabelled for room`);
        } else {
          expect(spec.caption).not.toContain('No room');
        }
      });
    }
  }

  it('the α-ReQ spectrum names its points and its fitted line with α; the CKA heatmap names the representations', () => {
    const ev = Array.from({ length: 120 }, (_, i) => (i + 1) ** -1.5);
    const spectrum = { ...result, extras: { ...result.extras, covarianceEigenvalues: ev } } as unknown as RunResult;
    const names = selfExplanatory(spectrumFit(FILE, spectrum), FILE, /α-ReQ/);
    expect(names.some((n) => /^α-ReQ fit, ranks 6–100: α = 1\.500$/.test(n))).toBe(true);
    expect(names.some((n) => /explained-variance ratio/.test(n))).toBe(true);
    const cka = ckaHeatmap({ files: ['layer1.npy', 'layer2.npy'], n: 500, d: [8, 4], linearCka: [[1, 0.7], [0.7, 1]], linearCkaDebiased: [[1, 0.6], [0.6, 1]] }, false);
    selfExplanatory(cka, 'layer1.npy, layer2.npy', /linear CKA/);
  });

  it('the redundancy groups chart names its bars in the export', () => {
    const groups = { clustering: 'average-linkage-abs-r', threshold: 0.5, linkMeasure: 'partial-correlation', linkThreshold: 0.2, links: 3, count: 1, dimsInGroups: 2, shareOfDims: 0.5, groups: [{ dims: [0, 1], meanAbsR: 0.8, meanAbsPartialR: 0.6, links: 1 }] };
    const withGroups = { ...result, extras: { ...result.extras, redundancyGroups: groups } } as unknown as RunResult;
    const names = selfExplanatory(redundancyGroupsChart(FILE, withGroups), FILE, /Redundancy groups/);
    expect(names.some((n) => /^groups \(1\) by size/.test(n))).toBe(true);
  });
});

