/** Opening files and picking arrays for the CLI commands. */
import { isLabelsArray, openEmbeddingFile, readLabels, RedundancyLabError, type ArrayHandle, type OpenedFile } from '../core/index.ts';
import { fileByteSource } from './fileSource.ts';

export async function openFile(path: string): Promise<OpenedFile> {
  return openEmbeddingFile(await fileByteSource(path));
}

/** The named array, or the largest 2-D array when no name is given. */
export function pickArray(file: OpenedFile, name: string | undefined): ArrayHandle {
  const names = file.arrays.map((a) => `'${a.name}' (${a.shape.join('×')} ${a.dtype})`).join(', ');
  if (name !== undefined) {
    const found = file.arrays.find((a) => a.name === name);
    if (!found) throw new RedundancyLabError('bad-option', `no array named '${name}'; the file holds ${names || 'no arrays'}`, file.fileName);
    return found;
  }
  const candidates = file.arrays.filter((a) => a.shape.length >= 2 && a.cols > 1);
  if (candidates.length === 0) {
    if (file.arrays.length === 1) return file.arrays[0]; // let the measure explain what is wrong with it
    throw new RedundancyLabError('bad-shape', `no 2-D array to measure; the file holds ${names || 'no arrays'}`, file.fileName);
  }
  return candidates.reduce((a, b) => (b.rows * b.cols > a.rows * a.cols ? b : a));
}

/**
 * Labels for an embedding: from --labels FILE (its only / named array), else a labels-like array inside
 * the embedding file itself; null when there are none.
 */
export async function findLabels(
  embeddingFile: OpenedFile,
  rows: number,
  labelsPath: string | undefined,
  labelsArray: string | undefined,
): Promise<{ labels: Int32Array; source: string } | null> {
  let file = embeddingFile;
  if (labelsPath !== undefined) file = await openFile(labelsPath);
  const candidates = labelsArray !== undefined ? [pickArray(file, labelsArray)] : file.arrays.filter(isLabelsArray);
  if (candidates.length === 0) {
    if (labelsPath !== undefined) {
      if (file.arrays.length === 1) return { labels: await readLabels(file.arrays[0], file.fileName, rows, embeddingFile.fileName), source: file.fileName };
      throw new RedundancyLabError('bad-labels', 'no 1-D integer array to use as labels; name one with --labels-array', file.fileName);
    }
    return null;
  }
  const chosen = candidates[0];
  return { labels: await readLabels(chosen, file.fileName, rows, embeddingFile.fileName), source: `${file.fileName}${chosen.name ? ` [${chosen.name}]` : ''}` };
}
