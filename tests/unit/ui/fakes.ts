/** A fake measure client and saved-results store for the UI stores' tests (Node, no worker, no IndexedDB). */
import type { ArraySummary, CkaComparison, FileSummary, FinishedNlrDims, JobProgress, LabelsRef, MeasureSettings, MeasureSplit, ProbeRunResult, RunResult, ShardPart, SplitSpreads } from '../../../src/worker/api.ts';
import type { AppClient } from '../../../src/ui/stores/create.ts';
import type { SavedRecord } from '../../../src/ui/persist/records.ts';
import type { ResultStore } from '../../../src/ui/persist/resultStore.ts';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** What the real client rejects with: a JobError (an Error with a kind). */
export function jobError(kind: string, message: string): Error & { kind: string } {
  return Object.assign(new Error(message), { kind });
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export const embedding = (rows = 100, cols = 8, name = 'x'): ArraySummary => ({ name, shape: [rows, cols], dtype: 'float32', rows, cols });
export const labelsArray = (rows = 100, name = 'y'): ArraySummary => ({ name, shape: [rows], dtype: 'int64', rows, cols: 1 });

export function fakeResult(array: string, settings: MeasureSettings): RunResult {
  return { array, settings, n: 100, d: 8, deadDims: [], splitDegenerateDims: [], aac: { value: 0.25 }, lr: { value: 0.5 }, nlr: null } as unknown as RunResult;
}

export function fakeProbe(array: string, labelsSource: string, split: MeasureSplit): ProbeRunResult {
  return { accuracy: 0.9, array, labelsSource, splitSeed: split.splitSeed, testFraction: split.testFraction } as unknown as ProbeRunResult;
}

/** What the page passes a measure job besides the file: the provisional-result callback and the NLR resume options. */
export interface MeasureCall {
  onExact?: (partial: RunResult) => void;
  options?: { resume?: FinishedNlrDims | null; onNlrHeads?: (finished: FinishedNlrDims) => void };
}

type Job = { kind: 'measure' | 'probe' | 'splitSpread'; fileId: string; array: string; done: Deferred<unknown>; onProgress?: (p: JobProgress) => void } & MeasureCall;

/**
 * Jobs resolve at once (a result for measure, an accuracy for probe) unless `manual` is set: then each waits
 * in `jobs` for the test to resolve or reject it. `fail` makes jobs of a file id fail with that error.
 */
export class FakeClient implements AppClient {
  onBackend: AppClient['onBackend'] = null;
  onBackendError: AppClient['onBackendError'] = null;
  onRecovered: AppClient['onRecovered'] = null;
  manual = false;
  jobs: Job[] = [];
  log: string[] = [];
  closed: string[] = [];
  /** arrays of each file by name (default: one 100×8 embedding) */
  arrays = new Map<string, ArraySummary[]>();
  fail = new Map<string, Error>();
  /** what combineShards does (default: a 2-D set of the shards' rows) */
  combineError: Error | null = null;
  backendsSet: (string | undefined)[] = [];
  /** what a cancelled measure job hands back as finished (as the real one does after LR) */
  cancelPartial: RunResult | null = null;
  private nextId = 1;

  async openFile(file: File): Promise<FileSummary> {
    const arrays = this.arrays.get(file.name) ?? [embedding()];
    const id = `f${this.nextId++}`;
    this.log.push(`open ${file.name}`);
    const big = arrays.find((a) => a.shape.length >= 2 && !a.unusable);
    const labels = arrays.find((a) => a.shape.length === 1 && !a.unusable);
    return { id, name: file.name, byteLength: file.size, format: 'npy', arrays, defaultEmbedding: big?.name ?? null, defaultLabels: big && labels ? labels.name : null } as FileSummary;
  }

  closeFile(id: string): void {
    this.closed.push(id);
  }

  async combineShards(name: string, parts: ShardPart[]): Promise<FileSummary> {
    this.log.push(`combine ${name}: ${parts.map((p) => p.fileId).join(',')}`);
    if (this.combineError) throw this.combineError;
    const rows = 100 * parts.length;
    return { id: `s${this.nextId++}`, name, byteLength: 0, format: 'npy', arrays: [embedding(rows)], defaultEmbedding: 'x', defaultLabels: null } as FileSummary;
  }

  private job<T>(kind: Job['kind'], fileId: string, array: string, value: () => T, onProgress?: (p: JobProgress) => void, call: MeasureCall = {}): Promise<T> {
    this.log.push(`${kind} ${fileId}`);
    const failure = this.fail.get(fileId);
    if (!this.manual) return failure ? Promise.reject(failure) : Promise.resolve(value());
    const done = deferred<unknown>();
    this.jobs.push({ kind, fileId, array, done, onProgress, ...call });
    return done.promise as Promise<T>;
  }

  /** the resume option of every measure job, in order */
  resumes: (FinishedNlrDims | null)[] = [];

  measure(fileId: string, array: string, settings: MeasureSettings, onProgress?: (p: JobProgress) => void, onExact?: MeasureCall['onExact'], options?: MeasureCall['options']): Promise<RunResult> {
    this.resumes.push(options?.resume ?? null);
    return this.job('measure', fileId, array, () => fakeResult(array, settings), onProgress, { onExact, options });
  }

  probe(fileId: string, array: string, labels: LabelsRef, split: MeasureSplit, onProgress?: (p: JobProgress) => void): Promise<ProbeRunResult> {
    return this.job('probe', fileId, array, () => fakeProbe(array, `array '${labels.arrayName}'`, split), onProgress);
  }

  splitSpread(fileId: string, array: string, _settings: MeasureSettings, k: number, onProgress?: (p: JobProgress) => void): Promise<SplitSpreads> {
    return this.job('splitSpread', fileId, array, () => ({ lr: { k } }) as unknown as SplitSpreads, onProgress);
  }

  /** the arrays of every compare job */
  compared: { fileId: string; arrayName: string }[][] = [];

  compare(items: { fileId: string; arrayName: string }[]): Promise<CkaComparison> {
    this.compared.push(items);
    const k = items.length;
    const eye = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0.5)));
    return this.job('measure', items[0].fileId, items[0].arrayName, () => ({ files: items.map((i) => i.fileId), n: 100, d: items.map(() => 8), linearCka: eye, linearCkaDebiased: eye }));
  }

  /** As the real client: the running job rejects as cancelled. */
  async cancel(): Promise<void> {
    this.log.push('cancel');
    for (const j of this.jobs.splice(0)) j.done.reject(Object.assign(jobError('cancelled', 'cancelled by the user'), this.cancelPartial ? { partial: this.cancelPartial } : {}));
  }

  async setBackend(force?: string): Promise<never> {
    this.backendsSet.push(force);
    throw new Error('the fake has no worker');
  }

  /** The oldest waiting job (manual mode). */
  next(): Job {
    const j = this.jobs.shift();
    if (!j) throw new Error('no job waiting');
    return j;
  }
}

/** An in-memory ResultStore; `failPut` makes saving fail as a full quota would. */
export class MemoryStore implements ResultStore {
  records = new Map<string, SavedRecord>();
  failPut = false;
  async list() {
    return [...this.records.values()].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }
  async put(records: SavedRecord[]) {
    if (this.failPut) throw new Error('quota exceeded');
    for (const r of records) this.records.set(r.id, r);
  }
  async remove(id: string) {
    this.records.delete(id);
  }
}
