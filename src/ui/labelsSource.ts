/**
 * Which labels a file's linear probe uses: an integer array chosen in the file itself, or — for a file with
 * no labels of its own — a labels-only file (e.g. `labels.npy`) dropped alongside with one label per row.
 * When the only labels file around has another number of rows, the answer says so (the CLI's message, from
 * `core/io/labels.ts` readLabels, with what to do) instead of leaving the file silently without labels.
 * Pure, so the rule is unit-tested without a browser.
 */
import type { ArraySummary, LabelsRef } from '../worker/api.ts';
import { isLabelsArray } from '../core/lite.ts';

export interface LabelsCandidateFile {
  id: string | null;
  /** the name the user sees (a row of a multi-array file: `layers.npz › layer2`) */
  name: string;
  /** true for a file that holds labels only (nothing to measure) */
  labelsOnly: boolean;
  arrays: readonly ArraySummary[];
  /** the labels array the user picked in this file (null = none) */
  labels: string | null;
  /** the embedding array measured (null for labels-only files) */
  embedding: string | null;
}

export interface LabelsChoice {
  ref: LabelsRef;
  /** what the user sees: "array 'labels'" or "labels.npy" */
  source: string;
}

/** A labels-only file that would have given a file its labels, but has another number of rows. */
export interface LabelsMismatch {
  labelsFileId: string;
  /** the labels file's name, as the user knows it */
  labelsFile: string;
  labelsRows: number;
  /** the embedding's name (the row's name) and its rows */
  embeddingFile: string;
  embeddingRows: number;
  /** the CLI's words: "labels.npy: 1,007 labels (the array), but emb.npy has 1,000 rows; they must match row for row" */
  problem: string;
  /** what to do about it */
  fix: string;
}

export interface LabelsAnswer {
  /** the labels the probe uses; null: no probe */
  choice: LabelsChoice | null;
  /** set when `choice` is null because the labels file around has another length than the embedding */
  mismatch: LabelsMismatch | null;
}

const count = (n: number) => n.toLocaleString('en-US');

/** The message the CLI prints for labels of another length (`core/io/labels.ts` readLabels), word for word. */
export function rowsMismatchMessage(labelsFile: string, labelsArray: string, labelsRows: number, embeddingFile: string, embeddingRows: number): string {
  const what = labelsArray ? `array '${labelsArray}'` : 'the array';
  return `${labelsFile}: ${count(labelsRows)} labels (${what}), but ${embeddingFile} has ${count(embeddingRows)} rows; they must match row for row`;
}

function mismatchOf(labels: LabelsCandidateFile & { id: string }, array: ArraySummary, embeddingFile: string, embeddingRows: number): LabelsMismatch {
  return {
    labelsFileId: labels.id,
    labelsFile: labels.name,
    labelsRows: array.rows,
    embeddingFile,
    embeddingRows,
    problem: rowsMismatchMessage(labels.name, array.name, array.rows, embeddingFile, embeddingRows),
    fix: `Not used for the linear probe: drop a labels file with exactly ${count(embeddingRows)} labels, one per row of ${embeddingFile} in the same order.`,
  };
}

const NONE: LabelsAnswer = { choice: null, mismatch: null };

export function labelsFor(file: LabelsCandidateFile, all: readonly LabelsCandidateFile[]): LabelsAnswer {
  if (file.id === null || file.embedding === null) return NONE;
  const embedding = file.arrays.find((a) => a.name === file.embedding);
  if (!embedding) return NONE;
  if (file.labels !== null) {
    const own = file.arrays.find((a) => a.name === file.labels);
    // an array of this file with another length: said on the row now, not as a failed probe at Run
    if (own && own.rows !== embedding.rows) {
      const m = mismatchOf({ ...file, id: file.id }, own, `array '${file.embedding}'`, embedding.rows);
      return { choice: null, mismatch: { ...m, fix: `Not used for the linear probe: pick another labels array, or save ${count(embedding.rows)} labels, one per row of '${file.embedding}' in the same order.` } };
    }
    return { choice: { ref: { fileId: file.id, arrayName: file.labels }, source: `array '${file.labels}'` }, mismatch: null };
  }
  // the file has labels of its own but the user chose none: respect that
  if (file.arrays.some((a) => a !== embedding && isLabelsArray(a))) return NONE;
  let mismatch: LabelsMismatch | null = null;
  for (const other of all) {
    if (!other.labelsOnly || other.id === null) continue;
    const labels = other.arrays.filter(isLabelsArray);
    const match = labels.find((a) => a.rows === embedding.rows);
    if (match) return { choice: { ref: { fileId: other.id, arrayName: match.name }, source: other.name + (other.arrays.length > 1 ? ` ('${match.name}')` : '') }, mismatch: null };
    if (!mismatch && labels.length) mismatch = mismatchOf({ ...other, id: other.id }, labels[0], file.name, embedding.rows);
  }
  return { choice: null, mismatch };
}

/** What a labels-only file does for the others: the files it labels, and those it cannot (another length). */
export interface LabelsFileUse {
  /** names of the files whose probe uses it */
  labels: string[];
  /** files left without labels because this file has another number of rows */
  mismatches: LabelsMismatch[];
}

export function labelsFileUse(labelsFile: LabelsCandidateFile, all: readonly LabelsCandidateFile[]): LabelsFileUse {
  const use: LabelsFileUse = { labels: [], mismatches: [] };
  if (!labelsFile.labelsOnly || labelsFile.id === null) return use;
  for (const f of all) {
    if (f.labelsOnly) continue;
    const answer = labelsFor(f, all);
    if (answer.choice?.ref.fileId === labelsFile.id) use.labels.push(f.name);
    else if (answer.mismatch?.labelsFileId === labelsFile.id) use.mismatches.push(answer.mismatch);
  }
  return use;
}
