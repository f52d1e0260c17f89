/** Progress of one measurement: stages weighted by rough FLOP counts, so fractions (and the UI's ETA) track time. */
import type { MeasureSettings, Progress } from './types.ts';

/** Rough FLOP counts per stage, so progress fractions (and the UI's ETA) track where time goes. */
export function estimateCost(n: number, d: number, s: MeasureSettings): Record<Progress['stage'], number> {
  const K = s.ridgeAlphas.length;
  const wantsNlr = s.measures.includes('nlr');
  const nlrDims = !wantsNlr ? 0 : s.nlrDims.kind === 'all' ? d : s.nlrDims.kind === 'fraction' ? s.nlrDims.fraction * d : s.nlrDims.kind === 'count' ? s.nlrDims.count : s.nlrDims.dims.length;
  const nlrRows = Math.min(n, s.nlrRowCap ?? n) * (1 - s.testFraction);
  const [h1 = 128, h2 = 64] = s.mlp.hidden;
  return {
    read: n * d * 20,
    gram: 2 * n * d * d,
    extras: 8 * d * d * d,
    lr: s.measures.includes('lr') ? 2 * K * n * d * d * 3 + K * d * d * d : n * d * 20,
    nlr: 6 * nlrRows * (d * h1 + h1 * h2 + h2) * s.mlp.epochs * nlrDims,
    // the null baseline: the pipeline again without extras, NLR on a few dims
    null: s.measures.includes('lr') ? n * d * 20 + 2 * n * d * d + 2 * K * n * d * d * 3 + K * d * d * d + 6 * nlrRows * (d * h1 + h1 * h2 + h2) * s.mlp.epochs * Math.min(nlrDims, 4) : 0,
    stats: 0,
    probe: 0,
    done: 0,
  };
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

