/**
 * A study's per-model step, one home for the CLI and the app's worker: measure → linear probe on the same split
 * (when labels exist) → the study row → optionally the spread over k split seeds. The correlations across models
 * (studyCorrelations, with their bootstrap) are computed from the rows, also in core.
 */
import type { ArrayHandle } from '../io/types.ts';
import { measureArray } from '../measure.ts';
import { probeArray, probeRunFor } from '../probe.ts';
import type { ProbeResult } from '../measures/linearProbe.ts';
import type { MeasureResult, MeasureSettings, RunOptions } from '../measures/types.ts';
import { tagFromFileName } from './fileTag.ts';
import { splitResampling } from './splitResampling.ts';
import { studyRow, type StudyRow } from './studyTable.ts';

export interface StudyModel {
  result: MeasureResult;
  probe: ProbeResult | null;
  row: StudyRow;
}

export interface StudyModelOptions extends RunOptions {
  /** the model's labels (an integer per row), or null: no probe accuracy */
  labels?: Int32Array | null;
  /** re-measure LR/NLR on this many split seeds (≥ 2) for an interval per model; 0: not */
  splits?: number;
}

export async function studyModel(array: ArrayHandle, fileName: string, settings: MeasureSettings, options: StudyModelOptions = {}): Promise<StudyModel> {
  const { labels = null, splits = 0, ...run } = options;
  const onProgress = run.onProgress;
  // measuring is most of the work; the probe and the extra splits share the rest of the bar
  const share = (from: number, to: number) => (onProgress ? (f: number, message: string) => onProgress({ stage: 'probe', fraction: from + (to - from) * f, message }) : undefined);
  const result = await measureArray(array, fileName, settings, { ...run, onProgress: onProgress && ((p) => onProgress({ ...p, fraction: 0.8 * p.fraction })) });
  const probe = labels ? await probeArray(array, labels, fileName, probeRunFor(settings), { signal: run.signal, onProgress: share(0.8, splits > 1 ? 0.85 : 1) }) : null;
  const row = studyRow(result, probe, tagFromFileName(fileName));
  if (splits > 1) {
    const progress = share(0.85, 1);
    const spread = await splitResampling(array, fileName, settings, splits, {
      ...run,
      onProgress: progress && ((p) => progress(p.fraction, p.message)),
    });
    row.lrSplitCi95 = spread.lr?.meanCi95 ?? null;
    row.nlrSplitCi95 = spread.nlr?.meanCi95 ?? null;
    row.lrSplitMean = spread.lr?.mean ?? null;
    row.nlrSplitMean = spread.nlr?.mean ?? null;
    row.splits = splits;
  }
  return { result, probe, row };
}
