/**
 * What is saved and exported: one record per (file fingerprint, array, settings) with the full result and the
 * probe result — never the embedding. Plus the import validation that turns untrusted JSON (an imported file, a
 * URL hash) back into typed values, with errors that name the path of what is wrong (`records[2].result.lr.perDim`):
 * derived from the schemas of the result types (core/resultSchema.ts) and, here, of the record and the export file.
 * Pure TypeScript: no DOM, no IndexedDB (unit-tested in Node).
 */
import * as v from 'valibot';
import type { BackendInfo, FileSummary, FinishedNlrDims, MeasureSettings, ProbeRunResult, RunResult } from '../../worker/api.ts';
import type { FileFormat, Same } from '../../core/lite.ts';
import { backendInfoSchema, finishedNlrDimsSchema, measureSettingsSchema, parseWith, probeRunResultSchema, runResultSchema, schemaParts } from '../../core/lite.ts';
import { PRESETS, presetOf } from '../../core/lite.ts';
import { fingerprintKey, type Fingerprint } from './fingerprint.ts';

/** A file summary as saved: the worker's id for the file is meaningless after a reload. */
export type SavedSummary = Omit<FileSummary, 'id'>;

/** What the user set for a row in a study: kept with its saved result, so a reload or an export loses none of it. */
export interface StudyChoices {
  inStudy: boolean;
  /** the number typed to plot the model against (tag), as typed */
  tag: string;
  /** the accuracy typed (overrides the probe's), as typed */
  accuracy: string;
}

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
  /**
   * For a result not finished (cancelled, or cut off by a reload): the NLR heads trained so far, each with its curves,
   * so Run again / Run the rest with the same file and settings trains only the others. null once the result is whole.
   */
  nlrFinished: FinishedNlrDims | null;
  /** the user's choices for the row in a study (null: the defaults — in the study, nothing typed) */
  studyChoices: StudyChoices | null;
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

// ------------------------------------------------------------------ validation (the schemas: core/resultSchema.ts)

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'the file'}: ${problem}`);
    this.name = 'ValidationError';
  }
}

function fail(path: string, problem: string): never {
  throw new ValidationError(path, problem);
}

const { object, omitNullish, text, nullableText, count, list, expected } = schemaParts;

const fingerprintSchema = object({ name: text, size: count, sha256: v.pipe(text, v.regex(/^[0-9a-f]{64}$/, expected('64 lower-case hex digits'))) });

const summarySchema = object({
  name: text,
  byteLength: count,
  format: v.pipe(text, v.transform((f) => f as FileFormat)),
  arrays: list(
    omitNullish(
      object({
        name: text,
        shape: list(count),
        dtype: text,
        rows: count,
        cols: count,
        // kept where it is a string, dropped otherwise (as before)
        unusable: v.optional(v.pipe(v.unknown(), v.transform((u) => (typeof u === 'string' ? u : undefined)))),
      }),
      ['unusable'],
    ),
  ),
  defaultEmbedding: nullableText,
  defaultLabels: nullableText,
});

/** One saved record; its id is recomputed (never trusted) and its array is the result's. */
const recordSchema = v.pipe(
  object({
    fingerprint: fingerprintSchema,
    savedAt: v.pipe(text, v.check((s) => !Number.isNaN(Date.parse(s)), expected('a date'))),
    labels: nullableText,
    summary: v.nullish(summarySchema, null),
    result: runResultSchema,
    probe: v.nullish(probeRunResultSchema, null),
    nlrFinished: v.nullish(finishedNlrDimsSchema, null),
    studyChoices: v.nullish(object({ inStudy: v.boolean(expected('true or false')), tag: v.pipe(text, v.maxLength(64, expected('at most 64 characters'))), accuracy: v.pipe(text, v.maxLength(64, expected('at most 64 characters'))) }), null),
    appVersion: v.nullish(text, 'unknown'),
  }),
  v.transform(({ fingerprint, savedAt, labels, summary, result, probe, nlrFinished, studyChoices, appVersion }) => {
    const id = recordId(fingerprint, result.array, result.settings);
    return { id, fingerprint, savedAt, array: result.array, labels, summary, result, probe, nlrFinished, studyChoices, appVersion };
  }),
);

const resultsExportSchema = object({
  format: v.literal(EXPORT_FORMAT, expected(`"${EXPORT_FORMAT}"`)),
  formatVersion: v.literal(EXPORT_FORMAT_VERSION, expected(String(EXPORT_FORMAT_VERSION))),
  appVersion: v.nullish(text, 'unknown'),
  exportedAt: v.nullish(text, ''),
  userAgent: v.nullish(text, ''),
  backend: v.nullish(backendInfoSchema, null),
  records: list(recordSchema),
});

// the saved types and their schemas cannot drift apart (the core's own types are checked in resultSchema.ts)
const sameTypes: [
  Same<v.InferOutput<typeof runResultSchema>, RunResult>,
  Same<v.InferOutput<typeof probeRunResultSchema>, ProbeRunResult>,
  Same<v.InferOutput<typeof summarySchema>, SavedSummary>,
  Same<v.InferOutput<typeof recordSchema>, SavedRecord>,
  Same<v.InferOutput<typeof resultsExportSchema>, ResultsExport>,
] = [true, true, true, true, true];
void sameTypes;

/** Measure settings from untrusted JSON (a URL hash), in the app's key order. */
export function parseSettings(input: unknown, path = 'settings'): MeasureSettings {
  return parseWith(measureSettingsSchema, input, path, fail);
}

/** A result as the table, charts and study read it (per-dim arrays have length d). */
export function parseResult(input: unknown, path = 'result'): RunResult {
  return parseWith(runResultSchema, input, path, fail);
}

/** One saved record from untrusted JSON; its id is recomputed (never trusted). */
export function parseRecord(input: unknown, path = 'record'): SavedRecord {
  return parseWith(recordSchema, input, path, fail);
}

/** An "Export all" file's text → its records, or a ValidationError that says what is wrong and where. */
export function parseResultsExport(text: string): ResultsExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError('', `not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseWith(resultsExportSchema, json, '', (path, problem) => {
    const runJson = path === 'format' && typeof (json as { tool?: unknown }).tool === 'string';
    fail(path, runJson ? `${problem} (this looks like a "Whole run as JSON" file; import takes an "Export all" file)` : problem);
  });
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
