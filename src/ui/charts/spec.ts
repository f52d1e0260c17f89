/**
 * A chart as data: what Plotly draws, what "View as table" shows, what CSV exports, and how the downloaded
 * files are named. Builders (one file per chart) turn results into specs; `ChartCard.svelte` renders them.
 */
import type { Cell } from '../../core/lite.ts';

export interface ChartTable {
  columns: string[];
  rows: Cell[][];
}

export interface ChartSpec {
  /** stable id, also the download suffix: `<file>-<id>.png` */
  id: string;
  title: string;
  /** one line under the title: what is plotted and how to read it */
  caption: string;
  /** download names start with this (e.g. the file's stem, or "all-files") */
  fileBase: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  table: ChartTable;
  /** shown instead of the plot when there is nothing to draw */
  empty?: string;
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
