/**
 * Progress of one measurement: stages weighted by their estimated time (core/estimate.ts: the work of each stage,
 * by where it runs, at typical rates), so fractions — and the UI's ETA — track time.
 */
import { TYPICAL_RATES, measureWork, stageSeconds, type MeasureCostOptions } from '../estimate.ts';
import type { MeasureSettings, Progress } from './types.ts';

/** Estimated seconds per stage at typical rates: the weights of the progress fraction. */
export function estimateCost(n: number, d: number, s: MeasureSettings, options: MeasureCostOptions = {}): Record<Progress['stage'], number> {
  return stageSeconds(measureWork(n, d, s, options), TYPICAL_RATES, s.mlp.batchSize);
}

export class ProgressReporter {
  private readonly order: Progress['stage'][] = ['read', 'gram', 'extras', 'lr', 'nlr', 'null', 'done'];
  private readonly total: number;
  constructor(
    private readonly onProgress: ((p: Progress) => void) | undefined,
    private readonly cost: Record<Progress['stage'], number>,
  ) {
    this.total = this.order.reduce((s, k) => s + cost[k], 0) || 1;
  }
  report(stage: Progress['stage'], within: number, message: string): void {
    if (!this.onProgress) return;
    let before = 0;
    for (const k of this.order) {
      if (k === stage) break;
      before += this.cost[k];
    }
    const fraction = stage === 'done' ? 1 : Math.min(1, (before + Math.min(1, Math.max(0, within)) * this.cost[stage]) / this.total);
    this.onProgress({ stage, fraction, message });
  }
}

