/**
 * The one byte-range interface every reader reads through (a `File`/`Blob` in the browser,
 * a file path in Node), modelled on hyparquet's AsyncBuffer so hyparquet can use it directly.
 */
export interface ByteSource {
  /** File name as the user knows it (used in every error message). */
  readonly name: string;
  readonly byteLength: number;
  /** Bytes [start, end). Must not read more than asked. */
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

/** A row-major float32 matrix: `rows` samples × `cols` dims. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

/** A block of consecutive rows of a larger matrix. */
export interface RowBlock extends Matrix {
  /** index of this block's first row in the whole array */
  readonly rowStart: number;
}

export type FileFormat = 'npy' | 'npz' | 'safetensors' | 'torch' | 'text' | 'parquet';

/** One array inside a file (a file may hold several: npz, pt, safetensors, parquet). */
export interface ArrayHandle {
  /** name inside the file ('' for a bare .npy / text file) */
  readonly name: string;
  /** shape as stored, e.g. [10000, 512] or [10000, 8, 8] */
  readonly shape: readonly number[];
  /** dtype as stored, in NumPy spelling: 'float32', 'float16', 'bfloat16', 'int64', … */
  readonly dtype: string;
  /** rows = shape[0]; cols = product of the rest (1 for a 1-D array) */
  readonly rows: number;
  readonly cols: number;
  /**
   * Set when the array is listed but cannot be read (non-numeric parquet column, object dtype
   * in an npz, 0-D scalar): says why. `read()`/`blocks()` then throw the matching error.
   */
  readonly unusable?: string;
  /** The whole array, converted to float32 and flattened to rows × cols (Fortran order transposed). */
  read(): Promise<Matrix>;
  /** Streams the array in blocks of at most `rowsPerBlock` rows, in order; a block's data may be a view of a buffer kept for the next pass: read it, do not write it. */
  blocks(rowsPerBlock: number): AsyncIterable<RowBlock>;
}

export interface OpenedFile {
  readonly fileName: string;
  readonly byteLength: number;
  readonly format: FileFormat;
  readonly arrays: readonly ArrayHandle[];
}
