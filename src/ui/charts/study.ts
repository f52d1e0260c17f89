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
): ChartSpec {
  const points = rows.filter((r) => x.value(r) !== null && y.value(r) !== null);
  const xs = points.map((r) => x.value(r)!);
  const ys = points.map((r) => y.value(r)!);
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: 'markers+text',
      x: xs,
      y: ys,
      text: points.map((r) => stem(r.file)),
      textposition: 'top center',
      textfont: { size: 10, color: '#59636e' },
      marker: { color: y.colour, size: 10, line: { color: '#ffffff', width: 1 } },
      hovertemplate: `%{text}<br>${x.label} %{x:.4g}<br>${y.label} %{y:.4g}<extra></extra>`,
      cliponaxis: false,
    },
  ];
  // the least-squares line, drawn only where the correlation means something
  const line = correlation.meaningful ? leastSquaresLine(xs, ys) : null;
  if (line) data.unshift({ type: 'scatter', mode: 'lines', ...line, line: { color: '#8b949e', width: 1, dash: 'dot' }, hoverinfo: 'skip' });
  return {
    id,
    title,
    caption: describeCorrelation(correlation),
    fileBase: 'study',
    data,
    layout: baseLayout({ xaxis: { title: { text: x.label } }, yaxis: { title: { text: y.label } }, margin: { l: 60, r: 30, t: 30, b: 50 } }),
    table: { columns: ['file', x.label, y.label], rows: points.map((r) => [r.file, x.value(r), y.value(r)]) },
    empty: points.length === 0 ? emptyText : undefined,
  };
}

export function measureVsAccuracy(rows: StudyRow[], measure: StudyMeasure, correlation: ModelCorrelation): ChartSpec {
  const label = STUDY_LABEL[measure];
  return scatterSpec(
    rows,
    `${measure.toLowerCase()}-vs-accuracy`,
    `${label} vs linear-probe accuracy`,
    { label: 'held-out top-1 accuracy', value: (r) => r.accuracy },
    { label, value: (r) => r[measure], colour: COLOUR[measure] },
    correlation,
    'No accuracies yet: add labels (an integer array in the file, or a labels.npy alongside) or type an accuracy per model.',
  );
}

export function measurePair(rows: StudyRow[], a: StudyMeasure, b: StudyMeasure, correlation: ModelCorrelation): ChartSpec {
  return scatterSpec(
    rows,
    `${a.toLowerCase()}-vs-${b.toLowerCase()}`,
    `${STUDY_LABEL[b]} vs ${STUDY_LABEL[a]} across models`,
    { label: STUDY_LABEL[a], value: (r) => r[a] },
    { label: STUDY_LABEL[b], value: (r) => r[b], colour: COLOUR[b] },
    correlation,
    `Measure ${STUDY_LABEL[a]} and ${STUDY_LABEL[b]} on at least one file.`,
  );
}

/** AAC, LR and NLR against the numeric tag, one line each (models sorted by tag). */
export function measuresVsTag(rows: StudyRow[], tagName: string, correlations: Record<StudyMeasure, ModelCorrelation>): ChartSpec {
  const tagged = rows.filter((r) => r.tag !== null).sort((a, b) => a.tag! - b.tag!);
  const measures = (['aac', 'lr', 'nlr'] as const).filter((m) => tagged.some((r) => r[m] !== null));
  return {
    id: `measures-vs-${tagName.replace(/[^\w-]+/g, '_') || 'tag'}`,
    title: `Redundancy vs ${tagName}`,
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
