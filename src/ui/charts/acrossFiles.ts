import type { RunResult } from '../../worker/api.ts';
import { pearson, spearman } from '../../core/measures/rankCorrelation.ts';
import { MEASURE_COLOURS, baseLayout, type ChartSpec } from './spec.ts';

export interface MeasuredFile {
  name: string;
  result: RunResult;
  /** the number the user typed or the file name gave, if any */
  tag: number | null;
}

export type AcrossMeasure = 'aac' | 'lr' | 'nlr' | 'nlr-minus-lr' | 'rankme';

export const ACROSS_LABEL: Record<AcrossMeasure, string> = { aac: 'AAC', lr: 'LR', nlr: 'NLR', 'nlr-minus-lr': 'NLR − LR', rankme: 'RankMe' };

export function measureValue(r: RunResult, m: AcrossMeasure): number | null {
  switch (m) {
    case 'aac':
      return r.aac?.value ?? null;
    case 'lr':
      return r.lr?.value ?? null;
    case 'nlr':
      return r.nlr?.value ?? null;
    case 'nlr-minus-lr':
      return r.summary.nlrMinusLr;
    case 'rankme':
      return r.extras.rankMe;
  }
}

/** Each redundancy measure as grouped bars, one group per file. */
export function measuresByFile(files: MeasuredFile[]): ChartSpec {
  const measures: ('aac' | 'lr' | 'nlr' | 'nlr-minus-lr')[] = ['aac', 'lr', 'nlr', 'nlr-minus-lr'];
  const names = files.map((f) => f.name);
  const shown = measures.filter((m) => files.some((f) => measureValue(f.result, m) !== null));
  return {
    id: 'measures-by-file',
    title: 'Redundancy by file',
    caption: 'AAC, LR and NLR of every measured file (RankMe is in the table: a different scale).',
    fileBase: 'all-files',
    data: shown.map((m) => ({
      type: 'bar',
      name: ACROSS_LABEL[m],
      x: names,
      y: files.map((f) => measureValue(f.result, m)),
      marker: { color: MEASURE_COLOURS[m] },
      hovertemplate: `%{x}<br>${ACROSS_LABEL[m]} %{y:.4g}<extra></extra>`,
    })),
    layout: baseLayout({
      barmode: 'group',
      showlegend: true,
      legend: { orientation: 'h', y: 1.12, x: 0 },
      margin: { l: 60, r: 20, t: 30, b: 90 },
      height: 360,
      xaxis: { tickangle: -20 },
      yaxis: { title: { text: 'value' } },
    }),
    table: { columns: ['file', 'aac', 'lr', 'nlr', 'nlr_minus_lr', 'rankme'], rows: files.map((f) => [f.name, ...(['aac', 'lr', 'nlr', 'nlr-minus-lr', 'rankme'] as const).map((m) => measureValue(f.result, m))]) },
  };
}

export interface Association {
  n: number;
  pearson: number | null;
  spearman: number | null;
}

/** Pearson r and Spearman ρ between a measure and the per-file numbers (null with fewer than 3 files). */
export function association(files: MeasuredFile[], measure: AcrossMeasure): Association {
  const pairs = files.map((f) => [f.tag, measureValue(f.result, measure)] as const).filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  if (pairs.length < 3) return { n: pairs.length, pearson: null, spearman: null };
  const x = pairs.map((p) => p[0]);
  const y = pairs.map((p) => p[1]);
  const r = pearson(x, y);
  const rho = spearman(x, y);
  return { n: pairs.length, pearson: Number.isNaN(r) ? null : r, spearman: Number.isNaN(rho) ? null : rho };
}

/** One measure against the per-file number, with Pearson r and Spearman ρ. */
export function measureVsNumber(files: MeasuredFile[], measure: AcrossMeasure, numberName: string): ChartSpec {
  const label = ACROSS_LABEL[measure];
  const points = files.filter((f) => f.tag !== null && measureValue(f.result, measure) !== null).sort((a, b) => a.tag! - b.tag!);
  const a = association(files, measure);
  const stats =
    a.n < 3
      ? `${a.n} file${a.n === 1 ? '' : 's'} with a number: correlations need at least 3.`
      : `Pearson r = ${a.pearson?.toFixed(3) ?? 'undefined'}, Spearman ρ = ${a.spearman?.toFixed(3) ?? 'undefined'} over ${a.n} files${a.n < 6 ? ' (few points: read with care)' : ''}.`;
  return {
    id: `${measure}-vs-${numberName.replace(/[^\w-]+/g, '_') || 'number'}`,
    title: `${label} vs ${numberName}`,
    caption: stats,
    fileBase: 'all-files',
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers+text',
        x: points.map((f) => f.tag),
        y: points.map((f) => measureValue(f.result, measure)),
        text: points.map((f) => f.name.replace(/\.[a-z0-9]+$/i, '')),
        textposition: 'top center',
        textfont: { size: 10, color: '#59636e' },
        line: { color: '#8b949e', width: 1 },
        marker: { color: MEASURE_COLOURS[measure as keyof typeof MEASURE_COLOURS] ?? '#0072B2', size: 9 },
        hovertemplate: `%{text}<br>${numberName} %{x}<br>${label} %{y:.4g}<extra></extra>`,
        cliponaxis: false,
      },
    ],
    layout: baseLayout({
      xaxis: { title: { text: numberName } },
      yaxis: { title: { text: label } },
      margin: { l: 60, r: 30, t: 30, b: 50 },
    }),
    table: { columns: ['file', numberName, measure], rows: points.map((f) => [f.name, f.tag, measureValue(f.result, measure)]) },
    empty: points.length === 0 ? 'Give files a number (typed in the file list, or in the name: proj2, acc=91.2) to plot a measure against it.' : undefined,
  };
}
