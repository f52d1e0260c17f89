import type { DimPick, PlotPoint } from './spec.ts';

/**
 * What a click on a heatmap cell picks: the dims of its row and column. `order`: the blocks in drawn order (file or
 * cluster order), `blockSize` dims a cell, `d` dims in all. One dim a cell: the row's dim is shown and the pair listed;
 * a block: the dims of both blocks listed.
 */
export function heatmapPick(p: PlotPoint, order: readonly number[], blockSize: number, d: number): DimPick | null {
  if (!Array.isArray(p.pointNumber) || p.pointNumber.length !== 2) return null;
  const [row, col] = p.pointNumber;
  if (order[row] === undefined || order[col] === undefined) return null;
  const span = (block: number) => Array.from({ length: Math.max(0, Math.min(d, (block + 1) * blockSize) - block * blockSize) }, (_, i) => block * blockSize + i);
  const rowDims = span(order[row]);
  const colDims = span(order[col]);
  if (!rowDims.length || !colDims.length) return null;
  const name = (dims: number[]) => (dims.length === 1 ? `dim ${dims[0]}` : `dims ${dims[0]}–${dims.at(-1)}`);
  const dims = [...new Set([...rowDims, ...colDims])].sort((a, b) => a - b);
  return { dim: blockSize === 1 ? rowDims[0] : null, list: { label: `cell ${name(rowDims)} × ${name(colDims)}`, dims } };
}

/** A heatmap preview's cells as table rows: the dims each cell spans (first, last) by row and column, and its value. */
export function previewCellRows(p: { size: number; blockSize: number; d: number; values: ArrayLike<number> }): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let i = 0; i < p.size; i++) {
    const from = i * p.blockSize;
    for (let j = 0; j < p.size; j++) rows.push([from, Math.min(p.d, from + p.blockSize) - 1, j * p.blockSize, Math.min(p.d, (j + 1) * p.blockSize) - 1, p.values[i * p.size + j]]);
  }
  return rows;
}
