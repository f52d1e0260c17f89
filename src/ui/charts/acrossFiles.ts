import type { RunResult } from '../../worker/api.ts';
import { MEASURE_COLOURS, baseLayout, type ChartSpec } from './spec.ts';
import { pointLabels } from './study.ts';

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

/**
 * Each redundancy measure as grouped horizontal bars, one group per file (long names stay readable). On a narrow
 * chart (`plotWidth`, px, below 420) the names are shortened so that the bars keep most of the width; the hover
 * and the table keep the whole name.
 */
export function measuresByFile(files: MeasuredFile[], plotWidth = 600): ChartSpec {
  const measures: ('aac' | 'lr' | 'nlr' | 'nlr-minus-lr')[] = ['aac', 'lr', 'nlr', 'nlr-minus-lr'];
  const full = files.map((f) => f.name.replace(/\.[a-z0-9]+$/i, ''));
  const short = plotWidth < 420 ? pointLabels(full, 18) : full;
  // categories must stay distinct
  const names = new Set(short).size === short.length ? short : full;
  const shown = measures.filter((m) => files.some((f) => measureValue(f.result, m) !== null));
  return {
    id: 'measures-by-file',
    title: 'Redundancy by file',
    subject: `${files.length} file${files.length === 1 ? '' : 's'}`,
    caption: 'AAC, LR, NLR and NLR − LR of every measured file (RankMe is in the table: a different scale).',
    fileBase: 'all-files',
    data: shown.map((m) => ({
      type: 'bar',
      orientation: 'h',
      name: ACROSS_LABEL[m],
      y: names,
      x: files.map((f) => measureValue(f.result, m)),
      customdata: full,
      marker: { color: MEASURE_COLOURS[m] },
      hovertemplate: `%{customdata}<br>${ACROSS_LABEL[m]} %{x:.4g}<extra></extra>`,
    })),
    layout: baseLayout({
      barmode: 'group',
      bargap: 0.25,
      showlegend: true,
      legend: { orientation: 'h', y: 1.02, yanchor: 'bottom', x: 0, traceorder: 'normal' },
      margin: { l: 10, r: 20, t: 30, b: 45 },
      height: Math.max(320, 70 + files.length * (12 * shown.length + 10)),
      yaxis: { autorange: 'reversed', automargin: true, tickfont: { size: 11 } },
      xaxis: { title: { text: 'value' }, zeroline: true },
    }),
    exportLayout: { yaxis: { title: { text: 'file' } } },
    table: { columns: ['file', 'aac', 'lr', 'nlr', 'nlr_minus_lr', 'rankme'], rows: files.map((f) => [f.name, ...(['aac', 'lr', 'nlr', 'nlr-minus-lr', 'rankme'] as const).map((m) => measureValue(f.result, m))]) },
  };
}
