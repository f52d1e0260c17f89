/**
 * A study: several models (files), one row each, and how the measures relate to accuracy, to a numeric tag
 * (projector depth, …) and to each other across models — the paper's analysis.
 */
import type { MeasureResult } from '../measures/types.ts';
import type { ProbeResult } from '../measures/linearProbe.ts';
import { toCsv, type Cell } from '../csv.ts';
import { correlateAcrossModels, type ModelCorrelation } from './modelCorrelation.ts';
import type { LabelsDigest } from './labelsDigest.ts';

export interface StudyRow {
  file: string;
  n: number;
  d: number;
  deadDims: number;
  aac: number | null;
  lr: number | null;
  nlr: number | null;
  nlrMinusLr: number | null;
  rankMe: number | null;
  /** spread over dims (standard deviation of the per-dim values) */
  lrStd: number | null;
  nlrStd: number | null;
  /** held-out linear-probe accuracy computed here (0..1), or one the user typed */
  accuracy: number | null;
  accuracySource: 'probe' | 'user' | null;
  /** the labels its probe was given (null without a probe): the study checks that they agree across models */
  labels: LabelsDigest | null;
  /** 95% interval of mean LR / NLR over k re-drawn train/held-out splits (null unless asked for) */
  lrSplitCi95: [number, number] | null;
  nlrSplitCi95: [number, number] | null;
  /** mean LR / NLR over those splits (the headline lr / nlr is the seed-0 split alone) */
  lrSplitMean: number | null;
  nlrSplitMean: number | null;
  splits: number | null;
  /** NLR's training settings (null without NLR), so a table says how NLR was trained */
  nlrEpochs: number | null;
  nlrOptimizer: string | null;
  nlrDims: number | null;
  /** the model's reliability warning codes (high-d-over-n, lr-at-null, …; docs/science.md) */
  warnings: string[];
  /** a numeric tag such as projector depth: typed, or parsed from the file name */
  tag: number | null;
  tagName: string | null;
}

/**
 * 'split-ci-wide': a model's split interval is wider than the gap to the nearest other model's LR — the split
 * alone could reorder them, so a ranking or a correlation across models built on that gap means little.
 */
export type StudyWarningCode = 'split-ci-wide' | 'n-mismatch' | 'labels-mismatch';

/**
 * 'n-mismatch': the models do not share N, so they did not see the same samples and their numbers do not compare
 * (the CLI refuses such a study; the app keeps every file and says it). The message names each model and its N.
 * 'labels-mismatch': models of one N whose probes were given different labels (each file brought its own): the
 * files most models agree with are the reference; each other file is named, with what its labels say — the same
 * classes and counts in another row order (its rows are not aligned with the others': a shuffled data loader?),
 * or other labels (other samples, or another labelling).
 */
export function studyWarnings(rows: StudyRow[]): { code: StudyWarningCode; message: string; files: string[] }[] {
  const out: { code: StudyWarningCode; message: string; files: string[] }[] = [];
  if (new Set(rows.map((r) => r.n)).size > 1) {
    out.push({
      code: 'n-mismatch',
      files: rows.map((r) => r.file),
      message: `The models do not share N (${rows.map((r) => `${r.file}: N = ${r.n}`).join(', ')}): they did not see the same samples, so their measures and accuracies do not compare — keep only the files of one N.`,
    });
  }
  const mismatch = labelsMismatch(rows);
  if (mismatch) out.push(mismatch);
  const withCi = rows.filter((r) => r.lrSplitCi95 && r.lr !== null);
  for (const r of withCi) {
    const width = r.lrSplitCi95![1] - r.lrSplitCi95![0];
    const others = rows.filter((o) => o !== r && o.lr !== null);
    if (others.length === 0) continue;
    const nearest = others.reduce((best, o) => (Math.abs(o.lr! - r.lr!) < Math.abs(best.lr! - r.lr!) ? o : best));
    const gap = Math.abs(nearest.lr! - r.lr!);
    if (width > gap) {
      out.push({
        code: 'split-ci-wide',
        files: [r.file],
        message: `${r.file}: its LR split interval (width ${width.toFixed(3)} over ${r.splits} splits) is wider than the gap to ${nearest.file} (${gap.toFixed(3)}): the split alone could reorder them — don't read that difference as real.`,
      });
    }
  }
  return out;
}

function labelsMismatch(rows: StudyRow[]): { code: StudyWarningCode; message: string; files: string[] } | null {
  const labelled = rows.filter((r) => r.labels);
  const bySequence = new Map<string, StudyRow[]>();
  for (const r of labelled) bySequence.set(r.labels!.sequence, [...(bySequence.get(r.labels!.sequence) ?? []), r]);
  if (bySequence.size < 2 || new Set(labelled.map((r) => r.labels!.n)).size > 1) return null; // one N: else n-mismatch says it
  // the reference: the labels most models share (the first such group on a tie, in the table's order)
  const reference = [...bySequence.values()].reduce((best, g) => (g.length > best.length ? g : best));
  const odd = labelled.filter((r) => !reference.includes(r));
  const names = (rs: StudyRow[]) => rs.map((r) => r.file).join(', ');
  const shuffled = odd.filter((r) => r.labels!.histogram === reference[0].labels!.histogram);
  const other = odd.filter((r) => !shuffled.includes(r));
  const said = [
    ...(shuffled.length ? [`${names(shuffled)}: the same classes and counts in another row order — ${shuffled.length === 1 ? 'its rows are' : 'their rows are'} not aligned with the others' (a shuffled data loader?)`] : []),
    ...(other.length ? [`${names(other)}: other labels (other samples, or another labelling)`] : []),
  ];
  return {
    code: 'labels-mismatch',
    files: odd.map((r) => r.file),
    message: `The models' labels do not agree with those of ${names(reference)} — ${said.join('; ')}. Their accuracies and measures are not of the same samples row for row: extract every model's embeddings from one data order, or give one labels file.`,
  };
}

export const STUDY_MEASURES = ['aac', 'lr', 'nlr', 'nlrMinusLr', 'rankMe'] as const;
export type StudyMeasure = (typeof STUDY_MEASURES)[number];

function spread(values: (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length < 2) return null;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

export function studyRow(result: MeasureResult, probe: ProbeResult | null, tag: { key: string; value: number } | null): StudyRow {
  return {
    file: result.file,
    n: result.n,
    d: result.d,
    deadDims: result.deadDims.length,
    aac: result.aac?.value ?? null,
    lr: result.lr?.value ?? null,
    nlr: result.nlr?.value ?? null,
    nlrMinusLr: result.nlr?.minusLr ?? null,
    // what must not be reported as it is; the D/N regime and other context (severity 'info') stay with the file's result
    warnings: result.reliability?.warnings.filter((w) => w.severity !== 'info').map((w) => w.code) ?? [],
    nlrEpochs: result.nlr ? result.settings.mlp.epochs : null,
    nlrOptimizer: result.nlr ? result.settings.mlp.optimizer : null,
    nlrDims: result.nlr ? result.nlr.evaluatedDims.length : null,
    rankMe: result.extras.rankMe,
    lrStd: result.lr ? spread(result.lr.perDim) : null,
    nlrStd: result.nlr ? spread(result.nlr.perDim) : null,
    accuracy: probe?.accuracy ?? null,
    accuracySource: probe ? 'probe' : null,
    labels: probe?.labels ?? null,
    lrSplitCi95: null,
    nlrSplitCi95: null,
    lrSplitMean: null,
    nlrSplitMean: null,
    splits: null,
    tag: tag?.value ?? null,
    tagName: tag?.key ?? null,
  };
}

export interface StudyCorrelations {
  /** each measure vs accuracy */
  vsAccuracy: Record<StudyMeasure, ModelCorrelation>;
  /** each measure vs the numeric tag */
  vsTag: Record<StudyMeasure, ModelCorrelation>;
  /** the measures against each other: are they telling the same story? */
  aacVsLr: ModelCorrelation;
  lrVsNlr: ModelCorrelation;
}

export function studyCorrelations(rows: StudyRow[]): StudyCorrelations {
  const col = (k: keyof StudyRow) => rows.map((r) => r[k] as number | null);
  const per = (other: (number | null)[]) => Object.fromEntries(STUDY_MEASURES.map((m) => [m, correlateAcrossModels(col(m), other)])) as Record<StudyMeasure, ModelCorrelation>;
  return {
    vsAccuracy: per(col('accuracy')),
    vsTag: per(col('tag')),
    aacVsLr: correlateAcrossModels(col('aac'), col('lr')),
    lrVsNlr: correlateAcrossModels(col('lr'), col('nlr')),
  };
}

const CSV_COLUMNS = ['file', 'tagName', 'tag', 'n', 'd', 'deadDims', 'aac', 'lr', 'lrStd', 'lrSplitMean', 'lrSplitLo', 'lrSplitHi', 'nlr', 'nlrStd', 'nlrSplitMean', 'nlrSplitLo', 'nlrSplitHi', 'splits', 'nlrMinusLr', 'nlrDims', 'nlrEpochs', 'nlrOptimizer', 'rankMe', 'accuracy', 'accuracySource', 'warnings'] as const;

/** A study row as flat CSV cells (the split intervals become lo/hi columns). */
function csvCells(r: StudyRow): Record<(typeof CSV_COLUMNS)[number], Cell> {
  const { lrSplitCi95, nlrSplitCi95, warnings, ...plain } = r;
  return { ...plain, lrSplitLo: lrSplitCi95?.[0], lrSplitHi: lrSplitCi95?.[1], nlrSplitLo: nlrSplitCi95?.[0], nlrSplitHi: nlrSplitCi95?.[1], warnings: warnings.join(' ') };
}

export function studyCsv(rows: StudyRow[]): string {
  return toCsv([...CSV_COLUMNS], rows.map((r) => {
    const c = csvCells(r);
    return CSV_COLUMNS.map((k) => c[k]);
  }));
}
