/**
 * When do we call an NLR head "converged"?
 *
 * Rule: over the last 10% of epochs (at least 1 epoch), the head's mean training loss changed by
 * less than 1% relative — it fell by less than 1% and did not rise by 1% or more. Formally, with
 * w = max(1, round(0.1·E)) and losses L[0..E−1]:
 *     converged ⇔ |L[E−1] − L[E−1−w]| < 0.01 · L[E−1−w]     (or L[E−1] < 1e-6: nothing left to learn)
 * Fewer than 2 epochs: not judged (false). A non-finite loss: false.
 *
 * The paper's protocol (plain SGD, 100 epochs, batch 512) often stops while the loss is still
 * falling on small N; this rule reports that honestly rather than hiding it.
 */
export const PLATEAU_WINDOW_FRACTION = 0.1;
export const PLATEAU_RELATIVE_CHANGE = 0.01;
export const NEGLIGIBLE_LOSS = 1e-6;

export function lossPlateaued(losses: ArrayLike<number>): boolean {
  const epochs = losses.length;
  if (epochs < 2) return false;
  const last = losses[epochs - 1];
  if (!Number.isFinite(last)) return false;
  if (last < NEGLIGIBLE_LOSS) return true;
  const window = Math.max(1, Math.round(PLATEAU_WINDOW_FRACTION * epochs));
  const before = losses[epochs - 1 - window];
  if (!Number.isFinite(before) || before <= 0) return false;
  return Math.abs(last - before) < PLATEAU_RELATIVE_CHANGE * before;
}
