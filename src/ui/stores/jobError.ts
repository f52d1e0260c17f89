/**
 * A failed job as the page shows it: its kind and one line. The client rejects with JobErrors (kind + message);
 * anything else reads as the worker's own "unexpected error" would. Here rather than importing the worker's
 * errorPayload.ts: the page reaches the worker only through client.ts and the api.ts types.
 */
import type { RunResult, WorkerErrorPayload } from '../../worker/api.ts';

export interface JobFailure {
  kind: WorkerErrorPayload['kind'];
  message: string;
  /** a cancelled measurement's finished part (AAC, LR, the NLR dims trained), to keep */
  partial?: RunResult;
}

export function jobFailure(e: unknown): JobFailure {
  const r = e as Partial<JobFailure> | null;
  if (typeof r === 'object' && r !== null && typeof r.kind === 'string' && typeof r.message === 'string') return { kind: r.kind, message: r.message, partial: r.partial };
  return { kind: 'internal', message: `unexpected error: ${e instanceof Error ? e.message : String(e)}` };
}
