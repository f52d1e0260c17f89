/**
 * Per-file numbers the results table shows that the core's MeasureResult does not carry as scalars.
 * Computed here, in the worker, so the page does no arithmetic on results.
 */
import type { MeasureResult } from '../core/index.ts';
import type { ResultSummary } from './api.ts';

/** NLR − LR on the NLR dims is the core's (result.nlr.minusLr); the summary only counts its dims. */
export function summarise(result: MeasureResult, wallMs: number): ResultSummary {
  const dims = (result.nlr?.minusLrPerDim ?? []).filter((v) => v !== null).length;
  return {
    nlrMinusLr: result.nlr?.minusLr ?? null,
    nlrMinusLrDims: dims,
    wallMs,
  };
}
