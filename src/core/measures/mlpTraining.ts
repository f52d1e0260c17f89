/**
 * What an NLR head's learning curve says about the number it produced (docs/science.md, "NLR: the training
 * read-out"). The curve is the head's loss after each epoch on rows it is NOT trained on, in R² units (MSE over the
 * target's variance): the validation part of the train split when training stops early (the default; the variance
 * of the whole train split, as a sparse dim may be constant on the validation rows), else the held-out split —
 * watched only, it chooses nothing there (1 − R² on it).
 *
 * Given the epoch whose weights were scored (the last one; the best-on-validation one when stopping early):
 * - 'over-fitted': the scored weights are worse than the curve's best by more than OVER_FITTED_MARGIN in R²
 *   (training went on past its best: NLR is below what this MLP reached, by that much or more);
 * - 'under-trained': the best of the last window (10% of the epochs run, at least 2) beats the best before it by
 *   more than STILL_IMPROVING in R² (still improving when training stopped: NLR is a lower bound);
 * - 'settled' otherwise.
 * A training loss that is still falling says neither: it almost always is.
 */
export type TrainingState = 'under-trained' | 'over-fitted' | 'settled';
export const TRAINING_STATES: readonly TrainingState[] = ['under-trained', 'over-fitted', 'settled'];

/** R² lost by going on past the best epoch that counts as over-fitting (a tenth of a typical NLR − LR gap). */
export const OVER_FITTED_MARGIN = 0.02;
/** R² the last window of epochs may still gain before the head counts as under-trained. */
export const STILL_IMPROVING = 0.005;
export const WINDOW_FRACTION = 0.1;

/** `curve[e]` = 1 − R² on the watched split after epoch e + 1; `scoredEpoch` is 1-based. */
export function trainingState(curve: ArrayLike<number>, scoredEpoch: number): TrainingState {
  const epochs = curve.length;
  if (epochs === 0) return 'under-trained';
  let best = Infinity;
  for (let e = 0; e < epochs; e++) if (curve[e] < best) best = curve[e];
  const scored = curve[Math.min(epochs, Math.max(1, scoredEpoch)) - 1];
  if (!(scored - best <= OVER_FITTED_MARGIN)) return 'over-fitted';
  const window = Math.min(epochs - 1, Math.max(2, Math.round(WINDOW_FRACTION * epochs)));
  if (window < 1) return 'under-trained'; // one epoch: nothing says it had finished
  let bestBefore = Infinity;
  for (let e = 0; e < epochs - window; e++) if (curve[e] < bestBefore) bestBefore = curve[e];
  return bestBefore - best > STILL_IMPROVING ? 'under-trained' : 'settled';
}

export interface TrainingCounts {
  underTrained: number;
  overFitted: number;
  settled: number;
}

export function countTrainingStates(states: readonly (TrainingState | null)[]): TrainingCounts {
  const c: TrainingCounts = { underTrained: 0, overFitted: 0, settled: 0 };
  for (const s of states) {
    if (s === 'under-trained') c.underTrained++;
    else if (s === 'over-fitted') c.overFitted++;
    else if (s === 'settled') c.settled++;
  }
  return c;
}

/** "12 settled, 3 under-trained, 1 over-fitted" (the parts that are not zero; "—" for results saved without it). */
export function trainingSummary(counts: TrainingCounts | null): string {
  if (!counts) return 'training read-out not saved (older version)';
  const parts = [
    `${counts.settled} settled`,
    counts.underTrained ? `${counts.underTrained} under-trained` : '',
    counts.overFitted ? `${counts.overFitted} over-fitted` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** How the MLPs were trained, in one phrase: "Adam lr 0.001, batch 128, early stopping (…), ≤ 300 epochs". */
export function describeMlpSchedule(m: {
  epochs: number;
  learningRate: number;
  batchSize: number;
  optimizer: string;
  earlyStopping?: { validationFraction: number; patience: number };
}): string {
  const opt = `${m.optimizer === 'adam' ? 'Adam' : 'SGD'} lr ${m.learningRate}, batch ${m.batchSize}`;
  const es = m.earlyStopping;
  return es
    ? `${opt}, early stopping on ${Math.round(es.validationFraction * 100)}% of the train rows (patience ${es.patience}, best weights), ≤ ${m.epochs} epochs`
    : `${opt}, ${m.epochs} epochs`;
}
