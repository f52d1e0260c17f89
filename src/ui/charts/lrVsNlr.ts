import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { baseLayout, type ChartSpec } from './spec.ts';
import { bothAtNull } from '../../core/lite.ts';

/** Per dim: what the MLP finds (NLR R²) against what ridge finds (LR R²). Above the diagonal = non-linear redundancy. */
export function lrVsNlr(fileName: string, result: RunResult): ChartSpec {
  const base = { id: 'lr-vs-nlr-per-dim', title: 'LR vs NLR per dimension', fileBase: fileStem(fileName) };
  if (!result.lr || !result.nlr) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: 'Needs both LR and NLR in the same run.' };
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
  const rel = result.reliability;
  const codes = new Set((rel?.warnings ?? []).map((w) => w.code));
  // never call the gap non-linear redundancy when the numbers read as noise or the MLPs are under-trained
  const reading =
    rel && bothAtNull(rel)
      ? 'LR and NLR both read as noise here (within their null bands): the scatter around the diagonal shows no redundancy, linear or not.'
      : codes.has('nlr-at-null')
        ? 'NLR reads as noise here (within its null band): points above the diagonal are not evidence of non-linear redundancy.'
        : codes.has('lr-at-null')
          ? 'LR reads as noise here (within its null band); where NLR is clearly above it, the MLP finds dependence ridge does not.'
          : 'Points above the diagonal are predicted better by the MLP than by ridge: dependence that a linear model misses.';
  const training = codes.has('nlr-not-converged') ? ` ${rel!.nlrConverged} of ${rel!.nlrEvaluated} MLPs had not converged: their NLR is a lower bound (see the learning curve).` : '';
  return {
    ...base,
    caption: `${dims.length} dims where both were evaluated. ${reading}${training}`,
    data: [
      { type: 'scatter', mode: 'lines', x: [lo, 1], y: [lo, 1], line: { color: '#8b949e', dash: 'dash', width: 1 }, hoverinfo: 'skip' },
      {
        type: 'scatter',
        mode: 'markers',
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
  };
}
