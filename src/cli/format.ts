/** The readable table `redundancy-lab measure` prints without --json. */
import { PRESETS, describeMlpSchedule, trainingSummary, type MeasureResult, type studyCorrelations, type StudyRow } from '../core/index.ts';
import type { PresetUse } from './options.ts';

const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));
const count = (x: number) => x.toLocaleString('en-US');

/** "quick (Quick), edited by --measures": the preset and the flags that edited it (the table's line and the report). */
export function presetName(p: PresetUse): string {
  return `${p.base} (${PRESETS[p.base].label})${p.edited.length ? `, edited by ${p.edited.join(' ')}` : ''}`;
}

export function presetLine(p: PresetUse): string {
  return `preset: ${presetName(p)}`;
}

export function formatResultTable(r: MeasureResult, dtype: string, preset?: PresetUse): string {
  const s = r.settings;
  const live = r.d - r.deadDims.length;
  const usable = live - r.splitDegenerateDims.length;
  const lines: string[] = [];
  lines.push(`${r.file}${r.array ? ` [${r.array}]` : ''}: ${count(r.n)} samples × ${count(r.d)} dims (${dtype})`);
  lines.push(`backend: ${r.backend.detail || r.backend.name}`);
  if (preset) lines.push(presetLine(preset));
  if (s.protocol === 'authors-script') {
    const a = r.authorsScript;
    const input = a ? (a.input === 'raw' ? `raw embeddings through their corr.py (float32 z-scoring, np.savetxt, pd.read_csv) first${a.shiftedDims.length ? `; ${a.shiftedDims.length} split-constant dims read as a constant ≠ 0` : ''}` : 'their standardised CSV, read as it is') : '';
    lines.push(`protocol: authors-script — the released script's quirks (first row dropped, NaN → 0, dead dims R² = 1 and |r| = 0 pairs); not the corrected protocol${input ? `; input: ${input}` : ''}`);
  }
  lines.push(`dead dims: ${r.deadDims.length}   split-degenerate dims: ${r.splitDegenerateDims.length}   split: ${count(r.nTrain)} train / ${count(r.nTest)} held-out (seed ${s.splitSeed})`);
  lines.push('');
  const rows: [string, string, string][] = [];
  if (r.aac) rows.push(['AAC', num(r.aac.value), `mean |r| over pairs of ${count(live)} live dims`]);
  const rel = r.reliability;
  // ⚠ only for what must not be reported as it is; context (severity 'info') is listed under the table
  const flag = (codes: string[]) => (rel?.warnings.some((w) => codes.includes(w.code) && w.severity !== 'info') ? ' ⚠' : '');
  if (r.lr) {
    rows.push(['LR', num(r.lr.value), `held-out ridge R², all ${count(usable)} usable dims, α per dim (RidgeCV)${flag(['high-d-over-n', 'lr-at-null', 'outlier-dims'])}`]);
    if (rel?.lrMedian != null) rows.push(['LR median', num(rel.lrMedian), `median over dims (${rel.dimsBelowMinusOne} dims below −1)`]);
    if (rel?.lrNull != null) rows.push(['LR_null', num(rel.lrNull), `the same pipeline on column-permuted data (noise at this N and D)${rel.lrNullDimCount != null && rel.lrNullDimCount < usable ? `, a seeded ${count(rel.lrNullDimCount)} of the ${count(usable)} dims` : ''}; band [${num(rel.lrNullBand?.[0])}, ${num(rel.lrNullBand?.[1])}]`]);
    if (rel) rows.push(['lrAdjusted', num(rel.lrAdjusted), rel.lrAdjusted === null ? 'population estimate: needs more train rows than dims' : `population estimate: adjusted in-sample R² (Gaussian; D/N_train ${rel.dOverNTrain.toFixed(2)})`]);
  }
  if (r.nlr) {
    const m = s.mlp;
    rows.push(['NLR', num(r.nlr.value), `held-out MLP R², ${count(r.nlr.evaluatedDims.length)} dims, ${describeMlpSchedule(m)}; ${trainingSummary(r.nlr.training)}${flag(['nlr-not-converged', 'nlr-at-null'])}`]);
    if (rel?.nlrNull != null) rows.push(['NLR_null', num(rel.nlrNull), `column-permuted data, ${rel.nlrNullDims.length} dims`]);
    if (r.lr && r.nlr.minusLr !== null) {
      rows.push(['LR on NLR dims', num(r.nlr.lrOnNlrDims), `LR over the same ${count(r.nlr.evaluatedDims.length)} dims`]);
      rows.push(['NLR − LR on the NLR dims', num(r.nlr.minusLr), `NLR ${num(r.nlr.value)} − LR ${num(r.nlr.lrOnNlrDims)} over the same dims`]);
    }
  }
  if (r.extras.rankMe !== null) rows.push(['RankMe', num(r.extras.rankMe, 1), 'effective rank of the centred embeddings']);
  if (r.extras.alphaReq != null) rows.push(['α-ReQ', num(r.extras.alphaReq, 3), 'power-law decay of the covariance eigenvalues, ranks 6–100 (reptrix)']);
  if (r.extras.inSampleR2) rows.push(['in-sample R²', num(r.extras.inSampleR2.value), 'OLS on all rows (1 − 1/C⁻¹ᵢᵢ): optimistic — pure noise reads (D−1)/(N−1) here; not the headline LR']);
  if (r.extras.gaussianTotalCorrelation !== null) rows.push(['Gaussian TC', num(r.extras.gaussianTotalCorrelation, 2), '−½ log det C (nats)']);
  const g = r.extras.redundancyGroups;
  if (g) {
    const links = g.links === null ? 'partial-r links: C singular or N ≤ D + 1' : `${count(g.links)} partial-r links |ρ| > ${num(g.linkThreshold, 3)}`;
    rows.push(['redundancy groups', String(g.count), `${count(g.dimsInGroups)} dims (${(100 * g.shareOfDims).toFixed(1)}%) in groups of mean |r| ≥ ${num(g.threshold, 3)} (average linkage); ${links}`]);
  }
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  for (const [a, b, c] of rows) lines.push(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
  if (rel?.warnings.length) {
    lines.push('');
    lines.push('warnings:');
    for (const w of rel.warnings) lines.push(`  ${w.severity === 'info' ? '-' : '⚠'} ${w.code} (${w.severity}): ${w.message}`);
  } else if (!rel) lines.push('(no reliability read-out: measured by an older version)');
  lines.push('');
  lines.push(`time: ${Object.entries(r.timingsMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`).join(', ')}`);
  return lines.join('\n');
}

type Correlations = ReturnType<typeof studyCorrelations>;

/** The readable table `redundancy-lab study` prints (CSV with --csv or --out). */
export function formatStudyTable(rows: StudyRow[], correlations: Correlations, warnings: { code: string; message: string }[], splitSeed: number): string {
  const split = rows.some((r) => r.splits);
  const header = ['model', 'N', 'D', 'dead', 'AAC', 'LR', ...(split ? ['LR over splits [95% CI]'] : []), 'NLR', 'NLR − LR', 'RankMe', 'accuracy', 'warnings'];
  const body = rows.map((r) => [
    r.file,
    count(r.n),
    count(r.d),
    count(r.deadDims),
    num(r.aac),
    num(r.lr),
    ...(split ? [r.lrSplitCi95 ? `${num(r.lrSplitMean)} [${num(r.lrSplitCi95[0])}, ${num(r.lrSplitCi95[1])}]` : '—'] : []),
    num(r.nlr),
    num(r.nlrMinusLr),
    num(r.rankMe, 1),
    r.accuracy === null ? '—' : `${(100 * r.accuracy).toFixed(1)}%`,
    r.warnings.length ? `⚠ ${r.warnings.join(' ')}` : '',
  ]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((b) => b[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  const lines = [line(header), line(widths.map((w) => '─'.repeat(w))), ...body.map(line), ''];
  const c = correlations.vsAccuracy;
  const fmt = (m: keyof typeof c) => (c[m].meaningful ? `r = ${c[m].pearson?.toFixed(2)}, ρ = ${c[m].spearman?.toFixed(2)}, 95% CI [${c[m].pearsonCi95?.map((x) => x.toFixed(2)).join(', ')}]` : c[m].note);
  lines.push(`vs probe accuracy:  AAC ${fmt('aac')}`, `                    LR ${fmt('lr')}`, `                    NLR ${fmt('nlr')}`);
  if (rows.some((r) => r.warnings.length)) lines.push('⚠ codes: what each means and what to do — README, "Reading a result"; redundancy-lab measure FILE prints the details.');
  lines.push(`LR and NLR are the seed-${splitSeed} split${splitSeed === 0 ? ' (the authors’)' : ''}; NLR − LR on the NLR dims.${split ? ' “over splits”: the mean over re-drawn splits and its 95% interval.' : ''}`);
  for (const w of warnings) lines.push(`⚠ ${w.code}: ${w.message}`);
  return lines.join('\n');
}
