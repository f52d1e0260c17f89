import { RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { checkRowsPerBlock, collectBlocks } from './denseArray.ts';
import { LABEL_COLUMN } from './labelColumns.ts';
import { textLines } from './textLines.ts';
import type { ArrayHandle, ByteSource, OpenedFile, RowBlock } from './types.ts';

/**
 * Delimited numeric text (.csv/.tsv/.txt, np.savetxt output): delimiter and header detected
 * from the first lines, one counting pass on open, rows parsed while streaming.
 */
export type Delimiter = ',' | '\t' | 'whitespace';

export interface TextOptions {
  /** bytes per range read while streaming (default 4 MiB; tests use tiny chunks) */
  readonly chunkBytes?: number;
}

export interface TextLayout {
  readonly delimiter: Delimiter;
  /** column names when the first data line is not numeric */
  readonly header: string[] | null;
  readonly columns: number;
}

/** Bytes sniffed for the layout; a header plus a few rows fit easily. */
const SNIFF_BYTES = 64 * 1024;

function isSkippable(line: string): boolean {
  const t = line.trimStart();
  return t === '' || t.startsWith('#'); // blank lines and np.savetxt `header=`/comment lines
}

export function splitFields(line: string, delimiter: Delimiter): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/\s+/);
  return line.split(delimiter);
}

/**
 * Like np.loadtxt: decimal and exponent forms, nan, inf, -inf (NaN/Inf are rejected later by
 * the measures). Returns undefined for a cell that is not a number.
 */
export function parseCell(cell: string): number | undefined {
  const v = Number(cell);
  if (!Number.isNaN(v)) {
    // Number('') and Number('  ') are 0: an empty cell is missing data, not zero
    if (v === 0 && !/\d/.test(cell)) return undefined;
    return v;
  }
  const t = cell.trim().toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return Number.NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return undefined;
}

function isNumericCell(cell: string): boolean {
  return parseCell(cell) !== undefined;
}

/** Picks the delimiter and header from the first data line. */
export function detectLayout(firstLine: string): TextLayout {
  const delimiter: Delimiter = firstLine.includes('\t') ? '\t' : firstLine.includes(',') ? ',' : 'whitespace';
  const fields = splitFields(firstLine, delimiter);
  const numeric = fields.every(isNumericCell);
  const header = numeric ? null : fields.map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
  return { delimiter, header, columns: fields.length };
}

function raggedError(file: string, line: number, expected: number, found: number): RedundancyLabError {
  return new RedundancyLabError('corrupt-file', `line ${line} has ${found} columns but the first row has ${expected}; every row must have the same number of values`, file);
}

/** Yields [lineNumber, fields] for every data row (header, blank and comment lines skipped). */
async function* dataRows(source: ByteSource, layout: TextLayout, chunkBytes?: number): AsyncGenerator<[number, string[]]> {
  let headerSkipped = layout.header === null;
  for await (const batch of textLines(source, chunkBytes)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const line = batch.lines[i];
      if (isSkippable(line)) continue;
      if (!headerSkipped) {
        headerSkipped = true;
        continue;
      }
      const fields = splitFields(line, layout.delimiter);
      if (fields.length !== layout.columns) throw raggedError(source.name, batch.firstLine + i, layout.columns, fields.length);
      yield [batch.firstLine + i, fields];
    }
  }
}

async function sniffLayout(source: ByteSource): Promise<TextLayout> {
  const head = await readRange(source, 0, Math.min(source.byteLength, SNIFF_BYTES), 'text');
  const lines = new TextDecoder().decode(head).split('\n');
  if (head.length < source.byteLength) lines.pop(); // possibly cut mid-line
  const first = lines.find((l) => !isSkippable(l));
  if (first === undefined) {
    throw new RedundancyLabError('bad-shape', 'the text file has no rows of numbers (it is empty or only comments)', source.name);
  }
  return detectLayout(first.replace(/\r$/, ''));
}

export async function openText(source: ByteSource, options: TextOptions = {}): Promise<OpenedFile> {
  const file = source.name;
  const layout = await sniffLayout(source);
  // counting pass: row count and ragged rows are known before anything is allocated
  let rows = 0;
  for await (const _row of dataRows(source, layout, options.chunkBytes)) rows++;
  const labelIndex = layout.header ? layout.header.findIndex((h) => LABEL_COLUMN.test(h)) : -1;
  const featureColumns = [...Array(layout.columns).keys()].filter((c) => c !== labelIndex);
  const arrays: ArrayHandle[] = [];
  if (featureColumns.length > 0) arrays.push(textArray(source, layout, '', featureColumns, rows, options.chunkBytes));
  if (labelIndex >= 0) arrays.push(textArray(source, layout, layout.header![labelIndex], [labelIndex], rows, options.chunkBytes));
  return { fileName: file, byteLength: source.byteLength, format: 'text', arrays };
}

function textArray(source: ByteSource, layout: TextLayout, name: string, columns: number[], rows: number, chunkBytes?: number): ArrayHandle {
  const cols = columns.length;
  const file = source.name;
  async function* blocks(rowsPerBlock: number): AsyncGenerator<RowBlock> {
    checkRowsPerBlock(rowsPerBlock, file);
    let data = new Float32Array(Math.min(rowsPerBlock, rows) * cols);
    let filled = 0;
    let rowStart = 0;
    for await (const [lineNo, fields] of dataRows(source, layout, chunkBytes)) {
      for (let j = 0; j < cols; j++) {
        const cell = fields[columns[j]];
        const v = parseCell(cell);
        if (v === undefined) {
          const colName = layout.header ? ` (${layout.header[columns[j]]})` : '';
          throw new RedundancyLabError('unsupported-dtype', `line ${lineNo}, column ${columns[j] + 1}${colName}: ${JSON.stringify(cell.slice(0, 40))} is not a number; remove text columns or save only the numbers`, file);
        }
        data[filled * cols + j] = v;
      }
      filled++;
      if (filled === data.length / cols || rowStart + filled === rows) {
        yield { rowStart, rows: filled, cols, data: data.subarray(0, filled * cols) };
        rowStart += filled;
        filled = 0;
        data = new Float32Array(Math.min(rowsPerBlock, Math.max(0, rows - rowStart)) * cols);
      }
      if (rowStart >= rows) break;
    }
    if (rowStart < rows) throw new RedundancyLabError('corrupt-file', `the file changed while reading: expected ${rows} rows, found ${rowStart}`, file);
  }
  const handle: ArrayHandle = {
    name,
    // one column reads like np.loadtxt: a 1-D array (e.g. labels)
    shape: cols === 1 ? [rows] : [rows, cols],
    dtype: 'float64',
    rows,
    cols,
    blocks,
    read: () => collectBlocks(handle, file, 65536),
  };
  return handle;
}
