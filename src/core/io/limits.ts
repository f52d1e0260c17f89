/**
 * Size caps that protect the tab (or the CLI process) from files whose headers promise
 * more than we should allocate. They are checked against declared sizes before any allocation.
 */

/** Largest matrix `read()` will materialise (elements; 2^30 float32 = 4 GiB). Use `blocks()` beyond it. */
export const MAX_READ_ELEMENTS = 2 ** 30;

/** Default cap on a zip entry's declared uncompressed size (zip-bomb guard). */
export const DEFAULT_MAX_ENTRY_BYTES = 4 * 2 ** 30;

/** Bytes read per range request when a reader walks an array or a text file. */
export const CHUNK_BYTES = 4 * 2 ** 20;

/** A pickle (torch `data.pkl`) larger than this is not a tensor index; refuse before reading it. */
export const MAX_PICKLE_BYTES = 256 * 2 ** 20;

/** A safetensors JSON header larger than this is refused (the format itself caps it at 100 MB). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100 * 2 ** 20;
