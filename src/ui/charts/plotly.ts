/** Plotly is 4.6 MB: loaded once, on the first chart, never at startup. */
import type { PlotlyStatic } from 'plotly.js-dist';

let loading: Promise<PlotlyStatic> | null = null;

export function loadPlotly(): Promise<PlotlyStatic> {
  loading ??= import('plotly.js-dist').then((m) => ((m as unknown as { default?: PlotlyStatic }).default ?? (m as unknown as PlotlyStatic)));
  return loading;
}
