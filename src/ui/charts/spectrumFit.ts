import type { RunResult } from '../../worker/api.ts';
import { ALPHA_REQ_RANKS, explainedVarianceSpectrum } from '../../core/lite.ts';
import { fileStem } from '../export/download.ts';
import { baseLayout, type ChartSpec } from './spec.ts';

/**
 * The covariance spectrum as explained-variance ratios λ_r / Σλ on log–log axes, with the α-ReQ line fitted over
 * ranks 6–100 (reptrix's convention): the slope drawn is the α in the table.
 */
export function spectrumFit(fileName: string, result: RunResult): ChartSpec {
  const ev = result.extras.covarianceEigenvalues ?? null;
  const base = { id: 'alpha-req-fit', title: 'Covariance spectrum and the α-ReQ fit', subject: fileName, fileBase: fileStem(fileName) };
  const empty = (why: string): ChartSpec => ({ ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: why });
  if (!ev || ev.length === 0) return empty(result.extras.eigenvalues ? 'This result was saved before the covariance spectrum was kept: measure the file again to see it.' : 'No eigenvalues in this run.');
  const spectrum = explainedVarianceSpectrum(ev);
  if (!spectrum) return empty('Every dim is constant: no spectrum.');
  const { ratios: ratio, fit, fitted } = spectrum;
  const ranks = ratio.map((_, i) => i + 1);
  const shown = ratio.map((v, i) => ({ r: i + 1, v })).filter((p) => p.v > 0);
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: ev.length > 200 ? 'lines' : 'lines+markers',
      name: 'eigenvalue / Σ (explained-variance ratio)',
      x: shown.map((p) => p.r),
      y: shown.map((p) => p.v),
      line: { color: '#0072B2', width: 2 },
      marker: { size: 4 },
      hovertemplate: 'rank %{x}: %{y:.4g}<extra></extra>',
    },
  ];
  if (fit) {
    const fitRanks = Array.from({ length: fit.last - fit.first + 1 }, (_, i) => fit.first + i);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `α-ReQ fit, ranks ${fit.first}–${fit.last}: α = ${fit.alpha.toFixed(3)}`,
      x: fitRanks,
      y: fitRanks.map((r) => fitted[r - 1]),
      line: { color: '#D55E00', width: 2, dash: 'dash' },
      hovertemplate: `fit at rank %{x}: %{y:.4g}<extra>α = ${fit.alpha.toFixed(3)}</extra>`,
    });
  }
  return {
    ...base,
    caption: fit
      ? `${ev.length} covariance eigenvalues of the centred data, as ratios of their sum (reptrix's convention). α-ReQ = ${fit.alpha.toFixed(3)}: the slope of the dashed line, a weighted least-squares fit of log λ on −log rank over ranks ${fit.first}–${fit.last} (weights 1/rank). Larger α: faster decay, fewer effective directions. RankMe = ${result.extras.rankMe?.toPrecision(3) ?? '—'}.`
      : `${ev.length} covariance eigenvalues as ratios of their sum. No α-ReQ: the fit over ranks ${ALPHA_REQ_RANKS.first}–${ALPHA_REQ_RANKS.last} needs at least 10 ranks with eigenvalues above rounding (this file has too few dims or rows).`,
    data,
    // compact on screen (the caption says what the line is); the export's legend names both traces
    layout: baseLayout({
      xaxis: { title: { text: 'rank (largest first)' }, type: 'log', exponentformat: 'power' },
      yaxis: { title: { text: 'explained-variance ratio' }, type: 'log', exponentformat: 'power' },
    }),
    table: { columns: ['rank', 'explained_variance_ratio', 'alpha_req_fit'], rows: ratio.map((v, i) => [ranks[i], v, fitted[i]]) },
  };
}
