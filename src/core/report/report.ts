/**
 * A static HTML report of a run (one or more measured files) and, optionally, of a study: one self-contained file
 * — inline CSS, charts as inline SVG (svg.ts), no script, no external reference, a Content-Security-Policy that
 * forbids loading anything — that opens offline and can go into a paper's supplement. The app's "Report (HTML)"
 * button and the CLI's `--report FILE.html` both call `reportHtml`.
 *
 * Over 350 lines on purpose: it is the one template of one document, read top to bottom in page order; the
 * generic parts (escaping, number format, SVG charts) already live in html.ts, format.ts and svg.ts.
 *
 * Every string from a result (file names, messages, backend details) goes through `html` (escaped). Values are
 * shown with `reportNumber` (4 decimals, as the CLI's table) and carried at full precision in `data-value`.
 */
import { bothAtNull, lrVsNlrCaption } from '../measures/reliability.ts';
import { trainingSummary } from '../measures/mlpTraining.ts';
import type { MeasureResult, NlrDimSelection, ReliabilityWarning } from '../measures/types.ts';
import { PRESETS, presetOf } from '../presets.ts';
import { leastSquaresLine } from '../study/modelCorrelation.ts';
import { STUDY_MEASURES, type StudyCorrelations, type StudyMeasure, type StudyRow } from '../study/studyTable.ts';
import { VERSION } from '../version.ts';
import { reportInteger, reportNumber } from './format.ts';
import { attr, html, raw, type Html } from './html.ts';
import { histogramSvg, scatterSvg } from './svg.ts';

export interface ReportFile {
  /** the name shown (the app's file or set name; the CLI's file name) */
  name: string;
  result: MeasureResult;
  /** how the settings were chosen, e.g. "quick (Quick), edited by --measures"; default: the preset they equal, or "custom" */
  preset?: string;
}

export interface ReportStudy {
  rows: StudyRow[];
  correlations: StudyCorrelations;
  /** studyWarnings(rows): split-ci-wide … */
  warnings: { code: string; message: string; files: string[] }[];
}

export interface ReportInput {
  files: ReportFile[];
  /** shown when it has at least 2 models */
  study?: ReportStudy | null;
  /** when the report was made */
  generatedAt: Date | string;
  /** what made it, e.g. "the app (Chromium …)" or "the command line" */
  generator?: string;
  title?: string;
}

const COLOURS = { aac: '#0072B2', lr: '#E69F00', nlr: '#009E73', nlrMinusLr: '#CC79A7', rankMe: '#56B4E9' } as const;
const STUDY_LABEL: Record<StudyMeasure, string> = { aac: 'AAC', lr: 'LR', nlr: 'NLR', nlrMinusLr: 'NLR − LR', rankMe: 'RankMe' };

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1a1f24; background: #fff; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; word-break: break-all; }
p { margin: 6px 0; }
.muted, .caption { color: #59636e; }
.caption { font-size: 12.5px; max-width: 540px; }
caption { text-align: left; color: #59636e; font-size: 13px; padding: 2px 0 4px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 3px 7px; text-align: left; vertical-align: top; }
thead th { background: #f3f5f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.warned { background: #fff8e1; }
.warn { color: #9a6700; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
figure { margin: 0; max-width: 540px; }
svg.chart { width: 100%; max-width: 540px; height: auto; display: block; }
svg .plot-bg { fill: #fff; }
svg .grid { stroke: #e6e9ec; stroke-width: 1; }
svg .axis, svg .tick-mark { stroke: #8b949e; stroke-width: 1; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #1a1f24; }
svg .tick, svg .legend, svg .point-label { fill: #59636e; }
svg .point-label { font-size: 10px; }
svg .axis-title { font-size: 12px; }
svg .bar { stroke: #fff; stroke-width: 0.5; }
svg .bar.under { opacity: 0.55; }
svg .band { fill: #8b949e; opacity: 0.25; }
svg .marker { stroke: #1a1f24; stroke-width: 1.5; }
svg .marker.dash { stroke-dasharray: 5 3; }
svg .marker.dot { stroke-dasharray: 1.5 2.5; }
svg .marker.diagonal { stroke: #8b949e; stroke-width: 1; }
svg .marker.line { stroke: #8b949e; stroke-width: 1; stroke-dasharray: 2 2; }
svg .point { fill-opacity: 0.75; }
footer { margin-top: 32px; font-size: 12px; color: #59636e; }
@media print { main { max-width: none; padding: 0; } .scroll { overflow: visible; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
`;

/** Content-Security-Policy of the report: it may load nothing at all, run nothing, and only style itself. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const dash = '—';

function isoDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? String(d) : date.toISOString();
}

/** A number cell: shown at the report's precision, full precision in data-value; ⚠ and the messages when warned. */
function numCell(file: string, measure: string, v: number | null | undefined, warnings: readonly ReliabilityWarning[] = [], digits = 4): Html {
  const warned = warnings.length > 0;
  const title = warned ? warnings.map((w) => `⚠ ${w.code}: ${w.message}`).join('\n') : v === null || v === undefined ? null : String(v);
  return html`<td class="${warned ? 'num warned' : 'num'}" data-file="${file}" data-measure="${measure}" data-value="${v ?? ''}"${attr('data-warning', warned ? warnings.map((w) => w.code).join(' ') : null)}${attr('title', title)}>${warned ? html`<span class="warn" aria-label="warning">⚠ </span>` : ''}${reportNumber(v, digits)}</td>`;
}

/** The number of redundancy groups, with the share of dims in them (null in older results: a dash). */
function groupsCell(file: string, r: MeasureResult): Html {
  const g = r.extras.redundancyGroups;
  if (!g) return html`<td class="num" data-file="${file}" data-measure="redundancyGroups" data-value="">${dash}</td>`;
  const title = `${g.dimsInGroups} of ${r.d} dims in groups of mean |r| ≥ ${reportNumber(g.threshold, 3)}`;
  return html`<td class="num" data-file="${file}" data-measure="redundancyGroups" data-value="${g.count}" title="${title}">${reportInteger(g.count)} <span class="muted">(${(100 * g.shareOfDims).toFixed(0)}%)</span></td>`;
}

function cellWarnings(r: MeasureResult, key: string): ReliabilityWarning[] {
  // only warnings mark a cell; context (severity 'info') is in the warnings table, once per file
  return r.reliability?.warnings.filter((w) => w.measures.includes(key) && w.severity !== 'info') ?? [];
}

function describeNlrDims(s: NlrDimSelection): string {
  switch (s.kind) {
    case 'all':
      return 'all';
    case 'fraction':
      return `a seeded ${(100 * s.fraction).toPrecision(3).replace(/\.?0+$/, '')}%`;
    case 'count':
      return `${s.count} seeded`;
    case 'list':
      return s.dims.length <= 12 ? s.dims.join(', ') : `${s.dims.length} listed`;
  }
}

function presetText(f: ReportFile): string {
  if (f.preset) return f.preset;
  const name = presetOf(f.result.settings);
  return name ? `${name} (${PRESETS[name].label})` : 'custom settings';
}

function partialNote(r: MeasureResult): string | null {
  if (!r.cancelled) return null;
  return r.cancelled.during === 'nlr' && r.nlr ? `partial: cancelled during NLR (NLR on ${r.nlr.evaluatedDims.length} of ${r.nlr.plannedDims ?? '?'} dims)` : `partial: cancelled during the ${r.cancelled.during === 'null' ? 'null baseline' : r.cancelled.during}`;
}

// ---------------------------------------------------------------- the run's tables

function resultsTable(files: ReportFile[]): Html {
  const rows = files.map(({ name, result: r }) => {
    const codes = r.reliability ? r.reliability.warnings.map((w) => w.code) : null;
    const note = partialNote(r);
    return html`<tr data-file="${name}">
<th scope="row">${name}${r.array ? html` <span class="muted">[${r.array}]</span>` : ''}</th>
<td class="num" data-measure="n" data-value="${r.n}">${reportInteger(r.n)}</td>
<td class="num" data-measure="d" data-value="${r.d}">${reportInteger(r.d)}</td>
<td class="num" data-measure="dead" data-value="${r.deadDims.length}">${reportInteger(r.deadDims.length)}${r.splitDegenerateDims.length ? html` <span class="muted" title="split-degenerate dims">+${r.splitDegenerateDims.length}</span>` : ''}</td>
${numCell(name, 'aac', r.aac?.value, cellWarnings(r, 'aac'))}
${numCell(name, 'lr', r.lr?.value, cellWarnings(r, 'lr'))}
${numCell(name, 'lrNull', r.reliability?.lrNull)}
${numCell(name, 'lrAdjusted', r.reliability?.lrAdjusted)}
${numCell(name, 'nlr', r.nlr?.value, cellWarnings(r, 'nlr'))}
${numCell(name, 'nlrMinusLr', r.nlr?.minusLr, cellWarnings(r, 'nlrMinusLr'))}
${numCell(name, 'rankMe', r.extras.rankMe, [], 1)}
${numCell(name, 'alphaReq', r.extras.alphaReq, [], 3)}
<td>${codes === null ? html`<span class="muted">not assessed (measured by an older version)</span>` : codes.length ? html`<span class="warn">⚠ ${codes.join(' ')}</span>` : 'none'}${note ? html` <span class="muted">${note}</span>` : ''}</td>
</tr>
`;
  });
  return html`<div class="scroll"><table data-report="results">
<thead><tr><th scope="col">File</th><th scope="col" class="num">N</th><th scope="col" class="num">D</th><th scope="col" class="num" title="dead dims (+ split-degenerate), excluded from every measure">Dead</th><th scope="col" class="num">AAC</th><th scope="col" class="num">LR</th><th scope="col" class="num">LR null</th><th scope="col" class="num">LR adj.</th><th scope="col" class="num">NLR</th><th scope="col" class="num" title="NLR minus the LR of the same dims">NLR − LR (NLR dims)</th><th scope="col" class="num">RankMe</th><th scope="col" class="num" title="power-law decay of the covariance eigenvalues, ranks 6–100 (reptrix)">α-ReQ</th><th scope="col">Warnings</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

/** Two tables (the null baseline; NLR and the in-sample extras), so that each fits a 1200 px page. */
function reliabilityTables(files: ReportFile[]): Html {
  const band = (b: [number, number] | null | undefined) => (b ? `[${reportNumber(b[0])}, ${reportNumber(b[1])}]` : dash);
  const nullRows = files.map(({ name, result: r }) => {
    const rel = r.reliability;
    return html`<tr data-file="${name}">
<th scope="row">${name}</th>
<td class="num">${reportInteger(r.nTrain)} / ${reportInteger(r.nTest)}</td>
<td class="num" data-measure="dOverNTrain" data-value="${rel?.dOverNTrain ?? ''}">${reportNumber(rel?.dOverNTrain, 3)}</td>
<td class="num">${band(rel?.lrNullBand)}${rel?.lrNullDimCount ? html` <span class="muted">(${reportInteger(rel.lrNullDimCount)} dims)</span>` : ''}</td>
${numCell(name, 'lrMedian', rel?.lrMedian)}
<td class="num">${rel ? reportInteger(rel.dimsBelowMinusOne) : dash}</td>
${numCell(name, 'nlrNull', rel?.nlrNull)}
<td class="num">${band(rel?.nlrNullBand)}${rel?.nlrNullDims.length ? html` <span class="muted">(${rel.nlrNullDims.length} dims)</span>` : ''}</td>
</tr>
`;
  });
  const nlrRows = files.map(({ name, result: r }) => {
    const nlrDims = r.nlr ? `${r.nlr.evaluatedDims.length}${r.nlr.plannedDims !== undefined ? ` of ${r.nlr.plannedDims}` : ''}` : dash;
    return html`<tr data-file="${name}">
<th scope="row">${name}</th>
${numCell(name, 'lrOnNlrDims', r.nlr?.lrOnNlrDims)}
<td class="num">${nlrDims}</td>
<td class="num">${r.nlr ? trainingSummary(r.nlr.training) : dash}</td>
${numCell(name, 'inSampleR2', r.extras.inSampleR2?.value)}
${numCell(name, 'gaussianTotalCorrelation', r.extras.gaussianTotalCorrelation, [], 2)}
${groupsCell(name, r)}
</tr>
`;
  });
  return html`<div class="scroll"><table data-report="reliability">
<caption>Null baseline: what the same pipeline reads on a column-permuted copy</caption>
<thead><tr><th scope="col">File</th><th scope="col" class="num">train / held-out rows</th><th scope="col" class="num">D / N_train</th><th scope="col" class="num">LR null band</th><th scope="col" class="num">LR median</th><th scope="col" class="num">dims R² &lt; −1</th><th scope="col" class="num">NLR null</th><th scope="col" class="num">NLR null band</th></tr></thead>
<tbody>
${nullRows}</tbody>
</table></div>
<div class="scroll"><table data-report="reliability-nlr">
<caption>NLR's dims and training; in-sample extras</caption>
<thead><tr><th scope="col">File</th><th scope="col" class="num">LR on NLR dims</th><th scope="col" class="num">NLR dims</th><th scope="col" class="num" title="from each MLP's learning curve on rows it did not train on">MLP training</th><th scope="col" class="num" title="OLS on all rows: optimistic, not the headline LR">in-sample R²</th><th scope="col" class="num">Gaussian TC (nats)</th><th scope="col" class="num" title="sets of ≥ 2 dims with mean |r| ≥ the cut (average linkage; docs/science.md): how many, and the share of dims in them">redundancy groups</th></tr></thead>
<tbody>
${nlrRows}</tbody>
</table></div>`;
}

function warningsTable(files: ReportFile[], study: ReportStudy | null): Html {
  const rows: Html[] = [];
  for (const { name, result: r } of files) {
    for (const w of r.reliability?.warnings ?? []) {
      rows.push(html`<tr data-file="${name}" data-warning="${w.code}"><th scope="row">${name}</th><td><code>${w.code}</code></td><td>${w.measures.join(', ')}</td><td>${w.message}</td></tr>
`);
    }
  }
  for (const w of study?.warnings ?? []) {
    rows.push(html`<tr data-file="${w.files.join(' ')}" data-warning="${w.code}"><th scope="row">${w.files.join(', ')} (study)</th><td><code>${w.code}</code></td><td>lr</td><td>${w.message}</td></tr>
`);
  }
  if (rows.length === 0) return html`<p data-report="warnings">No warnings.</p>`;
  return html`<div class="scroll"><table data-report="warnings">
<thead><tr><th scope="col">File</th><th scope="col">Code</th><th scope="col">Concerns</th><th scope="col">Message</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>
<p class="muted">What each code means and what to do: Redundancy Lab's README, “Reading a result”. Do not report a measure flagged <code>lr-at-null</code> / <code>nlr-at-null</code> as redundancy.</p>`;
}

function settingsTable(files: ReportFile[]): Html {
  const rows = files.map((f) => {
    const r = f.result;
    const s = r.settings;
    const m = s.mlp;
    const b = r.backend;
    const total = r.timingsMs.total ?? Object.values(r.timingsMs).reduce((a, v) => a + v, 0);
    return html`<tr data-file="${f.name}">
<th scope="row">${f.name}</th>
<td data-setting="preset">${presetText(f)}</td>
<td data-setting="protocol">${s.protocol ?? 'corrected'}</td>
<td class="num" data-setting="split-seed">${s.splitSeed}${s.splitSeed === 0 ? ' (the authors’)' : ''}</td>
<td class="num">${reportNumber(100 * s.testFraction, 0)}%</td>
<td>${s.measures.join(', ')}</td>
<td>${describeNlrDims(s.nlrDims)} <span class="muted">(seed ${s.nlrDimSeed})</span></td>
<td>${m.hidden.join('→')}→1, ${m.epochs} epochs ${m.optimizer.toUpperCase()} lr ${m.learningRate}, batch ${m.batchSize}, seed ${m.seed}${s.nlrRowCap !== null ? `, ≤ ${reportInteger(s.nlrRowCap)} rows` : ''}</td>
<td>${s.ridgeAlphas.join(', ')}</td>
<td data-setting="backend">${b.name}${b.detail ? ` (${b.detail})` : ''}${b.float64Kernel ? html`; float64 kernel <code>${b.float64Kernel}</code>, ${b.float64Threads ?? 1} thread${(b.float64Threads ?? 1) === 1 ? '' : 's'}` : ''}</td>
<td data-setting="version">${r.version}</td>
<td class="num">${reportNumber(total / 1000, 2)} s</td>
</tr>
`;
  });
  return html`<div class="scroll"><table data-report="settings">
<thead><tr><th scope="col">File</th><th scope="col">Preset</th><th scope="col">Protocol</th><th scope="col" class="num">Split seed</th><th scope="col" class="num">Held out</th><th scope="col">Measures</th><th scope="col">NLR dims</th><th scope="col">NLR MLP</th><th scope="col">Ridge α grid</th><th scope="col">Backend</th><th scope="col">Version</th><th scope="col" class="num">Time</th></tr></thead>
<tbody>
${rows}</tbody>
</table></div>`;
}

// ---------------------------------------------------------------- per-file charts

/** What the LR-vs-NLR scatter may say: never "non-linear redundancy" where the measures read as noise (docs/science.md). */
export function lrVsNlrReading(r: MeasureResult): string {
  return lrVsNlrCaption(r.reliability);
}

function figure(svg: Html, caption: string): Html {
  return html`<figure>${svg}<figcaption class="caption">${caption}</figcaption></figure>
`;
}

/**
 * Where a per-dim chart stops its axis: R² below −1 goes into one bar (a far outlier must not squash the axis),
 * unless the null band or the mean lie lower (noise at high D/N reads below −1): then at the next half below them.
 */
function clipFor(band: [number, number] | null | undefined, markers: number[]): number {
  const low = Math.min(-1, band?.[0] ?? -1, ...markers.filter(Number.isFinite));
  return Math.floor(2 * low) / 2;
}

function fileCharts(f: ReportFile): Html {
  const r = f.result;
  const rel = r.reliability;
  const figs: Html[] = [];
  const values = (perDim: (number | null)[]) => perDim.filter((v): v is number => v !== null);
  const fileAttr = html` data-file="${f.name}"`;
  if (r.lr) {
    const v = values(r.lr.perDim);
    const markers = [{ value: r.lr.value, label: 'mean (LR)', style: 'dash' as const }, ...(rel?.lrMedian != null ? [{ value: rel.lrMedian, label: 'median', style: 'dot' as const }] : [])];
    const clip = clipFor(rel?.lrNullBand, markers.map((m) => m.value));
    const below = v.filter((x) => x < clip).length;
    figs.push(
      figure(
        histogramSvg({ id: 'lr-histogram', title: `LR: held-out R² per dimension, ${f.name}`, xLabel: 'held-out R² (ridge)', values: v, band: rel?.lrNullBand, bandLabel: 'null band', markers, clipBelow: clip, colour: COLOURS.lr, attrs: fileAttr }),
        `LR per dimension: ${v.length} dims, each predicted by ridge regression from all other dims (RidgeCV α per dim); dashed: the mean, LR = ${reportNumber(r.lr.value)}${rel?.lrMedian != null ? `; dotted: the median, ${reportNumber(rel.lrMedian)}` : ''}.${rel?.lrNullBand ? ` Grey: the null band [${reportNumber(rel.lrNullBand[0])}, ${reportNumber(rel.lrNullBand[1])}] around LR_null = ${reportNumber(rel.lrNull)} (this file's columns permuted independently, same pipeline).` : ''}${below ? ` ${below} dims below ${clip} are counted in the bar at the left.` : ''}`,
      ),
    );
  }
  if (r.nlr) {
    const v = values(r.nlr.perDim);
    const clip = clipFor(rel?.nlrNullBand, [r.nlr.value]);
    const below = v.filter((x) => x < clip).length;
    figs.push(
      figure(
        histogramSvg({ id: 'nlr-histogram', title: `NLR: held-out R² per dimension, ${f.name}`, xLabel: 'held-out R² (MLP)', values: v, band: rel?.nlrNullBand, bandLabel: 'null band', markers: [{ value: r.nlr.value, label: 'mean (NLR)', style: 'dash' }], clipBelow: clip, colour: COLOURS.nlr, attrs: fileAttr }),
        `NLR per dimension: ${v.length} dims, each predicted by an MLP from all other dims; dashed: the mean, NLR = ${reportNumber(r.nlr.value)}; MLPs: ${trainingSummary(r.nlr.training)}.${rel?.nlrNullBand ? ` Grey: the null band [${reportNumber(rel.nlrNullBand[0])}, ${reportNumber(rel.nlrNullBand[1])}] around NLR_null = ${reportNumber(rel.nlrNull)} (${rel.nlrNullDims.length} dims of column-permuted data).` : ''}${below ? ` ${below} dims below ${clip} are counted in the bar at the left.` : ''}`,
      ),
    );
  }
  if (r.lr && r.nlr) {
    const points = r.nlr.perDim.flatMap((n, dim) => (n === null || r.lr!.perDim[dim] === null ? [] : [{ x: r.lr!.perDim[dim]!, y: n, label: `dim ${dim}` }]));
    const clipped = points.filter((p) => p.x < -1 || p.y < -1).length;
    figs.push(
      figure(
        scatterSvg({ id: 'lr-vs-nlr', title: `LR vs NLR per dimension, ${f.name}`, xLabel: 'LR R² (ridge)', yLabel: 'NLR R² (MLP)', points, diagonal: true, clipBelow: -1, colour: COLOURS.nlrMinusLr, attrs: fileAttr }),
        `LR vs NLR per dimension: ${points.length} dims where both were evaluated; dashed: y = x. NLR − LR on the NLR dims = ${reportNumber(r.nlr.minusLr)} (NLR ${reportNumber(r.nlr.value)} − LR ${reportNumber(r.nlr.lrOnNlrDims)} over the same dims).${clipped ? ` ${clipped} dims with an R² below −1 are drawn hollow at −1.` : ''} ${lrVsNlrReading(r)}`,
      ),
    );
  }
  const note = partialNote(r);
  return html`<section class="file" data-file="${f.name}">
<h3>${f.name}${r.array ? html` <span class="muted">[${r.array}]</span>` : ''}</h3>
<p class="muted">${reportInteger(r.n)} samples × ${reportInteger(r.d)} dims; ${reportInteger(r.deadDims.length)} dead, ${reportInteger(r.splitDegenerateDims.length)} split-degenerate; split ${reportInteger(r.nTrain)} train / ${reportInteger(r.nTest)} held-out (seed ${r.settings.splitSeed}).${note ? ` ${note}.` : ''}</p>
${figs.length ? html`<div class="charts">${figs}</div>` : html`<p class="muted">No per-dimension chart: neither LR nor NLR was measured.</p>`}
</section>
`;
}

// ---------------------------------------------------------------- the study

function describeCorrelation(c: StudyCorrelations['aacVsLr']): string {
  if (!c.meaningful) return `not meaningful: ${c.note ?? `only ${c.n} models`}`;
  const ci = c.pearsonCi95 ? `, 95% bootstrap CI [${c.pearsonCi95[0].toFixed(2)}, ${c.pearsonCi95[1].toFixed(2)}]` : '';
  return `Pearson r = ${c.pearson?.toFixed(3) ?? 'undefined'}${ci}; Spearman ρ = ${c.spearman?.toFixed(3) ?? 'undefined'}; ${c.n} models`;
}

function studySection(study: ReportStudy, splitSeed: number | null): Html {
  const rows = study.rows;
  const splits = rows.some((r) => r.splits !== null);
  const tagName = rows.find((r) => r.tagName)?.tagName ?? 'tag';
  const wide = new Set(study.warnings.flatMap((w) => (w.code === 'split-ci-wide' ? w.files : [])));
  const ci = (mean: number | null, v: [number, number] | null) => (v ? `${reportNumber(mean)} [${reportNumber(v[0])}, ${reportNumber(v[1])}]` : dash);
  // the spread over dims, named so: it is not an uncertainty (the split interval is)
  const sd = (v: number | null) => (v === null ? '' : html` <span class="muted">(sd ${reportNumber(v)})</span>`);
  const body = rows.map(
    (r) => html`<tr data-file="${r.file}">
<th scope="row">${r.file}</th>
<td class="num">${r.tag ?? dash}</td>
<td class="num">${reportInteger(r.n)}</td>
<td class="num">${reportInteger(r.d)}</td>
<td class="num" data-measure="study-aac" data-value="${r.aac ?? ''}">${reportNumber(r.aac)}</td>
<td class="num" data-measure="study-lr" data-value="${r.lr ?? ''}">${reportNumber(r.lr)}${sd(r.lrStd)}</td>
${splits ? html`<td class="${wide.has(r.file) ? 'num warned' : 'num'}" data-measure="lr-split-ci"${attr('data-warning', wide.has(r.file) ? 'split-ci-wide' : null)}>${wide.has(r.file) ? html`<span class="warn">⚠ </span>` : ''}${ci(r.lrSplitMean, r.lrSplitCi95)}</td>` : ''}
<td class="num" data-measure="study-nlr" data-value="${r.nlr ?? ''}">${reportNumber(r.nlr)}${sd(r.nlrStd)}</td>
${splits ? html`<td class="num" data-measure="nlr-split-ci">${ci(r.nlrSplitMean, r.nlrSplitCi95)}</td>` : ''}
<td class="num" data-measure="study-nlr-minus-lr" data-value="${r.nlrMinusLr ?? ''}">${reportNumber(r.nlrMinusLr)}</td>
<td class="num" data-measure="study-rankme" data-value="${r.rankMe ?? ''}">${reportNumber(r.rankMe, 1)}</td>
<td class="num" data-measure="accuracy" data-value="${r.accuracy ?? ''}">${r.accuracy === null ? dash : `${(100 * r.accuracy).toFixed(1)}%`}${r.accuracySource ? html` <span class="muted">(${r.accuracySource === 'user' ? 'typed' : 'probe'})</span>` : ''}</td>
<td>${r.warnings.length ? html`<span class="warn">⚠ ${r.warnings.join(' ')}</span>` : ''}</td>
</tr>
`,
  );
  const corrRows = STUDY_MEASURES.map(
    (m) => html`<tr data-measure="${m}"><th scope="row">${STUDY_LABEL[m]}</th><td>${describeCorrelation(study.correlations.vsAccuracy[m])}</td><td>${describeCorrelation(study.correlations.vsTag[m])}</td></tr>
`,
  );
  const scatters = STUDY_MEASURES.flatMap((m) => {
    const pts = rows.filter((r) => r[m] !== null && r.accuracy !== null).map((r) => ({ x: r[m]!, y: 100 * r.accuracy!, label: r.file.replace(/\.[a-z0-9]+$/i, '') }));
    if (pts.length === 0) return [];
    const c = study.correlations.vsAccuracy[m];
    const line = c.meaningful ? leastSquaresLine(pts.map((p) => p.x), pts.map((p) => p.y)) : null;
    return [
      figure(
        scatterSvg({ id: `${m}-vs-accuracy`, title: `${STUDY_LABEL[m]} vs accuracy across models`, xLabel: STUDY_LABEL[m], yLabel: 'accuracy (%)', points: pts, line, showLabels: true, colour: COLOURS[m] }),
        `${STUDY_LABEL[m]} vs held-out accuracy, one point per model: ${describeCorrelation(c)}.`,
      ),
    ];
  });
  return html`<section id="study" data-report="study">
<h2>Study: ${rows.length} models</h2>
<div class="scroll"><table data-report="study-table">
<thead><tr><th scope="col">Model</th><th scope="col" class="num">${tagName}</th><th scope="col" class="num">N</th><th scope="col" class="num">D</th><th scope="col" class="num">AAC</th><th scope="col" class="num" title="mean LR; beside it the standard deviation over dims, not an uncertainty">LR (sd over dims)</th>${splits ? html`<th scope="col" class="num">LR over splits [95% CI]</th>` : ''}<th scope="col" class="num">NLR (sd over dims)</th>${splits ? html`<th scope="col" class="num">NLR over splits [95% CI]</th>` : ''}<th scope="col" class="num">NLR − LR (NLR dims)</th><th scope="col" class="num">RankMe</th><th scope="col" class="num">Accuracy</th><th scope="col">Warnings</th></tr></thead>
<tbody>
${body}</tbody>
</table></div>
<p class="muted">LR and NLR are the ${splitSeed === null ? 'headline' : `seed-${splitSeed}`} split${splitSeed === 0 ? ' (the authors’)' : ''}${splits ? '; “over splits”: the mean over re-drawn train/held-out splits and its 95% interval' : ''}. Accuracy: held-out top-1 of a linear probe (softmax regression on the standardised embedding, same 75/25 split as LR), or a value typed in by the user (marked “typed”).</p>
<h3>Correlations across models</h3>
<div class="scroll"><table data-report="correlations">
<thead><tr><th scope="col">Measure</th><th scope="col">vs accuracy</th><th scope="col">vs ${tagName}</th></tr></thead>
<tbody>
${corrRows}<tr data-measure="aac-vs-lr"><th scope="row">AAC vs LR</th><td colspan="2">${describeCorrelation(study.correlations.aacVsLr)}</td></tr>
<tr data-measure="lr-vs-nlr"><th scope="row">LR vs NLR</th><td colspan="2">${describeCorrelation(study.correlations.lrVsNlr)}</td></tr>
</tbody>
</table></div>
${scatters.length ? html`<div class="charts">${scatters}</div>` : html`<p class="muted">No measure-vs-accuracy chart: no model has an accuracy (labels for the probe, or a typed value).</p>`}
</section>
`;
}

// ---------------------------------------------------------------- the document

export function reportHtml(input: ReportInput): string {
  const files = input.files;
  const study = input.study && input.study.rows.length >= 2 ? input.study : null;
  const when = isoDate(input.generatedAt);
  const title = input.title ?? `Redundancy Lab report: ${files.length === 1 ? files[0].name : `${files.length} files`}`;
  const versions = [...new Set(files.map((f) => f.result.version))];
  const backends = [...new Set(files.map((f) => f.result.backend.name))];
  const doc = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="Redundancy Lab ${VERSION}" />
<title>${title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<main>
<header>
<h1>${title}</h1>
<p class="meta">Generated <time datetime="${when}" data-report="date">${when.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC')}</time> by Redundancy Lab ${VERSION}${input.generator ? ` (${input.generator})` : ''}. Results measured with version ${versions.join(', ') || dash} on ${backends.join(', ') || dash}. ${files.length} file${files.length === 1 ? '' : 's'}${study ? `; a study of ${study.rows.length} models` : ''}.</p>
<p class="muted">AAC: mean absolute Pearson correlation over pairs of live dims. LR: held-out ridge R² of each dim from all the others (75/25 split, α per dim as scikit-learn’s RidgeCV), mean over all usable dims. NLR: the same with an MLP. All after z-scoring each dim; as defined by Zollikofer et al., “Beyond Pairwise Correlations: Higher-Order Redundancies in Self-Supervised Representation Learning”, arXiv 2412.01926. LR null: the same pipeline on a copy whose columns are permuted independently (pure noise at this N and D); LR adj.: adjusted in-sample R² (population estimate); NLR − LR is taken on the NLR dims, with the LR of those dims. α-ReQ: the weighted least-squares slope of log covariance eigenvalue on −log rank over ranks 6–100, weights 1/rank (reptrix’s convention). Values: 4 decimals (RankMe 1, α-ReQ 3); full precision in each cell’s data-value.</p>
</header>
<section id="results">
<h2>Results</h2>
${resultsTable(files)}
<h3>Reliability</h3>
${reliabilityTables(files)}
</section>
<section id="warnings">
<h2>Warnings</h2>
${warningsTable(files, study)}
</section>
<section id="settings">
<h2>Settings, backend and versions</h2>
${settingsTable(files)}
</section>
${study ? studySection(study, files[0]?.result.settings.splitSeed ?? null) : ''}
<section id="charts">
<h2>Per-dimension charts</h2>
${files.map(fileCharts)}
</section>
<footer>Redundancy Lab ${VERSION}. A static, self-contained page: no script, nothing loaded from anywhere; it opens offline.</footer>
</main>
</body>
</html>
`;
  return doc.text;
}
