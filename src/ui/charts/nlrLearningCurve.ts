import type { RunResult } from '../../worker/api.ts';
import { fileStem } from '../export/download.ts';
import { MEASURE_COLOURS, baseLayout, type ChartSpec } from './spec.ts';

/** NLR's mean training loss by epoch (over all heads), with how many heads converged: is NLR under-trained? */
export function nlrLearningCurve(fileName: string, result: RunResult): ChartSpec {
  const base = { id: 'nlr-learning-curve', title: 'NLR: training loss by epoch', fileBase: fileStem(fileName) };
  const nlr = result.nlr;
  if (!nlr || nlr.meanTrainLossByEpoch.length === 0) {
    return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns: [], rows: [] }, empty: 'NLR was not measured in this run.' };
  }
  const epochs = nlr.meanTrainLossByEpoch.map((_, i) => i + 1);
  const m = result.settings.mlp;
  const all = nlr.evaluatedDims.length;
  const verdict =
    nlr.convergedCount === all
      ? `All ${all} MLPs converged (training loss flat at the end).`
      : `${nlr.convergedCount} of ${all} MLPs converged; the rest were still improving when training stopped, so their held-out R² — and NLR — is a lower bound. More epochs or Adam (not the paper's setting) train them further.`;
  return {
    ...base,
    caption: `Mean training MSE over the ${all} NLR heads (${m.epochs} epochs of ${m.optimizer.toUpperCase()}, lr ${m.learningRate}, batch ${m.batchSize}). ${verdict}`,
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        x: epochs,
        y: nlr.meanTrainLossByEpoch,
        marker: { color: MEASURE_COLOURS.nlr, size: 4 },
        line: { color: MEASURE_COLOURS.nlr },
        hovertemplate: 'epoch %{x}<br>mean train MSE %{y:.4f}<extra></extra>',
      },
    ],
    layout: baseLayout({ xaxis: { title: { text: 'epoch' } }, yaxis: { title: { text: 'mean train MSE (standardised target)' }, rangemode: 'tozero' } }),
    table: { columns: ['epoch', 'mean_train_mse'], rows: epochs.map((e, i) => [e, nlr.meanTrainLossByEpoch[i]]) },
  };
}
