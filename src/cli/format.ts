/** The readable table `redundancy-lab measure` prints without --json. */
import type { MeasureResult } from '../core/measures/types.ts';

const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const count = (x: number) => x.toLocaleString('en-US');

export function formatResultTable(r: MeasureResult, dtype: string): string {
  const s = r.settings;
  const live = r.d - r.deadDims.length;
  const usable = live - r.splitDegenerateDims.length;
  const lines: string[] = [];
  lines.push(`${r.file}${r.array ? ` [${r.array}]` : ''}: ${count(r.n)} samples × ${count(r.d)} dims (${dtype})`);
  lines.push(`backend: ${r.backend.detail || r.backend.name}`);
  lines.push(`dead dims: ${r.deadDims.length}   split-degenerate dims: ${r.splitDegenerateDims.length}   split: ${count(r.nTrain)} train / ${count(r.nTest)} held-out (seed ${s.splitSeed})`);
  lines.push('');
  const rows: [string, string, string][] = [];
  if (r.aac) rows.push(['AAC', num(r.aac.value), `mean |r| over pairs of ${count(live)} live dims`]);
  if (r.lr) rows.push(['LR', num(r.lr.value), `held-out ridge R², all ${count(usable)} usable dims, α per dim (RidgeCV)`]);
  if (r.nlr) {
    const m = s.mlp;
    rows.push(['NLR', num(r.nlr.value), `held-out MLP R², ${count(r.nlr.evaluatedDims.length)} dims, ${m.epochs} epochs ${m.optimizer.toUpperCase()} lr ${m.learningRate}; converged ${r.nlr.convergedCount}/${r.nlr.evaluatedDims.length}`]);
    if (r.lr) {
      const diffs = r.nlr.minusLrPerDim.filter((v): v is number => v !== null);
      rows.push(['NLR − LR', num(diffs.reduce((a, b) => a + b, 0) / (diffs.length || NaN)), `mean over the ${diffs.length} dims both measured`]);
    }
  }
  if (r.extras.rankMe !== null) rows.push(['RankMe', num(r.extras.rankMe, 1), 'effective rank of the centred embeddings']);
  if (r.extras.inSampleR2) rows.push(['in-sample R²', num(r.extras.inSampleR2.value), 'OLS on all rows (1 − 1/C⁻¹ᵢᵢ): optimistic, not the headline LR']);
  if (r.extras.gaussianTotalCorrelation !== null) rows.push(['Gaussian TC', num(r.extras.gaussianTotalCorrelation, 2), '−½ log det C (nats)']);
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b, c] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  lines.push('');
  lines.push(`time: ${Object.entries(r.timingsMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`);
  return lines.join('\n');
}
