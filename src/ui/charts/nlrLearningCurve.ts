import { describeMlpSchedule, trainingSummary } from '../../core/lite.ts';
import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { MEASURE_COLOURS, baseLayout, nlrMissing, type ChartSpec } from './spec.ts';

/**
 * NLR's learning curves: per epoch, the mean over the heads still training of the loss on the rows each head is
 * watched on (validation rows, else the held-out split), as 1 − R², beside the training MSE; the caption gives the
 * training read-out (how many heads settled, were still improving, or went past their best).
 */
export function nlrLearningCurve(fileName: string, result: RunResult): ChartSpec {
  const base = { id: 'nlr-learning-curve', title: 'NLR: learning curves', subject: fileName, fileBase: fileStem(fileName) };
  const nlr = result.nlr;
  if (!nlr || nlr.meanTrainLossByEpoch.length === 0) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: nlrMissing(result, 'NLR was not measured in this run.') };
  }
  const epochs = nlr.meanTrainLossByEpoch.map((_, i) => i + 1);
  const m = result.settings.mlp;
  const all = nlr.evaluatedDims.length;
  const watched = nlr.trainingMonitor === 'validation' ? 'validation rows (part of the train split)' : 'held-out split (watched only; it chooses nothing)';
  const t = nlr.training;
  const verdict = !t
    ? 'Saved by an older version: no training read-out; run it again to get one.'
    : t.settled === all
      ? `All ${all} MLPs settled: their ${nlr.trainingMonitor === 'validation' ? 'validation' : 'held-out'} loss had stopped improving.`
      : `${trainingSummary(t)} of ${all}.${t.underTrained ? ' Under-trained: still improving when training stopped, so their NLR is a lower bound.' : ''}${t.overFitted ? ' Over-fitted: scored weights worse than the curve’s best by more than 0.02 in R².' : ''}`;
  const monitor = nlr.meanMonitorByEpoch ?? [];
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'training MSE',
      x: epochs,
      y: nlr.meanTrainLossByEpoch,
      line: { color: '#8b949e', dash: 'dot' },
      hovertemplate: 'epoch %{x}<br>mean train MSE %{y:.4f}<extra></extra>',
    },
  ];
  if (monitor.length) {
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name: `1 − R² on ${nlr.trainingMonitor === 'validation' ? 'validation' : 'held-out'} rows`,
      x: monitor.map((_, i) => i + 1),
      y: monitor,
      marker: { color: MEASURE_COLOURS.nlr, size: 4 },
      line: { color: MEASURE_COLOURS.nlr },
      hovertemplate: 'epoch %{x}<br>mean 1 − R² %{y:.4f}<extra></extra>',
    });
  }
  return {
    ...base,
    caption: `Mean over the ${all} NLR heads still training at each epoch (${describeMlpSchedule(m)}): training MSE (dotted) and 1 − R² on the ${watched} (solid; lower is better). ${verdict}`,
    data,
    layout: baseLayout({
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'MSE / 1 − R² (standardised target)' }, rangemode: 'tozero' },
      showlegend: true,
      legend: { orientation: 'h', y: -0.25 },
    }),
    table: { columns: ['epoch', 'mean_train_mse', 'mean_watched_1_minus_r2'], rows: epochs.map((e, i) => [e, nlr.meanTrainLossByEpoch[i], monitor[i] ?? null]) },
  };
}
