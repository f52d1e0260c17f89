/**
 * The study charts: the paper's analysis across models. Each measure against accuracy (one point per model,
 * Pearson r, Spearman ρ, a bootstrap 95% CI; no line when there are too few models to mean anything), each
 * measure against a numeric tag (projector depth, layer…) as lines, and the measures against each other.
 */
import { leastSquaresLine, type ModelCorrelation } from '../../core/lite.ts';
import type { StudyMeasure, StudyRow } from '../../core/lite.ts';
import { MEASURE_COLOURS, baseLayout, type ChartSpec } from './spec.ts';

export const STUDY_LABEL: Record<StudyMeasure, string> = { aac: 'AAC', lr: 'LR', nlr: 'NLR', nlrMinusLr: 'NLR − LR', rankMe: 'RankMe' };
const COLOUR: Record<StudyMeasure, string> = { aac: MEASURE_COLOURS.aac, lr: MEASURE_COLOURS.lr, nlr: MEASURE_COLOURS.nlr, nlrMinusLr: MEASURE_COLOURS['nlr-minus-lr'], rankMe: '#56B4E9' };

const stem = (file: string) => file.replace(/\.[a-z0-9]+$/i, '');

const SEPARATOR = /[-_. ›/]/;

/** Where a shared start of `a` and `b` ends, at a separator (0 when they share none). */
function sharedStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  while (n > 0 && !SEPARATOR.test(a[n - 1])) n--;
  return n;
}

/**
 * Short labels for the points of a scatter (or the categories of a bar chart), names without extension:
 *  - what all of them share at the start goes (`layers.npz › layer0…2` → `layer0…2`);
 *  - a name still longer than `max` loses the start it shares with another name, shown as `…`
 *    (`mnist-mobilenetv2-layer2-block16` beside `mnist-mobilenetv2-layer3-pool` → `…layer2-block16`);
 *  - then it is elided in the middle. The hover and "View as table" keep the whole name.
 */
export function pointLabels(names: readonly string[], max = 22): string[] {
  const stems = names.map(stem);
  let common = 0;
  if (stems.length > 1) {
    common = stems.slice(1).reduce((n, x) => Math.min(n, sharedStart(stems[0], x)), stems[0].length);
    if (!stems.every((x) => x.length > common)) common = 0;
  }
  const rest = stems.map((x) => x.slice(common).trim());
  return rest.map((x, i) => {
    let short = x;
    if (short.length > max) {
      const shared = Math.max(0, ...rest.map((o, j) => (j === i ? 0 : sharedStart(x, o))));
      if (shared > 0 && x.length - shared >= 3) short = `…${x.slice(shared)}`;
    }
    const head = Math.round((max - 1) / 3);
    return short.length > max ? `${short.slice(0, head)}…${short.slice(short.length - (max - 1 - head))}` : short;
  });
}

/** The range an axis shows: the values with `pad` of their span on each side (a lone value: ±0.5·pad·|v| or ±0.05). */
export function paddedRange(values: readonly number[], pad: number): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - pad * span, hi + pad * span];
}

export interface PlotArea {
  /** px */
  width: number;
  height: number;
  xRange: readonly [number, number];
  yRange: readonly [number, number];
}

/** Where a point's label sits: offset from the point (px, y up) and which side of the text is anchored there. */
export interface LabelPlacement {
  dx: number;
  dy: number;
  xanchor: 'left' | 'center' | 'right';
  yanchor: 'bottom' | 'middle' | 'top';
}

/** Directions to try, nearest first; each at three distances (a thin line joins a label set apart to its point). */
const DIRECTIONS: [number, number][] = [
  [0, 1],
  [0, -1],
  [1, 0.6],
  [-1, 0.6],
  [1, -0.6],
  [-1, -0.6],
  [1, 0],
  [-1, 0],
];
const DISTANCES = [9, 24, 42, 62];

/** Label type: 10 px. */
export const LABEL_FONT_SIZE = 10;

/**
 * A label's box (px) as placement reserves it: per character an upper bound of its width at 10 px in the fonts the
 * page falls back to (DejaVu Sans, Liberation Sans, Segoe UI, Roboto), plus 4 px; 14 px high.
 */
export function labelSize(label: string): { w: number; h: number } {
  let w = 4;
  for (const c of label) w += /[mwMW…]/.test(c) ? 10 : /[A-Z]/.test(c) ? 7.5 : /[ijlI.,:;'|!]/.test(c) ? 3.5 : 6.5;
  return { w, h: 14 };
}

/**
 * Where each point's label goes: a greedy choice in the plot's pixel space (the axes' ranges are set by the spec,
 * the size is the page's estimate; a label's box is `labelSize`), crowded points first, nearer places preferred,
 * covering the points as little as it can. Labels never overlap each other nor leave the chart: a label with no
 * such place is left out (null), and the chart says so (its name stays in the hover and the table).
 */
export function labelPlacements(xs: readonly number[], ys: readonly number[], labels: readonly string[], area: PlotArea): (LabelPlacement | null)[] {
  const { width: W, height: H } = area;
  const [x0, x1] = area.xRange;
  const [y0, y1] = area.yRange;
  const px = xs.map((x) => ((x - x0) / (x1 - x0)) * W);
  const py = ys.map((y) => ((y - y0) / (y1 - y0)) * H);
  type Box = [number, number, number, number];
  const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const markers: Box[] = px.map((x, i) => [x - 7, py[i] - 7, x + 7, py[i] + 7]);
  const placed: Box[] = [];
  const chosen: (LabelPlacement | null)[] = xs.map(() => null);
  const crowd = (i: number) => markers.reduce((n, _, j) => n + (j !== i && Math.abs(px[j] - px[i]) < 90 && Math.abs(py[j] - py[i]) < 40 ? 1 : 0), 0);
  const order = xs.map((_, i) => i).sort((a, b) => crowd(b) - crowd(a) || px[a] - px[b]);
  for (const i of order) {
    const { w, h } = labelSize(labels[i]);
    let best: { placement: LabelPlacement; score: number; box: Box } | null = null;
    for (const [d, distance] of DISTANCES.entries()) {
      for (const [k, [ux, uy]] of DIRECTIONS.entries()) {
        const dx = ux * distance;
        const dy = uy * distance;
        const xanchor = ux > 0 ? 'left' : ux < 0 ? 'right' : 'center';
        const yanchor = uy > 0 ? 'bottom' : uy < 0 ? 'top' : 'middle';
        const left = px[i] + dx - (xanchor === 'left' ? 0 : xanchor === 'right' ? w : w / 2);
        const bottom = py[i] + dy - (yanchor === 'bottom' ? 0 : yanchor === 'top' ? h : h / 2);
        const box: Box = [left, bottom, left + w, bottom + h];
        // past the plot area: the right margin and the top give a little room, the axes on the left and bottom none
        if (box[0] < 0 || box[2] > W + 30 || box[3] > H + 20 || box[1] < 0) continue;
        if (placed.some((p) => overlap(box, p) > 0)) continue;
        let score = d * 60 + k * 4;
        markers.forEach((m, j) => {
          if (j !== i) score += overlap(box, m) * 3;
        });
        if (!best || score < best.score) best = { placement: { dx, dy, xanchor, yanchor }, score, box };
      }
    }
    if (!best) continue;
    chosen[i] = best.placement;
    placed.push(best.box);
  }
  return chosen;
}

/** What a study chart is of, for its exported title. */
export function studySubject(rows: readonly StudyRow[]): string {
  return `study of ${rows.length} model${rows.length === 1 ? '' : 's'}`;
}

/** One line that says what the correlation is, or why there is none. */
export function describeCorrelation(c: ModelCorrelation): string {
  if (!c.meaningful) return `Not meaningful: ${c.note ?? `only ${c.n} models`}.`;
  const ci = c.pearsonCi95 ? `, 95% bootstrap CI [${c.pearsonCi95[0].toFixed(2)}, ${c.pearsonCi95[1].toFixed(2)}]` : '';
  return `Pearson r = ${c.pearson?.toFixed(3) ?? 'undefined'}${ci}; Spearman ρ = ${c.spearman?.toFixed(3) ?? 'undefined'}; ${c.n} models.`;
}

function scatterSpec(
  rows: StudyRow[],
  id: string,
  title: string,
  x: { label: string; value: (r: StudyRow) => number | null },
  y: { label: string; value: (r: StudyRow) => number | null; colour: string },
  correlation: ModelCorrelation,
  emptyText: string,
  plotWidth: number,
): ChartSpec {
  const points = rows.filter((r) => x.value(r) !== null && y.value(r) !== null);
  const xs = points.map((r) => x.value(r)!);
  const ys = points.map((r) => y.value(r)!);
  const labels = pointLabels(
    points.map((r) => r.file),
    plotWidth < 320 ? 16 : 22,
  );
  // the least-squares line, drawn only where the correlation means something
  const line = correlation.meaningful ? leastSquaresLine(xs, ys) : null;
  // the axes' ranges are set here, so that the labels can be placed for them (and the line stays inside)
  const xRange = points.length ? paddedRange(xs, 0.08) : null;
  const yRange = points.length ? paddedRange([...ys, ...(line?.y ?? [])], 0.12) : null;
  const area = xRange && yRange ? { width: plotWidth, height: 240, xRange, yRange } : null;
  const placements = area ? labelPlacements(xs, ys, labels, area) : [];
  const unlabelled = placements.flatMap((p, i) => (p ? [] : [stem(points[i].file)]));
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: 'markers',
      name: `models (${points.length})${unlabelled.length ? `; ${unlabelled.length} unlabelled for room` : ''}`,
      x: xs,
      y: ys,
      text: labels,
      customdata: points.map((r) => r.file),
      marker: { color: y.colour, size: 10, line: { color: '#ffffff', width: 1 } },
      hovertemplate: `%{customdata}<br>${x.label} %{x:.4g}<br>${y.label} %{y:.4g}<extra></extra>`,
    },
  ];
  // the names as annotations, placed apart from each other (a thin line to the point when set further off)
  const annotations = placements.flatMap((p, i) => (p ? [{
    x: xs[i],
    y: ys[i],
    text: labels[i],
    showarrow: true,
    arrowhead: 0,
    arrowwidth: 0.6,
    arrowcolor: Math.hypot(p.dx, p.dy) > 12 ? '#b0b7bf' : 'rgba(0,0,0,0)',
    standoff: 6,
    ax: p.dx,
    ay: -p.dy,
    xanchor: p.xanchor,
    yanchor: p.yanchor,
    font: { size: LABEL_FONT_SIZE, color: '#59636e' },
  }] : []));
  if (line) data.unshift({ type: 'scatter', mode: 'lines', name: `least-squares line (r = ${correlation.pearson?.toFixed(2)})`, ...line, line: { color: '#8b949e', width: 1, dash: 'dot' }, hoverinfo: 'skip' });
  return {
    id,
    title,
    subject: studySubject(rows),
    caption: describeCorrelation(correlation) + (unlabelled.length ? `\nNo room to label ${unlabelled.length} of the ${points.length} points (${unlabelled.join(', ')}): hover a point for its name, or see “View as table”.` : ''),
    fileBase: 'study',
    data,
    layout: baseLayout({
      xaxis: { title: { text: x.label }, ...(xRange ? { range: xRange } : {}) },
      yaxis: { title: { text: y.label }, ...(yRange ? { range: yRange } : {}) },
      margin: { l: 60, r: 40, t: 30, b: 50 },
      annotations,
    }),
    table: { columns: ['file', x.label, y.label], rows: points.map((r) => [r.file, x.value(r), y.value(r)]) },
    empty: points.length === 0 ? emptyText : undefined,
  };
}

/** `plotWidth`: about how wide the plot area is drawn (px), for placing the point labels. */
export function measureVsAccuracy(rows: StudyRow[], measure: StudyMeasure, correlation: ModelCorrelation, plotWidth = 400): ChartSpec {
  const label = STUDY_LABEL[measure];
  return scatterSpec(
    rows,
    `${measure.toLowerCase()}-vs-accuracy`,
    `${label} vs linear-probe accuracy`,
    { label: 'held-out top-1 accuracy', value: (r) => r.accuracy },
    { label, value: (r) => r[measure], colour: COLOUR[measure] },
    correlation,
    rows.some((r) => r.accuracy !== null)
      ? `No model has both an accuracy and ${label}: measure ${label} (Settings › measures) and Run.`
      : 'No accuracies yet: add labels (an integer array in the file, or a labels.npy alongside) or type an accuracy per model.',
    plotWidth,
  );
}

export function measurePair(rows: StudyRow[], a: StudyMeasure, b: StudyMeasure, correlation: ModelCorrelation, plotWidth = 400): ChartSpec {
  return scatterSpec(
    rows,
    `${a.toLowerCase()}-vs-${b.toLowerCase()}`,
    `${STUDY_LABEL[b]} vs ${STUDY_LABEL[a]} across models`,
    { label: STUDY_LABEL[a], value: (r) => r[a] },
    { label: STUDY_LABEL[b], value: (r) => r[b], colour: COLOUR[b] },
    correlation,
    `Measure ${STUDY_LABEL[a]} and ${STUDY_LABEL[b]} on at least one file.`,
    plotWidth,
  );
}

/** AAC, LR and NLR against the numeric tag, one line each (models sorted by tag). */
export function measuresVsTag(rows: StudyRow[], tagName: string, correlations: Record<StudyMeasure, ModelCorrelation>): ChartSpec {
  const tagged = rows.filter((r) => r.tag !== null).sort((a, b) => a.tag! - b.tag!);
  const measures = (['aac', 'lr', 'nlr'] as const).filter((m) => tagged.some((r) => r[m] !== null));
  return {
    id: `measures-vs-${tagName.replace(/[^\w-]+/g, '_') || 'tag'}`,
    title: `Redundancy vs ${tagName}`,
    subject: studySubject(rows),
    caption:
      measures.map((m) => `${STUDY_LABEL[m]}: ${correlations[m].meaningful ? `r = ${correlations[m].pearson?.toFixed(2)}, ρ = ${correlations[m].spearman?.toFixed(2)}` : 'too few models for r'}`).join(' · ') || 'Nothing measured yet.',
    fileBase: 'study',
    data: measures.map((m) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: STUDY_LABEL[m],
      x: tagged.map((r) => r.tag),
      y: tagged.map((r) => r[m]),
      text: tagged.map((r) => stem(r.file)),
      line: { color: COLOUR[m], width: 2 },
      marker: { color: COLOUR[m], size: 8 },
      hovertemplate: `%{text}<br>${tagName} %{x}<br>${STUDY_LABEL[m]} %{y:.4g}<extra></extra>`,
    })),
    layout: baseLayout({ showlegend: true, legend: { orientation: 'h', y: 1.12, x: 0 }, xaxis: { title: { text: tagName } }, yaxis: { title: { text: 'value' } }, margin: { l: 60, r: 20, t: 30, b: 50 } }),
    table: { columns: ['file', tagName, ...measures], rows: tagged.map((r) => [r.file, r.tag, ...measures.map((m) => r[m])]) },
    empty: tagged.length === 0 ? 'Give models a number (typed in the file list, or in the file name: proj2, layer3, depth=1) to plot the measures against it.' : undefined,
  };
}
