import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { MEASURE_COLOURS, baseLayout, nlrMissing, type ChartSpec, type PlotPoint } from './spec.ts';

/** Distribution over dims of the held-out R² of LR (ridge) or NLR (MLP). */
export function perDimHistogram(fileName: string, result: RunResult, measure: 'lr' | 'nlr'): ChartSpec {
  const m = measure === 'lr' ? result.lr : result.nlr;
  const name = measure === 'lr' ? 'LR' : 'NLR';
  const base = { id: `${measure}-per-dim`, title: `${name}: held-out R² per dimension`, subject: fileName, fileBase: fileStem(fileName) };
  if (!m) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: measure === 'nlr' ? nlrMissing(result, `${name} was not measured in this run.`) : `${name} was not measured in this run.` };
  }
  const rows: (number | string | null)[][] = [];
  const values: number[] = [];
  const dims: number[] = [];
  m.perDim.forEach((v, dim) => {
    if (v === null) return;
    values.push(v);
    dims.push(dim);
    rows.push(measure === 'lr' ? [dim, v, result.lr!.alphaPerDim[dim]] : [dim, v, result.nlr!.trainingStatePerDim?.[dim] ?? null]);
  });
  const how = measure === 'lr' ? 'ridge regression from all other dims (RidgeCV α per dim)' : 'an MLP from all other dims';
  const rel = result.reliability;
  const band = measure === 'lr' ? rel?.lrNullBand : rel?.nlrNullBand;
  const nullValue = measure === 'lr' ? rel?.lrNull : rel?.nlrNull;
  const warnings = (rel?.warnings ?? []).filter((w) => w.measures.includes(measure)).map((w) => `${w.severity === 'info' ? 'Note:' : '⚠'} ${w.message}`);
  const shapes: Record<string, unknown>[] = [{ type: 'line', name: `${name} (mean over dims) ${m.value.toPrecision(3)}`, showlegend: true, x0: m.value, x1: m.value, y0: 0, y1: 1, yref: 'paper', line: { color: '#1a1f24', dash: 'dash', width: 1.5 } }];
  if (band) shapes.unshift({ type: 'rect', name: `null band (permuted columns) ${band[0].toPrecision(3)} to ${band[1].toPrecision(3)}${nullValue != null ? `, ${name}_null ${nullValue.toPrecision(3)}` : ''}`, showlegend: true, x0: band[0], x1: band[1], y0: 0, y1: 1, yref: 'paper', fillcolor: '#8b949e', opacity: 0.25, line: { width: 0 } });
  if (measure === 'lr' && rel?.lrMedian != null) shapes.push({ type: 'line', name: `median ${rel.lrMedian.toPrecision(3)}`, showlegend: true, x0: rel.lrMedian, x1: rel.lrMedian, y0: 0, y1: 1, yref: 'paper', line: { color: '#1a1f24', dash: 'dot', width: 1.5 } });
  const nullText = band && nullValue != null ? ` The grey band is the null: what pure noise (this file's columns permuted independently) reads through the same pipeline, ${name}_null = ${nullValue.toPrecision(3)}.` : '';
  const medianText = measure === 'lr' && rel?.lrMedian != null ? ` Dotted: the median, ${rel.lrMedian.toPrecision(3)}.` : '';
  return {
    ...base,
    caption: `${values.length} dims, each predicted by ${how}; the dashed line is the ${name} (mean) = ${m.value.toPrecision(3)}.${medianText} R² below 0 = worse than predicting the mean.${nullText} Click a bar to list its dims in the dim inspector.${warnings.length ? `\n${warnings.join('\n')}` : ''}`,
    data: [
      {
        type: 'histogram',
        name: `dims (${values.length}) by held-out R²`,
        x: values,
        nbinsx: Math.min(40, Math.max(8, Math.round(Math.sqrt(values.length) * 2))),
        marker: { color: MEASURE_COLOURS[measure], line: { color: '#ffffff', width: 1 } },
        hovertemplate: 'R² %{x}<br>%{y} dims<extra></extra>',
      },
    ],
    layout: baseLayout({
      bargap: 0.02,
      xaxis: { title: { text: 'held-out R²' } },
      yaxis: { title: { text: 'dims' } },
      shapes,
    }),
    table: { columns: measure === 'lr' ? ['dim', 'r2', 'alpha'] : ['dim', 'r2', 'training'], rows },
    pick: (p: PlotPoint) => {
      const inBar = (p.pointNumbers ?? []).filter((i) => i < dims.length);
      if (!inBar.length) return null;
      const r2 = inBar.map((i) => values[i]);
      const from = Math.min(...r2);
      const to = Math.max(...r2);
      const r2Text = (v: number) => v.toFixed(3).replace('-', '−');
      return { dim: null, list: { label: `${inBar.length} dim${inBar.length > 1 ? 's' : ''} with ${name} R² ${from === to ? r2Text(from) : `${r2Text(from)} to ${r2Text(to)}`}`, dims: inBar.map((i) => dims[i]) } };
    },
  };
}
