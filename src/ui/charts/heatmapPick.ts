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
