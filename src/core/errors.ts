/**
 * Errors a researcher can act on. Every reader, measure and CLI path throws one of these
 * (never a bare Error) so the UI and the CLI can show one specific line: what is wrong,
 * which file, what to do.
 */
export type ErrorKind =
  | 'unsupported-format' // content not recognised
  | 'corrupt-file' // truncated, header lying about its size, bad offsets
  | 'unsupported-dtype' // object/complex/string arrays
  | 'bad-shape' // 0-D, 1-D embeddings, N < 2 …
  | 'bad-values' // NaN / Inf
  | 'unsafe-pickle' // a pickle that tries to call something outside the tensor allow-list
  | 'too-large' // declared size above what we will allocate
  | 'bad-labels' // wrong length / non-integer labels
  | 'bad-option' // a CLI / settings value that makes no sense
  | 'cancelled'
  | 'backend'; // no compute backend passed its self-test

export class RedundancyLabError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'RedundancyLabError';
  }
}

export function isRedundancyLabError(e: unknown): e is RedundancyLabError {
  return e instanceof RedundancyLabError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'RedundancyLabError');
}

export class CancelledError extends RedundancyLabError {
  /**
   * @param partial what was finished before the cancel (a measurement's AAC and LR, the NLR heads trained so far),
   *   for the caller to keep — marked partial by whoever built it
   */
  constructor(readonly partial?: unknown) {
    super('cancelled', 'cancelled by the user');
  }
}

/** Throws CancelledError when the signal has fired; call between blocks and epochs. */
export function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}
