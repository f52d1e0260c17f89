/**
 * Per-file numbers the results table shows that the core's MeasureResult does not carry as scalars.
 * Computed here, in the worker, so the page does no arithmetic on results.
 */
import type { MeasureResult } from '../core/measures/types.ts';
import type { ResultSummary } from './api.ts';

/**
 * NLR − LR as the mean of the per-dim differences over the dims where both were evaluated (NLR often runs on a
 * sample of dims, LR on all of them: subtracting the two headline means would compare different dims).
 */
export function summarise(result: MeasureResult, wallMs: number): ResultSummary {
  const diffs = (result.nlr?.minusLrPerDim ?? []).filter((v): v is number => v !== null && Number.isFinite(v));
  return {
    nlrMinusLr: diffs.length ? diffs.reduce((a, b) => a + b, 0) / diffs.length : null,
    nlrMinusLrDims: diffs.length,
    wallMs,
  };
}
