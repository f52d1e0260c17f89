/** Plotly is 4.6 MB: loaded once, on the first chart, never at startup. */
import type { PlotlyStatic } from 'plotly.js-dist';

let loading: Promise<PlotlyStatic> | null = null;

/** Resolves once the browser is idle (the first numbers painted first), or after `ms` at the latest. */
function idle(ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: ms });
    else setTimeout(resolve, 0);
  });
}

export function loadPlotly(): Promise<PlotlyStatic> {
  // the first chart mounts with the first result: its numbers in the table are painted before Plotly is fetched
  loading ??= idle(1000)
    .then(() => import('plotly.js-dist')).then((m) => ((m as unknown as { default?: PlotlyStatic }).default ?? (m as unknown as PlotlyStatic)));
  return loading;
}
