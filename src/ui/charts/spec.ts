/**
 * A chart as data: what Plotly draws, what "View as table" shows, what CSV exports, and how the downloaded
 * files are named. Builders (one file per chart) turn results into specs; `ChartCard.svelte` renders them.
 */
import type { Cell } from '../../core/lite.ts';

export interface ChartTable {
  columns: string[];
  rows: Cell[][];
}

/**
 * A table whose rows are built when first read (CSV, "View as table") instead of with every result: a heatmap's
 * has 262,144 (512 × 512 cells), ~0.1 s and as much garbage on the page's thread each time a result arrives.
 */
export function lazyTable(columns: string[], buildRows: () => Cell[][]): ChartTable {
  let rows: Cell[][] | null = null;
  return {
    columns,
    get rows() {
      return (rows ??= buildRows());
    },
  };
}

export interface ChartSpec {
  /** stable id, also the download suffix: `<file>-<id>.png` */
  id: string;
  title: string;
  /** what the chart is of: the file's name, or the study / the files it compares; exported images name it in their title */
  subject: string;
  /** one line under the title: what is plotted and how to read it */
  caption: string;
  /** download names start with this (e.g. the file's stem, or "all-files") */
  fileBase: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  table: ChartTable;
  /** merged into the layout of an exported image only (e.g. an axis title the compact on-screen chart leaves out) */
  exportLayout?: Record<string, unknown>;
  /** shown instead of the plot when there is nothing to draw */
  empty?: string;
  /** what a click on a point of the chart picks for the dim inspector (null: nothing there); absent: not clickable */
  pick?: (point: PlotPoint) => DimPick | null;
}

/** The part of a Plotly click event's point a builder's `pick` reads. */
export interface PlotPoint {
  curveNumber: number;
  /** index of the point in its trace (a heatmap: [row, column]) */
  pointNumber?: number | number[];
  /** a histogram bar: the indices of the values in it */
  pointNumbers?: number[];
  x?: unknown;
  y?: unknown;
  customdata?: unknown;
}

/** What a click hands to the dim inspector: a dim to show, and/or a list of dims to choose from (a group, a bar, a cell). */
export interface DimPick {
  dim: number | null;
  list: { label: string; dims: number[] } | null;
}

/** Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** The empty-chart text for NLR: still being measured (a provisional result) or not measured at all. */
export function nlrMissing(result: { provisional?: { awaiting: string[] } }, otherwise: string): string {
  return result.provisional?.awaiting.includes('nlr') ? 'NLR is still being measured: this chart appears when it ends.' : otherwise;
}

export const MEASURE_COLOURS = { aac: '#0072B2', lr: '#E69F00', nlr: '#009E73', 'nlr-minus-lr': '#CC79A7' } as const;

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', size: 12, color: '#1a1f24' };

/** The layout every chart starts from: white, light grid, readable type. */
export function baseLayout(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const axis = { gridcolor: '#e6e9ec', zerolinecolor: '#c9ced4', linecolor: '#c9ced4', automargin: true };
  return {
    font: FONT,
    paper_bgcolor: '#ffffff',
    plot_bgcolor: '#ffffff',
    margin: { l: 60, r: 20, t: 20, b: 50 },
    height: 320,
    showlegend: false,
    ...extra,
    xaxis: { ...axis, ...((extra.xaxis as object) ?? {}) },
    yaxis: { ...axis, ...((extra.yaxis as object) ?? {}) },
  };
}

/** Plotly reads a few HTML tags in its text: a file name is shown as typed. */
const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The figure a PNG/SVG export draws: the on-screen chart made self-explanatory. A title naming the chart (the
 * measure) and its subject (the file or the study), the legend shown (every trace and every line or band shape
 * of a builder carries a name saying what it is and its value), and room for both. `width`: the image's (px).
 */
export function exportFigure(spec: ChartSpec, width: number): { data: Record<string, unknown>[]; layout: Record<string, unknown> } {
  const layout = spec.layout;
  const margin = (layout.margin as Record<string, number> | undefined) ?? { l: 60, r: 20, t: 20, b: 50 };
  const full = `${spec.title} — ${spec.subject}`;
  // a title too long for one line (~8 px a character at 15 px) gives the subject a line of its own
  const oneLine = full.length * 8 <= width - 40;
  const title = oneLine ? { text: escapeText(full) } : { text: escapeText(spec.title), subtitle: { text: escapeText(spec.subject) } };
  const entries = spec.data.filter((t) => t.showlegend !== false && t.type !== 'heatmap').length + ((layout.shapes as unknown[] | undefined)?.length ?? 0);
  // one legend entry a line (20 px each), between the title and the plot
  const top = (oneLine ? 44 : 62) + (entries ? 20 * entries + 8 : 0);
  return {
    data: spec.data,
    layout: {
      ...layout,
      title: { ...title, x: 0, xanchor: 'left', xref: 'container', y: 1, yanchor: 'top', yref: 'container', pad: { t: 10, l: 12 }, font: { size: 15 } },
      showlegend: entries > 0,
      // the legend between the title and the plot, left-aligned: it never covers the data
      legend: { orientation: 'v', x: 0, xanchor: 'left', y: 1, yanchor: 'bottom', yref: 'paper', traceorder: 'normal', font: { size: 11 }, tracegroupgap: 0 },
      margin: { ...margin, t: Math.max(margin.t ?? 20, top) },
      height: Number(layout.height ?? 320) + top - (margin.t ?? 20),
      // export-only settings; an axis's are merged into the on-screen axis
      ...Object.fromEntries(Object.entries(spec.exportLayout ?? {}).map(([k, v]) => [k, /axis$/.test(k) ? { ...((layout[k] as object) ?? {}), ...(v as object) } : v])),
    },
  };
}
