/** Class labels: one integer per embedding row, from any array a reader can open. */
import { RedundancyLabError } from '../errors.ts';
import type { ArrayHandle } from './types.ts';

/**
 * Reads and checks a labels array: 1-D (or N×1), integer values, one per embedding row.
 * `labelsFile` / `embeddingFile` are the names the user knows, for the message.
 */
export async function readLabels(labels: ArrayHandle, labelsFile: string, expectedRows: number, embeddingFile: string): Promise<Int32Array> {
  const what = labels.name ? `array '${labels.name}'` : 'the array';
  if (labels.cols !== 1) {
    throw new RedundancyLabError('bad-labels', `labels must be one integer class id per sample, but ${what} has shape (${labels.shape.join(', ')})`, labelsFile);
  }
  if (labels.rows !== expectedRows) {
    throw new RedundancyLabError(
      'bad-labels',
      `${labels.rows.toLocaleString('en-US')} labels (${what}), but ${embeddingFile} has ${expectedRows.toLocaleString('en-US')} rows; they must match row for row`,
      labelsFile,
    );
  }
  const { data } = await labels.read();
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new RedundancyLabError('bad-labels', `${what} holds ${v} at row ${i}; labels must be integer class ids (e.g. 0…9)`, labelsFile);
    }
    out[i] = v;
  }
  return out;
}

