/**
 * Which labels a file's linear probe uses: an integer array chosen in the file itself, or — for a file with
 * no labels of its own — a labels-only file (e.g. `labels.npy`) dropped alongside with one label per row.
 * Pure, so the rule is unit-tested without a browser.
 */
import type { ArraySummary, LabelsRef } from '../worker/api.ts';
import { isLabelsArray } from '../core/lite.ts';

export interface LabelsCandidateFile {
  id: string | null;
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


export function labelsFor(file: LabelsCandidateFile, all: readonly LabelsCandidateFile[]): LabelsChoice | null {
  if (file.id === null || file.embedding === null) return null;
  const embedding = file.arrays.find((a) => a.name === file.embedding);
  if (!embedding) return null;
  if (file.labels !== null) return { ref: { fileId: file.id, arrayName: file.labels }, source: `array '${file.labels}'` };
  // the file has labels of its own but the user chose none: respect that
  if (file.arrays.some((a) => a !== embedding && isLabelsArray(a))) return null;
  for (const other of all) {
    if (!other.labelsOnly || other.id === null) continue;
    const match = other.arrays.find((a) => isLabelsArray(a) && a.rows === embedding.rows);
    if (match) return { ref: { fileId: other.id, arrayName: match.name }, source: other.name + (other.arrays.length > 1 ? ` ('${match.name}')` : '') };
  }
  return null;
}
