/**
 * What is saved and exported: one record per (file fingerprint, array, settings) with the full result and the
 * probe result — never the embedding. Plus the validators that turn untrusted JSON (an imported file, a URL
 * hash) back into typed values, with errors that name the path of what is wrong (`records[2].result.lr.perDim`).
 * Pure TypeScript: no DOM, no IndexedDB (unit-tested in Node).
 */
import type { ArraySummary, BackendInfo, FileSummary, MeasureSettings, ProbeRunResult, RunResult } from '../../worker/api.ts';
import type { MeasureName, NlrDimSelection } from '../../core/lite.ts';
import { WARNING_CODES, type Reliability, type WarningCode } from '../../core/lite.ts';
import { PRESETS, presetOf } from '../../core/lite.ts';
import { fingerprintKey, type Fingerprint } from './fingerprint.ts';

/** A file summary as saved: the worker's id for the file is meaningless after a reload. */
export type SavedSummary = Omit<FileSummary, 'id'>;

export interface SavedRecord {
  /** `fingerprintKey|array|settings JSON`: one record per file, array and settings */
  id: string;
  fingerprint: Fingerprint;
  /** ISO date of the measurement (or of the last probe) */
  savedAt: string;
  /** the embedding array measured (also result.array) */
  array: string;
  /** the labels array chosen in the file, if any */
  labels: string | null;
  summary: SavedSummary | null;
  /** the full result: per-dim values, settings, backend, version (the heatmap preview included) */
  result: RunResult;
  probe: ProbeRunResult | null;
  /** the app version that saved it */
  appVersion: string;
}

export const EXPORT_FORMAT = 'redundancy-lab-results';
export const EXPORT_FORMAT_VERSION = 1;

/** The "Export all" file. */
export interface ResultsExport {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  appVersion: string;
  exportedAt: string;
  userAgent: string;
  /** the backend of the page that exported (each result also names its own) */
  backend: BackendInfo | null;
  records: SavedRecord[];
}

export function recordId(fp: Fingerprint, array: string, settings: MeasureSettings): string {
  return `${fingerprintKey(fp)}|${array}|${JSON.stringify(settings)}`;
}

/** "Quick", "Paper protocol", or a short description of edited settings. */
export function settingsSummary(s: MeasureSettings): string {
  const preset = presetOf(s);
  const measures = s.measures.map((m) => m.toUpperCase()).join(' + ') || 'no measures';
  if (preset) return `${PRESETS[preset].label}: ${measures}`;
  const nlr = s.measures.includes('nlr')
    ? `, NLR ${s.nlrDims.kind === 'all' ? 'all dims' : s.nlrDims.kind === 'count' ? `${s.nlrDims.count} dims` : s.nlrDims.kind === 'fraction' ? `${s.nlrDims.fraction} of dims` : `${s.nlrDims.dims.length} dims`} × ${s.mlp.epochs} epochs ${s.mlp.optimizer}`
    : '';
  return `custom: ${measures}, split seed ${s.splitSeed}, test ${s.testFraction}${nlr}${s.protocol === 'authors-script' ? ', authors’ script protocol' : ''}`;
}

// ------------------------------------------------------------------ validation

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'the file'}: ${problem}`);
    this.name = 'ValidationError';
  }
}

type Obj = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new ValidationError(path, problem);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, `expected an object, found ${describe(v)}`);
  return v as Obj;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, found ${describe(v)}`);
  return v;
}

function strOrNull(v: unknown, path: string): string | null {
  return v === null || v === undefined ? null : str(v, path);
}

function num(v: unknown, path: string, check?: { int?: boolean; min?: number; max?: number; minExclusive?: number }): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, `expected a number, found ${describe(v)}`);
  if (check?.int && !Number.isInteger(v)) fail(path, `expected an integer, found ${v}`);
  if (check?.min !== undefined && v < check.min) fail(path, `expected at least ${check.min}, found ${v}`);
  if (check?.max !== undefined && v > check.max) fail(path, `expected at most ${check.max}, found ${v}`);
  if (check?.minExclusive !== undefined && v <= check.minExclusive) fail(path, `expected more than ${check.minExclusive}, found ${v}`);
  return v;
}

/** A measured number: JSON writes NaN and ±Infinity as null, so null reads back as NaN. */
function measured(v: unknown, path: string): number {
  if (v === null) return Number.NaN;
  if (typeof v !== 'number') fail(path, `expected a number, found ${describe(v)}`);
  return v;
}

function numOrNull(v: unknown, path: string): number | null {
  return v === null || v === undefined ? null : measured(v, path);
}

function arr(v: unknown, path: string, length?: number): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, found ${describe(v)}`);
  if (length !== undefined && v.length !== length) fail(path, `expected ${length} entries (one per dim), found ${v.length}`);
  return v;
}

function numbers(v: unknown, path: string, check?: Parameters<typeof num>[2]): number[] {
  return arr(v, path).map((x, i) => num(x, `${path}[${i}]`, check));
}

function measuredList(v: unknown, path: string): number[] {
  return arr(v, path).map((x, i) => measured(x, `${path}[${i}]`));
}

function perDim(v: unknown, path: string, d: number): (number | null)[] {
  return arr(v, path, d).map((x, i) => (x === null ? null : measured(x, `${path}[${i}]`)));
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, found ${describe(v)}`);
  return v;
}

const MEASURES: MeasureName[] = ['aac', 'lr', 'nlr'];

/**
 * Measure settings from untrusted JSON, rebuilt with the keys in the app's own order (settings are compared
 * as JSON, so a link or an import with the same values in another order still matches the presets).
 */
export function parseSettings(v: unknown, path = 'settings'): MeasureSettings {
  const o = obj(v, path);
  const measures = arr(o.measures, `${path}.measures`).map((m, i) => {
    if (!MEASURES.includes(m as MeasureName)) fail(`${path}.measures[${i}]`, `expected one of ${MEASURES.join(', ')}, found ${describe(m)}`);
    return m as MeasureName;
  });
  const dims = obj(o.nlrDims, `${path}.nlrDims`);
  let nlrDims: NlrDimSelection;
  if (dims.kind === 'all') nlrDims = { kind: 'all' };
  else if (dims.kind === 'count') nlrDims = { kind: 'count', count: num(dims.count, `${path}.nlrDims.count`, { int: true, min: 1 }) };
  else if (dims.kind === 'fraction') nlrDims = { kind: 'fraction', fraction: num(dims.fraction, `${path}.nlrDims.fraction`, { minExclusive: 0, max: 1 }) };
  else if (dims.kind === 'list') nlrDims = { kind: 'list', dims: numbers(dims.dims, `${path}.nlrDims.dims`, { int: true, min: 0 }) };
  else fail(`${path}.nlrDims.kind`, `expected all, count, fraction or list, found ${describe(dims.kind)}`);
  const mlp = obj(o.mlp, `${path}.mlp`);
  if (mlp.optimizer !== 'sgd' && mlp.optimizer !== 'adam') fail(`${path}.mlp.optimizer`, `expected sgd or adam, found ${describe(mlp.optimizer)}`);
  return {
    measures: MEASURES.filter((m) => measures.includes(m)),
    splitSeed: num(o.splitSeed, `${path}.splitSeed`, { int: true, min: 0 }),
    testFraction: num(o.testFraction, `${path}.testFraction`, { minExclusive: 0, max: 0.99 }),
    ridgeAlphas: numbers(o.ridgeAlphas, `${path}.ridgeAlphas`, { minExclusive: 0 }),
    nlrDims,
    nlrDimSeed: num(o.nlrDimSeed, `${path}.nlrDimSeed`, { int: true, min: 0 }),
    mlp: {
      hidden: numbers(mlp.hidden, `${path}.mlp.hidden`, { int: true, min: 1 }),
      epochs: num(mlp.epochs, `${path}.mlp.epochs`, { int: true, min: 1 }),
      learningRate: num(mlp.learningRate, `${path}.mlp.learningRate`, { minExclusive: 0 }),
      batchSize: num(mlp.batchSize, `${path}.mlp.batchSize`, { int: true, min: 1 }),
      optimizer: mlp.optimizer,
      seed: num(mlp.seed, `${path}.mlp.seed`, { int: true, min: 0 }),
    },
    nlrRowCap: o.nlrRowCap === null || o.nlrRowCap === undefined ? null : num(o.nlrRowCap, `${path}.nlrRowCap`, { int: true, min: 2 }),
    ...parseProtocol(o.protocol, `${path}.protocol`),
  };
}

/** Absent = the corrected protocol (results saved before the choice existed, and the presets). */
function parseProtocol(v: unknown, path: string): Pick<MeasureSettings, 'protocol'> {
  if (v === undefined || v === null || v === 'corrected') return {};
  if (v === 'authors-script') return { protocol: 'authors-script' };
  fail(path, `expected corrected or authors-script, found ${describe(v)}`);
}

const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'];

function parseBackend(v: unknown, path: string): BackendInfo {
  const o = obj(v, path);
  if (!BACKEND_NAMES.includes(o.name as string)) fail(`${path}.name`, `expected one of ${BACKEND_NAMES.join(', ')}, found ${describe(o.name)}`);
  const skipped = arr(o.skipped ?? [], `${path}.skipped`).map((s, i) => {
    const so = obj(s, `${path}.skipped[${i}]`);
    return { name: str(so.name, `${path}.skipped[${i}].name`) as BackendInfo['name'], reason: str(so.reason, `${path}.skipped[${i}].reason`) };
  });
  const info: BackendInfo = { name: o.name as BackendInfo['name'], detail: str(o.detail ?? '', `${path}.detail`), skipped };
  if (o.selfTestError !== undefined && o.selfTestError !== null) info.selfTestError = measured(o.selfTestError, `${path}.selfTestError`);
  if (o.float64Kernel !== undefined && o.float64Kernel !== null) {
    if (o.float64Kernel !== 'wasm-simd' && o.float64Kernel !== 'js') fail(`${path}.float64Kernel`, `expected wasm-simd or js, found ${describe(o.float64Kernel)}`);
    info.float64Kernel = o.float64Kernel;
  }
  return info;
}

/** A result as the table, charts and study read it; checked field by field (per-dim arrays have length d). */
export function parseResult(v: unknown, path = 'result'): RunResult {
  const o = obj(v, path);
  const d = num(o.d, `${path}.d`, { int: true, min: 0 });
  const aac = o.aac === null || o.aac === undefined ? null : obj(o.aac, `${path}.aac`);
  const lr = o.lr === null || o.lr === undefined ? null : obj(o.lr, `${path}.lr`);
  const nlr = o.nlr === null || o.nlr === undefined ? null : obj(o.nlr, `${path}.nlr`);
  const extras = obj(o.extras, `${path}.extras`);
  const inSample = extras.inSampleR2 === null || extras.inSampleR2 === undefined ? null : obj(extras.inSampleR2, `${path}.extras.inSampleR2`);
  const summary = obj(o.summary, `${path}.summary`);
  const timings = obj(o.timingsMs ?? {}, `${path}.timingsMs`);
  const result: RunResult = {
    file: str(o.file, `${path}.file`),
    array: str(o.array, `${path}.array`),
    n: num(o.n, `${path}.n`, { int: true, min: 0 }),
    d,
    deadDims: numbers(o.deadDims, `${path}.deadDims`, { int: true, min: 0 }),
    splitDegenerateDims: numbers(o.splitDegenerateDims, `${path}.splitDegenerateDims`, { int: true, min: 0 }),
    nTrain: num(o.nTrain, `${path}.nTrain`, { int: true, min: 0 }),
    nTest: num(o.nTest, `${path}.nTest`, { int: true, min: 0 }),
    aac: aac && { value: measured(aac.value, `${path}.aac.value`), meanAbsCorrPerDim: perDim(aac.meanAbsCorrPerDim, `${path}.aac.meanAbsCorrPerDim`, d) },
    lr: lr && {
      value: measured(lr.value, `${path}.lr.value`),
      perDim: perDim(lr.perDim, `${path}.lr.perDim`, d),
      alphaPerDim: perDim(lr.alphaPerDim, `${path}.lr.alphaPerDim`, d),
    },
    nlr: nlr && {
      value: measured(nlr.value, `${path}.nlr.value`),
      perDim: perDim(nlr.perDim, `${path}.nlr.perDim`, d),
      minusLrPerDim: perDim(nlr.minusLrPerDim, `${path}.nlr.minusLrPerDim`, d),
      lrOnNlrDims: numOrNull(nlr.lrOnNlrDims ?? null, `${path}.nlr.lrOnNlrDims`),
      minusLr: numOrNull(nlr.minusLr ?? null, `${path}.nlr.minusLr`),
      evaluatedDims: numbers(nlr.evaluatedDims, `${path}.nlr.evaluatedDims`, { int: true, min: 0 }),
      convergedPerDim: arr(nlr.convergedPerDim, `${path}.nlr.convergedPerDim`, d).map((x, i) => (x === null ? null : bool(x, `${path}.nlr.convergedPerDim[${i}]`))),
      convergedCount: num(nlr.convergedCount, `${path}.nlr.convergedCount`, { int: true, min: 0 }),
      meanTrainLossByEpoch: measuredList(nlr.meanTrainLossByEpoch, `${path}.nlr.meanTrainLossByEpoch`),
      gflop: measured(nlr.gflop, `${path}.nlr.gflop`),
    },
    reliability: parseReliability(o.reliability, `${path}.reliability`, d),
    extras: {
      inSampleR2: inSample && { value: measured(inSample.value, `${path}.extras.inSampleR2.value`), perDim: perDim(inSample.perDim, `${path}.extras.inSampleR2.perDim`, d) },
      rankMe: numOrNull(extras.rankMe, `${path}.extras.rankMe`),
      gaussianTotalCorrelation: numOrNull(extras.gaussianTotalCorrelation, `${path}.extras.gaussianTotalCorrelation`),
      minEigenvalue: numOrNull(extras.minEigenvalue, `${path}.extras.minEigenvalue`),
      eigenvalues: extras.eigenvalues === null || extras.eigenvalues === undefined ? null : measuredList(extras.eigenvalues, `${path}.extras.eigenvalues`),
    },
    settings: parseSettings(o.settings, `${path}.settings`),
    backend: parseBackend(o.backend, `${path}.backend`),
    timingsMs: Object.fromEntries(Object.entries(timings).map(([k, t]) => [k, measured(t, `${path}.timingsMs.${k}`)])),
    version: str(o.version, `${path}.version`),
    summary: {
      nlrMinusLr: numOrNull(summary.nlrMinusLr, `${path}.summary.nlrMinusLr`),
      nlrMinusLrDims: num(summary.nlrMinusLrDims, `${path}.summary.nlrMinusLrDims`, { int: true, min: 0 }),
      wallMs: measured(summary.wallMs, `${path}.summary.wallMs`),
    },
  };
  if (o.correlationPreview !== undefined && o.correlationPreview !== null) {
    const p = obj(o.correlationPreview, `${path}.correlationPreview`);
    const size = num(p.size, `${path}.correlationPreview.size`, { int: true, min: 0 });
    result.correlationPreview = {
      size,
      blockSize: num(p.blockSize, `${path}.correlationPreview.blockSize`, { int: true, min: 1 }),
      d: num(p.d, `${path}.correlationPreview.d`, { int: true, min: 0 }),
      values: arr(p.values, `${path}.correlationPreview.values`, size * size).map((x, i) => measured(x, `${path}.correlationPreview.values[${i}]`)),
      clusterOrder: arr(p.clusterOrder, `${path}.correlationPreview.clusterOrder`, size).map((x, i) => num(x, `${path}.correlationPreview.clusterOrder[${i}]`, { int: true, min: 0 })),
    };
  }
  return result;
}

/** Results saved before the reliability read-out existed have none (null): the table says so. */
function parseReliability(v: unknown, path: string, d: number): Reliability | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  const band = (b: unknown, p: string): [number, number] | null => {
    if (b === null || b === undefined) return null;
    const xs = arr(b, p, 2).map((x, i) => measured(x, `${p}[${i}]`));
    return [xs[0], xs[1]];
  };
  return {
    dOverNTrain: measured(o.dOverNTrain, `${path}.dOverNTrain`),
    lrNull: numOrNull(o.lrNull, `${path}.lrNull`),
    lrNullBand: band(o.lrNullBand, `${path}.lrNullBand`),
    nlrNull: numOrNull(o.nlrNull, `${path}.nlrNull`),
    nlrNullBand: band(o.nlrNullBand, `${path}.nlrNullBand`),
    nlrNullDims: numbers(o.nlrNullDims, `${path}.nlrNullDims`, { int: true, min: 0 }),
    lrAdjusted: numOrNull(o.lrAdjusted, `${path}.lrAdjusted`),
    lrAdjustedPerDim: o.lrAdjustedPerDim === null || o.lrAdjustedPerDim === undefined ? null : perDim(o.lrAdjustedPerDim, `${path}.lrAdjustedPerDim`, d),
    lrMedian: numOrNull(o.lrMedian, `${path}.lrMedian`),
    dimsBelowMinusOne: num(o.dimsBelowMinusOne, `${path}.dimsBelowMinusOne`, { int: true, min: 0 }),
    nlrConverged: o.nlrConverged === null ? null : num(o.nlrConverged, `${path}.nlrConverged`, { int: true, min: 0 }),
    nlrEvaluated: o.nlrEvaluated === null ? null : num(o.nlrEvaluated, `${path}.nlrEvaluated`, { int: true, min: 0 }),
    warnings: arr(o.warnings, `${path}.warnings`).map((w, i) => {
      const wo = obj(w, `${path}.warnings[${i}]`);
      if (!WARNING_CODES.includes(wo.code as WarningCode)) fail(`${path}.warnings[${i}].code`, `expected one of ${WARNING_CODES.join(', ')}, found ${describe(wo.code)}`);
      return {
        code: wo.code as WarningCode,
        message: str(wo.message, `${path}.warnings[${i}].message`),
        measures: arr(wo.measures, `${path}.warnings[${i}].measures`).map((m, j) => str(m, `${path}.warnings[${i}].measures[${j}]`)),
      };
    }),
  };
}

function parseProbe(v: unknown, path: string): ProbeRunResult {
  const o = obj(v, path);
  const s = obj(o.settings, `${path}.settings`);
  return {
    accuracy: num(o.accuracy, `${path}.accuracy`, { min: 0, max: 1 }),
    majorityBaseline: measured(o.majorityBaseline, `${path}.majorityBaseline`),
    classes: num(o.classes, `${path}.classes`, { int: true, min: 0 }),
    lambda: measured(o.lambda, `${path}.lambda`),
    validationAccuracyByLambda: measuredList(o.validationAccuracyByLambda, `${path}.validationAccuracyByLambda`),
    trainAccuracy: measured(o.trainAccuracy, `${path}.trainAccuracy`),
    nTrain: num(o.nTrain, `${path}.nTrain`, { int: true, min: 0 }),
    nTest: num(o.nTest, `${path}.nTest`, { int: true, min: 0 }),
    settings: {
      lambdas: measuredList(s.lambdas, `${path}.settings.lambdas`),
      steps: num(s.steps, `${path}.settings.steps`),
      learningRate: num(s.learningRate, `${path}.settings.learningRate`),
      validationFraction: num(s.validationFraction, `${path}.settings.validationFraction`),
    },
    labelsSource: str(o.labelsSource, `${path}.labelsSource`),
    array: str(o.array, `${path}.array`),
    splitSeed: num(o.splitSeed, `${path}.splitSeed`, { int: true, min: 0 }),
    // probes saved before the split's fraction was recorded ran on 0.25 whatever the measurement used
    testFraction: o.testFraction === undefined ? 0.25 : num(o.testFraction, `${path}.testFraction`, { minExclusive: 0, max: 0.99 }),
    backend: parseBackend(o.backend, `${path}.backend`),
    wallMs: measured(o.wallMs, `${path}.wallMs`),
  };
}

function parseSummary(v: unknown, path: string): SavedSummary | null {
  if (v === null || v === undefined) return null;
  const o = obj(v, path);
  const arrays: ArraySummary[] = arr(o.arrays, `${path}.arrays`).map((a, i) => {
    const ao = obj(a, `${path}.arrays[${i}]`);
    const out: ArraySummary = {
      name: str(ao.name, `${path}.arrays[${i}].name`),
      shape: numbers(ao.shape, `${path}.arrays[${i}].shape`, { int: true, min: 0 }),
      dtype: str(ao.dtype, `${path}.arrays[${i}].dtype`),
      rows: num(ao.rows, `${path}.arrays[${i}].rows`, { int: true, min: 0 }),
      cols: num(ao.cols, `${path}.arrays[${i}].cols`, { int: true, min: 0 }),
    };
    if (typeof ao.unusable === 'string') out.unusable = ao.unusable;
    return out;
  });
  return {
    name: str(o.name, `${path}.name`),
    byteLength: num(o.byteLength, `${path}.byteLength`, { int: true, min: 0 }),
    format: str(o.format, `${path}.format`) as SavedSummary['format'],
    arrays,
    defaultEmbedding: strOrNull(o.defaultEmbedding, `${path}.defaultEmbedding`),
    defaultLabels: strOrNull(o.defaultLabels, `${path}.defaultLabels`),
  };
}

function parseFingerprint(v: unknown, path: string): Fingerprint {
  const o = obj(v, path);
  const sha256 = str(o.sha256, `${path}.sha256`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) fail(`${path}.sha256`, `expected 64 lower-case hex digits, found ${describe(sha256)}`);
  return { name: str(o.name, `${path}.name`), size: num(o.size, `${path}.size`, { int: true, min: 0 }), sha256 };
}

/** One saved record from untrusted JSON; its id is recomputed (never trusted). */
export function parseRecord(v: unknown, path = 'record'): SavedRecord {
  const o = obj(v, path);
  const fingerprint = parseFingerprint(o.fingerprint, `${path}.fingerprint`);
  const result = parseResult(o.result, `${path}.result`);
  const savedAt = str(o.savedAt, `${path}.savedAt`);
  if (Number.isNaN(Date.parse(savedAt))) fail(`${path}.savedAt`, `expected a date, found ${describe(savedAt)}`);
  return {
    id: recordId(fingerprint, result.array, result.settings),
    fingerprint,
    savedAt,
    array: result.array,
    labels: strOrNull(o.labels, `${path}.labels`),
    summary: parseSummary(o.summary, `${path}.summary`),
    result,
    probe: o.probe === null || o.probe === undefined ? null : parseProbe(o.probe, `${path}.probe`),
    appVersion: str(o.appVersion ?? 'unknown', `${path}.appVersion`),
  };
}

/** An "Export all" file's text → its records, or a ValidationError that says what is wrong and where. */
export function parseResultsExport(text: string): ResultsExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('', `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = obj(json, '');
  if (o.format !== EXPORT_FORMAT) {
    const hint = typeof o.tool === 'string' ? ' (this looks like a "Whole run as JSON" file; import takes an "Export all" file)' : '';
    fail('format', `expected "${EXPORT_FORMAT}", found ${describe(o.format)}${hint}`);
  }
  if (o.formatVersion !== EXPORT_FORMAT_VERSION) fail('formatVersion', `expected ${EXPORT_FORMAT_VERSION}, found ${describe(o.formatVersion)}`);
  const records = arr(o.records, 'records').map((r, i) => parseRecord(r, `records[${i}]`));
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    appVersion: str(o.appVersion ?? 'unknown', 'appVersion'),
    exportedAt: str(o.exportedAt ?? '', 'exportedAt'),
    userAgent: str(o.userAgent ?? '', 'userAgent'),
    backend: o.backend === null || o.backend === undefined ? null : parseBackend(o.backend, 'backend'),
    records,
  };
}

/** The "Export all" document. */
export function resultsExport(records: SavedRecord[], meta: { appVersion: string; userAgent: string; backend: BackendInfo | null; now?: Date }): ResultsExport {
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    appVersion: meta.appVersion,
    exportedAt: (meta.now ?? new Date()).toISOString(),
    userAgent: meta.userAgent,
    backend: meta.backend,
    records,
  };
}
