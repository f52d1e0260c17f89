import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { baseLayout, nlrMissing, type ChartSpec, type PlotPoint } from './spec.ts';
import { lrVsNlrCaption } from '../../core/lite.ts';

/** Per dim: what the MLP finds (NLR R²) against what ridge finds (LR R²). Above the diagonal = non-linear redundancy. */
export function lrVsNlr(fileName: string, result: RunResult): ChartSpec {
  const base = { id: 'lr-vs-nlr-per-dim', title: 'LR vs NLR per dimension', subject: fileName, fileBase: fileStem(fileName) };
  if (!result.lr || !result.nlr) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: nlrMissing(result, 'Needs both LR and NLR in the same run.') };
  }
  const dims: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const rows: (number | null)[][] = [];
  result.nlr.perDim.forEach((n, dim) => {
    const l = result.lr!.perDim[dim];
    if (n === null || l === null) return;
    dims.push(dim);
    x.push(l);
    y.push(n);
    rows.push([dim, l, n, result.nlr!.minusLrPerDim[dim]]);
  });
  const lo = Math.min(0, ...x, ...y);
  return {
    ...base,
    caption: `${dims.length} dims where both were evaluated. ${lrVsNlrCaption(result.reliability)} Click a point to inspect its dim.`,
    data: [
      { type: 'scatter', mode: 'lines', name: 'NLR = LR (above: non-linear redundancy)', x: [lo, 1], y: [lo, 1], line: { color: '#8b949e', dash: 'dash', width: 1 }, hoverinfo: 'skip' },
      {
        type: 'scatter',
        mode: 'markers',
        name: `dims (${dims.length})`,
        x,
        y,
        customdata: dims,
        marker: { color: '#009E73', size: 7, opacity: 0.85, line: { color: '#ffffff', width: 0.5 } },
        hovertemplate: 'dim %{customdata}<br>LR R² %{x:.3f}<br>NLR R² %{y:.3f}<extra></extra>',
      },
    ],
    layout: baseLayout({
      xaxis: { title: { text: 'LR: ridge held-out R²' }, range: [lo - 0.02, 1.02] },
      yaxis: { title: { text: 'NLR: MLP held-out R²' }, range: [lo - 0.02, 1.02], scaleanchor: 'x' },
    }),
    table: { columns: ['dim', 'lr_r2', 'nlr_r2', 'nlr_minus_lr'], rows },
    pick: (p: PlotPoint) => (p.curveNumber === 1 && typeof p.pointNumber === 'number' && p.pointNumber < dims.length ? { dim: dims[p.pointNumber], list: null } : null),
  };
}
