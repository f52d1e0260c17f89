import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { heatmapPick, previewCellRows } from './heatmapPick.ts';
import { baseLayout, lazyTable, type ChartSpec } from './spec.ts';

/**
 * |partial r| between dims (−P_ij/√(P_ii P_jj), P = C⁻¹: the direct links, each pair given all other dims), from the
 * worker's block-averaged preview, in the |r| heatmap's order (file order, or the |r| cluster order) so the two read side by side.
 */
export function partialCorrelationHeatmap(fileName: string, result: RunResult, clustered = false): ChartSpec {
  const p = result.partialCorrelationPreview;
  const base = { id: clustered ? 'partial-correlation-heatmap-clustered' : 'partial-correlation-heatmap', title: 'Partial correlation between dimensions (|partial r|)', subject: fileName, fileBase: fileStem(fileName) };
  const columns = ['dim_row_from', 'dim_row_to', 'dim_col_from', 'dim_col_to', 'mean_abs_partial_r'];
  if (!p) return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns, rows: [] }, empty: 'No partial correlations: the correlation matrix is singular (N ≤ D, or duplicated dims), or the result is from an older version.' };
  const rOrder = result.correlationPreview?.clusterOrder;
  const order = clustered && rOrder?.length === p.size ? rOrder : Array.from({ length: p.size }, (_, i) => i);
  const starts = Array.from({ length: p.size }, (_, i) => i * p.blockSize);
  const z = order.map((i) => order.map((j) => (i === j ? null : p.values[i * p.size + j])));
  const blocks = p.blockSize > 1 ? ` (blocks of ${p.blockSize})` : '';
  const label = clustered ? `dim, in the |r| cluster order${blocks}` : `dim${blocks}`;
  return {
    ...base,
    caption: `${clustered ? 'Cells in the |r| heatmap’s cluster order. ' : ''}|partial r| = |P_ij|/√(P_ii P_jj), P the inverse of the correlation matrix: a pair’s correlation once all other dims are accounted for (direct links)${p.blockSize > 1 ? `, mean over ${p.blockSize} × ${p.blockSize} blocks` : ''}; the diagonal is left blank. Colour scale 0–0.5. Click a cell to inspect its dims.`,
    data: [
      {
        type: 'heatmap',
        z,
        x: starts,
        y: starts,
        ...(clustered ? { customdata: order.map((i) => order.map((j) => [starts[i], starts[j]])) } : {}),
        zmin: 0,
        zmax: 0.5,
        colorscale: 'Viridis',
        colorbar: { title: { text: '|partial r|' }, thickness: 12 },
        hovertemplate: clustered ? 'dims %{customdata[0]} × %{customdata[1]}<br>|partial r| %{z:.3f}<extra></extra>' : 'dims %{y} × %{x}<br>|partial r| %{z:.3f}<extra></extra>',
      },
    ],
    layout: baseLayout({
      height: 420,
      xaxis: { title: { text: label }, constrain: 'domain', showgrid: false },
      yaxis: { title: { text: label }, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain', showgrid: false },
      margin: { l: 60, r: 20, t: 10, b: 50 },
    }),
    table: lazyTable(columns, () => previewCellRows(p)),
    pick: (point) => heatmapPick(point, order, p.blockSize, p.d),
  };
}
