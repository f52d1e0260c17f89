/**
 * Errors cross the worker boundary as plain objects (comlink keeps only name/message/stack of an Error,
 * losing the kind and the file). The worker throws `toErrorPayload(e)`; the client turns it back into a
 * `JobError` the UI can show as one line.
 */
import { isRedundancyLabError } from '../core/lite.ts';
import type { RunResult, WorkerErrorPayload } from './api.ts';

/** What browsers and tfjs say when an allocation fails (WASM memory, ArrayBuffer, GPU buffer). */
const OUT_OF_MEMORY = /out of memory|allocation failed|Array buffer allocation|Cannot enlarge memory|OOM|Failed to allocate/i;

export function toErrorPayload(e: unknown, file?: string): WorkerErrorPayload {
  if (isRedundancyLabError(e)) {
    const err = e as { kind: WorkerErrorPayload['kind']; message: string; file?: string; partial?: unknown };
    const payload: WorkerErrorPayload = { name: 'RedundancyLabError', kind: err.kind, message: err.message, file: err.file ?? file };
    // a cancel carries what was finished before it (a measurement's AAC, LR and the NLR heads trained)
    if (err.kind === 'cancelled' && err.partial) payload.partial = err.partial as RunResult;
    return payload;
  }
  if (isErrorPayload(e)) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const prefix = file ? `${file}: ` : '';
  if (OUT_OF_MEMORY.test(raw) || (e instanceof RangeError && /length|size|allocat/i.test(raw))) {
    return {
      name: 'Error',
      kind: 'too-large',
      message: `${prefix}ran out of memory (${raw}). AAC and LR stream the file in blocks; what needs all rows at once is NLR and the linear probe: set an NLR row cap (Edit settings → NLR → row cap), turn NLR or the probe off, or use the CLI with --nlr-rows.`,
      file,
    };
  }
  return { name: 'Error', kind: 'internal', message: `${prefix}unexpected error: ${raw}`, file };
}

export function isErrorPayload(e: unknown): e is WorkerErrorPayload {
  return (
    typeof e === 'object' &&
    e !== null &&
    !(e instanceof Error) &&
    typeof (e as WorkerErrorPayload).message === 'string' &&
    typeof (e as WorkerErrorPayload).kind === 'string'
  );
}

/** An error from a job, as the UI shows it. */
export class JobError extends Error {
  readonly kind: WorkerErrorPayload['kind'];
  readonly file?: string;
  /** on a cancel: the result finished before it (kind 'cancelled' only) */
  readonly partial?: RunResult;
  constructor(payload: WorkerErrorPayload) {
    super(payload.message);
    this.name = payload.name === 'RedundancyLabError' ? 'RedundancyLabError' : 'JobError';
    this.kind = payload.kind;
    this.file = payload.file;
    this.partial = payload.partial;
  }
}

export function toJobError(e: unknown): JobError {
  if (e instanceof JobError) return e;
  return new JobError(toErrorPayload(e));
}
