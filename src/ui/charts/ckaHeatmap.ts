import type { CkaComparison } from '../../worker/api.ts';
import { baseLayout, type ChartSpec } from './spec.ts';

/** Linear CKA between every pair of representations (or the debiased estimator), values written in the cells. */
export function ckaHeatmap(comparison: CkaComparison, debiased: boolean): ChartSpec {
  const m = debiased ? comparison.linearCkaDebiased : comparison.linearCka;
  const names = comparison.files;
  const k = names.length;
  // short tick labels [1] … [k]; the names are in the hover, the caption's list and the CSV
  const ticks = names.map((_, i) => `[${i + 1}]`);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) rows.push([names[i], names[j], m[i][j]]);
  const which = debiased ? 'linear CKA, debiased estimator (unbiased HSIC)' : 'linear CKA (Kornblith et al. 2019)';
  return {
    id: debiased ? 'cka-debiased' : 'cka',
    title: `Similarity of representations: ${which}`,
    subject: names.length <= 3 ? names.join(', ') : `${names.length} representations of the same ${comparison.n.toLocaleString('en-US')} rows`,
    caption:
      `${k} representations of the same ${comparison.n.toLocaleString('en-US')} rows: ${names.map((n, i) => `[${i + 1}] ${n}`).join(', ')}. ` +
      (debiased
        ? 'The debiased estimator is near 0 for unrelated representations at any N (it can dip slightly below 0).'
        : '1 = the same up to rotation and scale; on the centred features. Biased upwards at small N: see the debiased estimator.'),
    fileBase: 'cka',
    data: [
      {
        type: 'heatmap',
        z: m,
        x: ticks,
        y: ticks,
        zmin: debiased ? Math.min(0, ...m.flat()) : 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: debiased ? 'CKA (debiased)' : 'CKA' }, thickness: 12 },
        text: m.map((row) => row.map((v) => v.toFixed(3))),
        texttemplate: k <= 12 ? '%{text}' : '',
        customdata: names.map((a) => names.map((b) => [a, b])),
        hovertemplate: '%{customdata[0]}<br>× %{customdata[1]}<br>CKA %{z:.4f}<extra></extra>',
      },
    ],
    layout: baseLayout({
      height: Math.max(300, Math.min(560, 120 + 36 * k)),
      xaxis: { title: { text: 'representation' }, constrain: 'domain', showgrid: false },
      yaxis: { title: { text: 'representation' }, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain', showgrid: false },
      margin: { l: 60, r: 20, t: 10, b: 50 },
    }),
    table: { columns: ['representation_a', 'representation_b', debiased ? 'linear_cka_debiased' : 'linear_cka'], rows },
  };
}
