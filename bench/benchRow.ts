/** One line of the benchmark table (`npm run bench`). */
export interface BenchRow {
  /** what was timed, e.g. "NLR, batched heads (32 per batch)" */
  operation: string;
  /** problem size, e.g. "10,000×512" */
  size: string;
  /** tfjs backend name, or 'js' for plain JavaScript */
  backend: string;
  /** wall time of the whole operation */
  ms: number;
  gflops: number | null;
  /** comparison with a reference measured in the same run, in words */
  ratio: string | null;
  /** peak resident memory of the process while it ran (Node only) */
  peakMemMb: number | null;
}
