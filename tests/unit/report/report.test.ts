/**
 * The static HTML report (core/report): well-formed (polyglot HTML, so an XML check applies, SVG included), every
 * file, every headline value at the precision shown, every warning message, the settings, versions, backend and
 * date; everything escaped; nothing that loads or runs (no script, no URL, no src/href).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { QUICK_SETTINGS } from '../../../src/core/presets.ts';
import type { MeasureResult, MeasureSettings } from '../../../src/core/measures/types.ts';
import { studyCorrelations, studyRow, studyWarnings, type StudyRow } from '../../../src/core/study/studyTable.ts';
import { escapeHtml, reportHtml, reportNumber, type ReportFile, type ReportInput } from '../../../src/core/index.ts';
import { VERSION } from '../../../src/core/version.ts';
import { correlatedGaussian, makeMatrix } from '../helpers/synthetic.ts';
import { useTestBackend } from '../helpers/backend.ts';
import { wellFormed } from './wellFormed.ts';

const SETTINGS: MeasureSettings = { ...QUICK_SETTINGS, nlrDims: { kind: 'count', count: 4 }, mlp: { ...QUICK_SETTINGS.mlp, epochs: 3 } };
const HOSTILE = `a<b>&"c'<script>alert(1)</script>.npy`;
const WHEN = '2025-03-04T05:06:07.000Z';

let noise: MeasureResult; // 50 × 30 noise: high D/N, at the null, outlier dims, MLPs not converged
let structured: MeasureResult; // 600 × 8 correlated: few or no warnings
let hostile: MeasureResult; // a copy with a name and a message that must be escaped

beforeAll(async () => {
  const backend = await useTestBackend();
  noise = await measureArray(inMemoryArray(makeMatrix(50, 30, 3)), 'noise.npy', SETTINGS, { backend });
  structured = await measureArray(inMemoryArray(correlatedGaussian(600, 8, 5, 1.2)), 'structured.npy', SETTINGS, { backend });
  hostile = {
    ...structured,
    file: HOSTILE,
    array: `arr<&>`,
    reliability: {
      ...structured.reliability!,
      warnings: [...structured.reliability!.warnings, { code: 'outlier-dims', severity: 'warning', measures: ['lr'], message: `crafted <script>alert("x")</script> & 'quoted' — ${HOSTILE}` }],
    },
  };
}, 120_000);

const files = (): ReportFile[] => [
  { name: 'noise.npy', result: noise },
  { name: 'structured.npy', result: structured, preset: 'quick (Quick), edited by --nlr-dims --epochs' },
  { name: HOSTILE, result: hostile },
];

function report(extra: Partial<ReportInput> = {}): string {
  return reportHtml({ files: files(), generatedAt: WHEN, generator: 'unit test', ...extra });
}

/** The cell `data-file=… data-measure=…` of the results table: its data-value and its shown text (tags stripped). */
function cell(doc: string, file: string, measure: string): { value: string; text: string } {
  const re = new RegExp(`<td [^>]*data-file="${escapeRe(escapeHtml(file))}" data-measure="${measure}" data-value="([^"]*)"[^>]*>(.*?)</td>`);
  const m = re.exec(doc);
  if (!m) throw new Error(`no ${measure} cell for ${file}`);
  return { value: m[1], text: m[2].replace(/<[^>]*>/g, '').replace('⚠', '').trim() };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('reportHtml: a run', () => {
  it('the measured results carry the warnings the test needs', () => {
    const codes = new Set(noise.reliability!.warnings.map((w) => w.code));
    expect([...codes].sort()).toEqual(expect.arrayContaining(['high-d-over-n', 'outlier-dims']));
    expect(noise.nlr!.evaluatedDims).toHaveLength(4);
    expect(structured.nlr!.minusLr).not.toBeNull();
  });

  it('is well-formed: elements nest and close, attributes quoted, entities valid (the SVG too)', () => {
    const doc = report();
    expect(doc.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const counts = wellFormed(doc);
    // per file: LR and NLR histograms and the LR-vs-NLR scatter
    expect(counts.get('svg')).toBe(3 * 3);
    expect(doc.match(/<svg\b/g)).toHaveLength(doc.match(/<\/svg>/g)!.length);
    expect(counts.get('html')).toBe(1);
    expect(counts.get('table')).toBe(5); // results, reliability (null baseline; NLR and in-sample), warnings, settings
    for (const id of ['lr-histogram', 'nlr-histogram', 'lr-vs-nlr']) expect(doc.match(new RegExp(`data-chart="${id}"`, 'g'))).toHaveLength(3);
  });

  it('loads and runs nothing: no script, no URL, no src/href, a CSP that forbids everything but inline style', () => {
    const doc = report();
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toMatch(/https?:\/\//i);
    expect(doc).not.toMatch(/\s(src|href|xlink:href|action|srcset)=/i);
    expect(doc).not.toMatch(/url\(|@import/i);
    expect(doc).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;/);
  });

  it('names every file and shows every headline value at the precision shown (full precision in data-value)', () => {
    const doc = report();
    for (const f of files()) {
      const r = f.result;
      expect(doc).toContain(`<tr data-file="${escapeHtml(f.name)}">`);
      const expected: [string, number | null | undefined][] = [
        ['aac', r.aac?.value],
        ['lr', r.lr?.value],
        ['lrNull', r.reliability?.lrNull],
        ['lrAdjusted', r.reliability?.lrAdjusted],
        ['nlr', r.nlr?.value],
        ['nlrMinusLr', r.nlr?.minusLr],
        ['lrOnNlrDims', r.nlr?.lrOnNlrDims],
      ];
      for (const [measure, v] of expected) {
        const c = cell(doc, f.name, measure);
        expect(c.text, `${f.name} ${measure}`).toBe(reportNumber(v));
        expect(c.value, `${f.name} ${measure}`).toBe(v === null || v === undefined ? '' : String(v));
        if (v !== null && v !== undefined) expect(c.text).toMatch(/^-?\d+\.\d{4}$/);
      }
      // the redundancy groups: their number, with the share of dims in them
      const g = r.extras.redundancyGroups!;
      expect(cell(doc, f.name, 'redundancyGroups')).toEqual({ value: String(g.count), text: `${g.count} (${(100 * g.shareOfDims).toFixed(0)}%)` });
      // NLR − LR is NLR minus the LR of the same dims
      expect(r.nlr!.minusLr).toBeCloseTo(r.nlr!.value - r.nlr!.lrOnNlrDims!, 12);
    }
    expect(reportNumber(0.123456)).toBe('0.1235');
    expect(reportNumber(null)).toBe('—');
  });

  it('lists every warning (code and message) and marks the warned cells', () => {
    const doc = report();
    let n = 0;
    for (const f of files()) {
      for (const w of f.result.reliability!.warnings) {
        expect(doc).toContain(`<tr data-file="${escapeHtml(f.name)}" data-warning="${w.code}"><th scope="row">${escapeHtml(f.name)}</th><td><code>${w.code}</code></td>`);
        expect(doc).toContain(escapeHtml(w.message));
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(3);
    expect(doc.match(/<tr data-file="[^"]*" data-warning=/g)).toHaveLength(n);
    // only severity 'warning' marks a cell; the D/N regime (info) is in the warnings table only
    const warnedLr = noise.reliability!.warnings.filter((w) => w.measures.includes('lr') && w.severity === 'warning').map((w) => w.code);
    expect(warnedLr).not.toContain('high-d-over-n');
    expect(warnedLr.length).toBeGreaterThan(0);
    expect(doc).toMatch(new RegExp(`data-file="noise.npy" data-measure="lr" data-value="[^"]*" data-warning="${warnedLr.join(' ')}"`));
  });

  it('shows the settings (preset, protocol, split seed), versions, backend and date', () => {
    const doc = report();
    expect(doc).toContain(`<time datetime="${WHEN}" data-report="date">2025-03-04 05:06:07 UTC</time>`);
    expect(doc).toContain(`by Redundancy Lab ${VERSION} (unit test)`);
    expect(doc).toContain('<td data-setting="preset">quick (Quick), edited by --nlr-dims --epochs</td>');
    expect(doc).toContain('<td data-setting="preset">custom settings</td>'); // SETTINGS differ from both presets
    expect(doc.match(/<td data-setting="protocol">corrected<\/td>/g)).toHaveLength(3);
    expect(doc.match(/<td class="num" data-setting="split-seed">0 \(the authors’\)<\/td>/g)).toHaveLength(3);
    expect(doc.match(new RegExp(`<td data-setting="version">${escapeRe(noise.version)}</td>`, 'g'))).toHaveLength(3);
    expect(doc).toContain(`<td data-setting="backend">wasm (${escapeHtml(noise.backend.detail)})`);
  });

  it('escapes every string from a result: a hostile file name and message appear only as text', () => {
    const doc = report();
    expect(doc).not.toContain('<script>alert(1)</script>');
    expect(doc).not.toContain('<b>');
    expect(doc).toContain(escapeHtml(HOSTILE));
    expect(doc).toContain('crafted &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(doc).toContain('[arr&lt;&amp;&gt;]');
    wellFormed(doc);
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
  });

  it('a partial (cancelled) result and one from an older version without a read-out are said to be so', () => {
    const partial: MeasureResult = { ...structured, cancelled: { during: 'nlr' }, nlr: { ...structured.nlr!, plannedDims: 9 } };
    const older: MeasureResult = { ...structured, reliability: null };
    const doc = reportHtml({ files: [{ name: 'partial.npy', result: partial }, { name: 'older.npy', result: older }], generatedAt: WHEN });
    wellFormed(doc);
    expect(doc).toContain('partial: cancelled during NLR (NLR on 4 of 9 dims)');
    expect(doc).toContain('not assessed (measured by an older version)');
    expect(cell(doc, 'older.npy', 'lrNull').text).toBe('—');
  });
});

describe('reportHtml: a study', () => {
  function studyOf(results: MeasureResult[], accuracies: (number | null)[]): { rows: StudyRow[] } & Pick<NonNullable<ReportInput['study']>, 'correlations' | 'warnings'> {
    const rows = results.map((r, i) => ({ ...studyRow(r, null, { key: 'layer', value: i + 1 }), accuracy: accuracies[i], accuracySource: accuracies[i] === null ? null : ('user' as const) }));
    // a split interval wider than the gap to the nearest model: split-ci-wide
    rows[0] = { ...rows[0], lrSplitCi95: [rows[0].lr! - 5, rows[0].lr! + 5], lrSplitMean: rows[0].lr, splits: 3 };
    return { rows, correlations: studyCorrelations(rows), warnings: studyWarnings(rows) };
  }

  it('the models table, the correlations, every warning (split-ci-wide too) and the measure-vs-accuracy scatters', () => {
    const results = [noise, structured, { ...structured, file: 'third.npy' }, { ...noise, file: 'fourth.npy' }];
    const study = studyOf(results, [0.5, 0.9, 0.85, 0.55]);
    expect(study.warnings.map((w) => w.code)).toContain('split-ci-wide');
    const doc = reportHtml({ files: results.map((r) => ({ name: r.file, result: r })), study, generatedAt: WHEN });
    const counts = wellFormed(doc);
    expect(doc).toContain('<h2>Study: 4 models</h2>');
    for (const r of study.rows) {
      expect(doc).toContain(`<tr data-file="${escapeHtml(r.file)}">\n<th scope="row">${escapeHtml(r.file)}</th>`);
      expect(doc).toContain(`data-measure="study-lr" data-value="${r.lr}">${reportNumber(r.lr)}`);
      // the spread over dims is named so, never written as "± sd" (read as an uncertainty)
      if (r.lrStd !== null) expect(doc).toContain(`${reportNumber(r.lr)} <span class="muted">(sd ${reportNumber(r.lrStd)})</span>`);
      expect(doc).toContain(`data-measure="study-aac" data-value="${r.aac}">${reportNumber(r.aac)}`);
      expect(doc).toContain(`data-measure="study-nlr-minus-lr" data-value="${r.nlrMinusLr}">${reportNumber(r.nlrMinusLr)}`);
      expect(doc).toContain(`data-measure="accuracy" data-value="${r.accuracy}">${(100 * r.accuracy!).toFixed(1)}%`);
    }
    for (const w of study.warnings) expect(doc).toContain(escapeHtml(w.message));
    expect(doc).toContain('LR (sd over dims)');
    expect(doc).not.toContain('± sd');
    expect(doc).toContain('data-warning="split-ci-wide"');
    for (const m of ['aac', 'lr', 'nlr', 'nlrMinusLr', 'rankMe']) expect(doc).toContain(`data-chart="${m}-vs-accuracy"`);
    expect(counts.get('svg')).toBe(4 * 3 + 5);
    const lr = study.correlations.vsAccuracy.lr;
    expect(doc).toContain(`Pearson r = ${lr.pearson!.toFixed(3)}`);
    expect(doc).not.toMatch(/<script|https?:\/\//i);
  });

  it('no accuracy: no scatter, said so; one model: no study section', () => {
    const results = [noise, structured];
    const study = studyOf(results, [null, null]);
    const doc = reportHtml({ files: results.map((r) => ({ name: r.file, result: r })), study, generatedAt: WHEN });
    wellFormed(doc);
    expect(doc).toContain('No measure-vs-accuracy chart');
    expect(doc).toContain('2 models: a correlation needs at least 4');
    const one = reportHtml({ files: [{ name: 'noise.npy', result: noise }], study: studyOf([noise], [0.5]), generatedAt: WHEN });
    expect(one).not.toContain('data-report="study"');
  });
});
