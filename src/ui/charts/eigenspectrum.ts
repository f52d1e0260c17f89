import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { baseLayout, type ChartSpec } from './spec.ts';
import { SPECTRUM_MAX_D } from '../../core/lite.ts';

/** Eigenvalues of the correlation matrix of the live dims, largest first, on a log scale. */
export function eigenspectrum(fileName: string, result: RunResult): ChartSpec {
  const ev = result.extras.eigenvalues;
  const base = { id: 'eigenspectrum', title: 'Eigenspectrum of the correlation matrix', subject: fileName, fileBase: fileStem(fileName) };
  if (!ev || ev.length === 0) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: ev === null && result.d > SPECTRUM_MAX_D ? `Not computed above D = ${SPECTRUM_MAX_D.toLocaleString('en-US')} (this file has ${result.d.toLocaleString('en-US')}): the eigenvalue step would take tens of minutes.` : 'No eigenvalues in this run.' };
  }
  const index = ev.map((_, i) => i + 1);
  const nonPositive = ev.filter((v) => !(v > 0)).length;
  return {
    ...base,
    caption: `${ev.length} eigenvalues (they sum to the number of live dims; all 1 = no linear redundancy). RankMe = ${result.extras.rankMe?.toPrecision(3) ?? '—'}.${nonPositive ? ` ${nonPositive} ≤ 0 not shown on the log scale.` : ''}`,
    data: [
      {
        type: 'scatter',
        mode: ev.length > 200 ? 'lines' : 'lines+markers',
        name: `eigenvalues (${ev.length}; RankMe ${result.extras.rankMe?.toPrecision(3) ?? '—'})`,
        x: index,
        y: ev,
        line: { color: '#0072B2', width: 2 },
        marker: { size: 4 },
        hovertemplate: '#%{x}: %{y:.4g}<extra></extra>',
      },
    ],
    layout: baseLayout({
      xaxis: { title: { text: 'component (largest first)' } },
      yaxis: { title: { text: 'eigenvalue' }, type: 'log', exponentformat: 'power' },
      shapes: [{ type: 'line', name: 'eigenvalue 1 (all at 1 = no linear redundancy)', showlegend: true, x0: 0, x1: 1, xref: 'paper', y0: 1, y1: 1, line: { color: '#8b949e', dash: 'dot', width: 1 } }],
    }),
    table: { columns: ['component', 'eigenvalue'], rows: ev.map((v, i) => [i + 1, v]) },
  };
}
