import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { heatmapPick, previewCellRows } from './heatmapPick.ts';
import { baseLayout, lazyTable, type ChartSpec } from './spec.ts';

/** |r| between dims, from the worker's block-averaged preview (≤ 512 × 512). */
export function correlationHeatmap(fileName: string, result: RunResult, clustered = false): ChartSpec {
  const p = result.correlationPreview;
  const base = { id: clustered ? 'correlation-heatmap-clustered' : 'correlation-heatmap', title: 'Correlation between dimensions (|r|)', subject: fileName, fileBase: fileStem(fileName) };
  if (!p) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: 'No heatmap for this run (the preview could not be computed).' };
  }
  const order = clustered && p.clusterOrder?.length === p.size ? p.clusterOrder : Array.from({ length: p.size }, (_, i) => i);
  const starts = Array.from({ length: p.size }, (_, i) => i * p.blockSize);
  // one axis in both orders: 0…D in dims (cell k starts at dim k·blockSize); in cluster order it is the position
  // along the reordered matrix, and the hover names the original dims
  const axis = starts;
  const z: number[][] = order.map((i) => order.map((j) => p.values[i * p.size + j]));
  const blocks = p.blockSize > 1 ? ` (blocks of ${p.blockSize})` : '';
  const label = clustered ? `dim, in cluster order${blocks}` : `dim${blocks}`;
  return {
    ...base,
    caption:
      (clustered ? 'Cells in average-linkage cluster order (correlated dims side by side; hover for the original dims). ' : '') +
      (p.blockSize > 1
        ? `Mean |r| over ${p.blockSize} × ${p.blockSize} blocks of the ${p.d} × ${p.d} correlation matrix (dead dims count as 0). AAC is the mean off the diagonal.`
        : `|r| for every pair of the ${p.d} dims (dead dims are 0). AAC is the mean off the diagonal.`) +
      ' Click a cell to inspect its dims.',
    data: [
      {
        type: 'heatmap',
        name: '|r|',
        z,
        x: axis,
        y: axis,
        ...(clustered ? { customdata: order.map((i) => order.map((j) => [starts[i], starts[j]])) } : {}),
        zmin: 0,
        zmax: 1,
        colorscale: 'Viridis',
        colorbar: { title: { text: '|r|' }, thickness: 12 },
        hovertemplate: clustered
          ? `dim${p.blockSize > 1 ? 's' : ''} %{customdata[0]}${p.blockSize > 1 ? '…' : ''} × %{customdata[1]}${p.blockSize > 1 ? '…' : ''}<br>${p.blockSize > 1 ? 'mean ' : ''}|r| %{z:.3f}<extra></extra>`
          : p.blockSize > 1
            ? 'dims %{y}… × %{x}…<br>mean |r| %{z:.3f}<extra></extra>'
            : 'dim %{y} × dim %{x}<br>|r| %{z:.3f}<extra></extra>',
      },
    ],
    layout: baseLayout({
      height: 420,
      xaxis: { title: { text: label }, constrain: 'domain', showgrid: false },
      yaxis: { title: { text: label }, autorange: 'reversed', scaleanchor: 'x', constrain: 'domain', showgrid: false },
      margin: { l: 60, r: 20, t: 10, b: 50 },
    }),
    table: lazyTable(['dim_row_from', 'dim_row_to', 'dim_col_from', 'dim_col_to', 'mean_abs_r'], () => previewCellRows(p)),
    pick: (point) => heatmapPick(point, order, p.blockSize, p.d),
  };
}
