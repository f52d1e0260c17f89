import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData, type SchemaTree } from 'hyparquet';
import { RedundancyLabError } from '../errors.ts';
import { readRange } from './byteRange.ts';
import { checkReadable, checkRowsPerBlock, collectBlocks } from './denseArray.ts';
import { LABEL_COLUMN } from './labelColumns.ts';
import type { ArrayHandle, ByteSource, OpenedFile, RowBlock } from './types.ts';
import { unusableArray } from './unusableArray.ts';

/**
 * Parquet through hyparquet: a list column of numbers (one vector per row), or many scalar
 * numeric columns that together form the matrix. Integer columns are also offered one by one
 * (labels). Reading goes row group by row group so memory stays near one group.
 */

/** Name of the matrix made of all scalar numeric (non-label) columns. */
export const NUMERIC_COLUMNS = '(numeric columns)';

/** Codecs hyparquet decodes without extra packages. */
const CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

const NON_NUMERIC_CONVERTED = new Set(['DATE', 'TIME_MILLIS', 'TIME_MICROS', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'INTERVAL', 'UTF8', 'JSON', 'BSON', 'ENUM']);
const NON_NUMERIC_LOGICAL = new Set(['DATE', 'TIME', 'TIMESTAMP', 'STRING', 'JSON', 'BSON', 'ENUM', 'UUID', 'GEOMETRY', 'GEOGRAPHY', 'VARIANT']);

/** NumPy-spelled dtype of a numeric leaf, or null when the leaf is not a number. */
export function leafDType(tree: SchemaTree): string | null {
  const e = tree.element;
  if (tree.children.length > 0) return null;
  const logical = e.logical_type?.type;
  if (logical === 'FLOAT16' && e.type === 'FIXED_LEN_BYTE_ARRAY') return 'float16';
  if ((e.converted_type && NON_NUMERIC_CONVERTED.has(e.converted_type)) || (logical && NON_NUMERIC_LOGICAL.has(logical))) return null;
  if (e.converted_type === 'DECIMAL' || logical === 'DECIMAL') return e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY' || e.type === 'INT32' || e.type === 'INT64' ? 'float64' : null;
  switch (e.type) {
    case 'FLOAT': return 'float32';
    case 'DOUBLE': return 'float64';
    case 'BOOLEAN': return 'bool';
    case 'INT32': return e.converted_type?.startsWith('UINT') ? 'uint32' : e.converted_type === 'INT_8' ? 'int8' : e.converted_type === 'INT_16' ? 'int16' : 'int32';
    case 'INT64': return e.converted_type === 'UINT_64' ? 'uint64' : 'int64';
    default: return null;
  }
}

/** The numeric element leaf of a LIST column (3-level or legacy 2-level), if there is one. */
function listElement(tree: SchemaTree): SchemaTree | null {
  const e = tree.element;
  const isList = e.converted_type === 'LIST' || e.logical_type?.type === 'LIST';
  if (isList && tree.children.length === 1) {
    const repeated = tree.children[0];
    if (repeated.children.length === 0) return leafDType(repeated) ? repeated : null; // 2-level
    if (repeated.children.length === 1 && leafDType(repeated.children[0])) return repeated.children[0];
    return null;
  }
  // a bare repeated numeric field is a list too
  if (tree.children.length === 0 && e.repetition_type === 'REPEATED' && leafDType(tree)) return tree;
  return null;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN; // null: missing value, rejected later as a non-finite value
}

function corrupt(file: string, e: unknown): RedundancyLabError {
  if (e instanceof RedundancyLabError) return e;
  return new RedundancyLabError('corrupt-file', `the parquet file could not be decoded (${(e as Error)?.message ?? String(e)}); re-save it`, file);
}

/** hyparquet's AsyncBuffer over our source, with out-of-range requests reported as corrupt-file. */
function asyncBuffer(source: ByteSource): AsyncBuffer {
  return {
    byteLength: source.byteLength,
    async slice(start: number, end = source.byteLength) {
      const bytes = await readRange(source, start, end, 'parquet data');
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
    },
  };
}

/** Row ranges of the row groups, so blocks decode each group once. */
function rowGroups(metadata: FileMetaData): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  for (const g of metadata.row_groups) {
    const n = Number(g.num_rows);
    out.push([start, start + n]);
    start += n;
  }
  return out;
}

async function readRows(file: AsyncBuffer, metadata: FileMetaData, columns: string[], rowStart: number, rowEnd: number, name: string): Promise<unknown[][]> {
  try {
    return await new Promise<unknown[][]>((resolve, reject) => {
      parquetRead({ file, metadata, columns, rowStart, rowEnd, useOffsetIndex: true, onComplete: (rows) => resolve(rows as unknown[][]) }).catch(reject);
    });
  } catch (e) {
    throw corrupt(name, e);
  }
}

interface Layout {
  readonly source: ByteSource;
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly rows: number;
}

/** A matrix built from `columns`: one list column (cols = its length) or several scalar columns. */
function parquetArray(layout: Layout, name: string, columns: string[], list: boolean, cols: number, dtype: string): ArrayHandle {
  const { source, file, metadata, rows } = layout;
  async function* blocks(rowsPerBlock: number): AsyncGenerator<RowBlock> {
    checkRowsPerBlock(rowsPerBlock, source.name);
    for (const [gStart, gEnd] of rowGroups(metadata)) {
      if (gEnd <= gStart) continue;
      const groupRows = await readRows(file, metadata, columns, gStart, gEnd, source.name);
      for (let r = 0; r < groupRows.length; r += rowsPerBlock) {
        const n = Math.min(rowsPerBlock, groupRows.length - r);
        const data = new Float32Array(n * cols);
        for (let i = 0; i < n; i++) {
          const row = groupRows[r + i];
          if (list) {
            const vector = row[0] as ArrayLike<unknown> | null;
            const length = vector?.length ?? 0;
            if (length !== cols) {
              throw new RedundancyLabError('corrupt-file', `row ${gStart + r + i + 1} of column ${name} has ${length} values but the first row has ${cols}; every vector must have the same length`, source.name);
            }
            for (let j = 0; j < cols; j++) data[i * cols + j] = toNumber(vector![j]);
          } else {
            for (let j = 0; j < cols; j++) data[i * cols + j] = toNumber(row[j]);
          }
        }
        yield { rowStart: gStart + r, rows: n, cols, data };
      }
    }
  }
  const handle: ArrayHandle = {
    name,
    shape: list || cols > 1 ? [rows, cols] : [rows],
    dtype,
    rows,
    cols,
    blocks,
    read: () => {
      checkReadable(rows, cols, source.name, name);
      return collectBlocks(handle, source.name, 65536);
    },
  };
  return handle;
}

export async function openParquet(source: ByteSource): Promise<OpenedFile> {
  const name = source.name;
  const file = asyncBuffer(source);
  let metadata: FileMetaData;
  let schema: SchemaTree;
  try {
    metadata = await parquetMetadataAsync(file);
    schema = parquetSchema(metadata);
  } catch (e) {
    throw corrupt(name, e);
  }
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const codec = chunk.meta_data?.codec;
      if (codec && !CODECS.has(codec)) {
        throw new RedundancyLabError('unsupported-format', `column ${chunk.meta_data!.path_in_schema.join('.')} is compressed with ${codec}; we read uncompressed and SNAPPY parquet (pandas/pyarrow default) — re-save with compression='snappy'`, name);
      }
    }
  }
  const rows = Number(metadata.num_rows);
  const layout: Layout = { source, file, metadata, rows };
  const lists: ArrayHandle[] = [];
  const integers: ArrayHandle[] = [];
  const unusable: ArrayHandle[] = [];
  const scalars: { name: string; dtype: string }[] = [];
  for (const child of schema.children) {
    const column = child.element.name;
    const element = listElement(child);
    const dtype = leafDType(child);
    if (element) {
      lists.push(await listArray(layout, column, leafDType(element)!));
    } else if (dtype && child.element.repetition_type !== 'REPEATED') {
      const isInteger = /^u?int/.test(dtype);
      if (!(isInteger && LABEL_COLUMN.test(column))) scalars.push({ name: column, dtype });
      if (isInteger) integers.push(parquetArray(layout, column, [column], false, 1, dtype));
    } else {
      const what = child.element.logical_type?.type ?? child.element.converted_type ?? child.element.type ?? 'nested group';
      unusable.push(unusableArray(column, [rows], String(what).toLowerCase(), new RedundancyLabError('unsupported-dtype', `column ${column} holds ${what} values, not numbers; pick a numeric or list-of-numbers column`, name)));
    }
  }
  const arrays: ArrayHandle[] = [...lists];
  if (scalars.length >= 2 || (scalars.length === 1 && lists.length === 0)) {
    const dtype = scalars.every((s) => s.dtype === scalars[0].dtype) ? scalars[0].dtype : 'float64';
    arrays.push(parquetArray(layout, NUMERIC_COLUMNS, scalars.map((s) => s.name), false, scalars.length, dtype));
  }
  arrays.push(...integers, ...unusable);
  return { fileName: name, byteLength: source.byteLength, format: 'parquet', arrays };
}

/** A list column's width comes from its first row (checked against every other row on read). */
async function listArray(layout: Layout, column: string, dtype: string): Promise<ArrayHandle> {
  let cols = 0;
  if (layout.rows > 0) {
    const [first] = await readRows(layout.file, layout.metadata, [column], 0, 1, layout.source.name);
    cols = (first?.[0] as ArrayLike<unknown> | null)?.length ?? 0;
  }
  return parquetArray(layout, column, [column], true, cols, dtype);
}
