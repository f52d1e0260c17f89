/**
 * The page's only way to talk to the measure worker. It keeps the `File` objects (references, not bytes), so
 * when a job has to be stopped hard (the worker is terminated because it did not answer a cancel within a
 * second) a fresh worker takes over and reopens the files on demand; results already on the page are untouched.
 */
import * as Comlink from 'comlink';
import type { BackendInfo, BackendName, CkaComparison, FileSummary, FinishedNlrDims, JobProgress, LabelsRef, MeasureSettings, MeasureSplit, ProbeRunResult, RunResult, ShardPart, SplitSpreads } from './api.ts';
import type { MachineRates } from '../core/index.ts';
import { JobError, toJobError } from './errorPayload.ts';
// type only: the worker's API as it implements it (erased at build time; the worker stays its own bundle)
import type { MeasureWorkerApi } from './measure.worker.ts';

/** Where a job goes when its worker crashed or lost its GPU device. */
const NEXT_BACKEND: Record<BackendName, BackendName | undefined> = { webgpu: 'webgl', webgl: 'wasm', wasm: 'cpu', cpu: undefined };

/** How long a cooperative cancel may take before the worker is terminated. */
const HARD_STOP_AFTER_MS = 1000;

interface RunningJob {
  reject: (e: unknown) => void;
  done: Promise<unknown>;
}

function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function cancelledError(fileName?: string): JobError {
  return new JobError({ name: 'RedundancyLabError', kind: 'cancelled', message: `${fileName ? `${fileName}: ` : ''}cancelled by the user`, file: fileName });
}

export class MeasureClient {
  private worker!: Worker;
  private remote!: Comlink.Remote<MeasureWorkerApi>;
  private ready!: Promise<BackendInfo>;
  /** files the page has added, by id */
  private readonly files = new Map<string, File>();
  /** sharded sets, by id: what a fresh worker needs to register them again */
  private readonly sets = new Map<string, { name: string; parts: ShardPart[] }>();
  /** ids opened in the current worker */
  private readonly openInWorker = new Set<string>();
  private running: RunningJob | null = null;
  private nextId = 1;
  /** called whenever a fresh worker has picked its backend */
  onBackend: ((info: BackendInfo) => void) | null = null;
  /** called after a crashed or device-lost job was rerun on another backend, with what happened */
  onRecovered: ((message: string) => void) | null = null;
  /** the backend the current worker picked (what a recovery falls back from) */
  private lastBackend: BackendName | null = null;
  onBackendError: ((e: JobError) => void) | null = null;

  constructor(
    private force?: BackendName,
    private readonly wasmThreads?: number,
    /** how a worker is made (unit tests pass a fake that speaks comlink) */
    private readonly createWorker: () => Worker = () => new Worker(new URL('./measure.worker.ts', import.meta.url), { type: 'module', name: 'measure' }),
  ) {
    this.start();
  }

  /** The backend the current worker runs on (waits for it to be chosen). */
  backend(): Promise<BackendInfo> {
    return this.ready;
  }

  /**
   * The current worker's rates (its backend's matMul and the float64 kernel, timed once when it started), for
   * estimating a job's time; null where timing failed. A restarted worker times its own.
   */
  async rates(): Promise<MachineRates | null> {
    const remote = this.remote;
    await this.ready.catch(() => undefined);
    return remote === this.remote ? this.remote.rates().catch(() => null) : this.rates();
  }

  /** Restarts the worker on another backend (undefined = let it choose). */
  async setBackend(force?: BackendName): Promise<BackendInfo> {
    if (this.running) await this.cancel();
    this.force = force;
    this.restart();
    return this.ready;
  }

  async openFile(file: File): Promise<FileSummary> {
    const id = `f${this.nextId++}`;
    this.files.set(id, file);
    try {
      const summary = await this.remote.openFile(file, id);
      this.openInWorker.add(id);
      return summary;
    } catch (e) {
      this.files.delete(id);
      throw toJobError(e);
    }
  }

  /**
   * Registers opened files as the shards of one set (in this order), measured like a file under the id returned.
   * The shard files stay open (the set can be split back). Throws the worker's error, e.g. shards of different D.
   */
  async combineShards(name: string, parts: ShardPart[]): Promise<FileSummary> {
    const id = `s${this.nextId++}`;
    const spec = { name, parts: plain(parts) };
    try {
      for (const p of parts) await this.ensureOpen(p.fileId);
      const summary = await this.remote.combineShards(id, name, spec.parts);
      this.sets.set(id, spec);
      this.openInWorker.add(id);
      return summary;
    } catch (e) {
      throw toJobError(e);
    }
  }

  closeFile(id: string): void {
    this.files.delete(id);
    this.sets.delete(id);
    if (this.openInWorker.delete(id)) void this.remote.closeFile(id);
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Measures one array. The NLR heads come back as they finish and are kept here, so if the worker crashes or loses
   * its GPU device mid-NLR, the rerun on the next backend trains only the heads not finished yet. `onExact` receives
   * the provisional result (AAC, LR, extras: final) as soon as LR is done, before NLR and the null baseline.
   * `resume`: heads an earlier job with the same file and settings finished (saved before a reload or a cancel);
   * `onNlrHeads` gets every head finished so far (resume included) each time a group finishes, for the page to save.
   */
  measure(
    fileId: string,
    arrayName: string,
    settings: MeasureSettings,
    onProgress?: (p: JobProgress) => void,
    onExact?: (partial: RunResult) => void,
    options: { resume?: FinishedNlrDims | null; onNlrHeads?: (finished: FinishedNlrDims) => void } = {},
  ): Promise<RunResult> {
    const finished: FinishedNlrDims = { dims: [], heldOutR2: [], trainingState: [], scoredEpoch: [], lossByEpoch: [], monitorByEpoch: [] };
    const add = (h: FinishedNlrDims) => {
      for (const key of Object.keys(finished) as (keyof FinishedNlrDims)[]) (finished[key] as unknown[]).push(...h[key]);
    };
    if (options.resume) add(options.resume);
    const onHeads = Comlink.proxy((h: FinishedNlrDims) => {
      add(h);
      options.onNlrHeads?.(structuredClone(finished));
    });
    return this.job(
      fileId,
      (progress) =>
        this.remote.measure(fileId, arrayName, plain(settings), progress, onHeads, finished.dims.length > 0 ? plain(finished) : undefined, onExact && Comlink.proxy((r: RunResult) => onExact(r))),
      onProgress,
    );
  }

  /** Linear-probe accuracy of `arrayName` with the labels at `labels` (another opened file, or the same). */
  probe(fileId: string, arrayName: string, labels: LabelsRef, split: MeasureSplit, onProgress?: (p: JobProgress) => void): Promise<ProbeRunResult> {
    return this.job([fileId, labels.fileId], (progress) => this.remote.probe(fileId, arrayName, plain(labels), { splitSeed: split.splitSeed, testFraction: split.testFraction }, progress), onProgress);
  }

  /** Linear CKA between every pair of these arrays (the same rows in each). */
  compare(items: { fileId: string; arrayName: string }[], onProgress?: (p: JobProgress) => void): Promise<CkaComparison> {
    return this.job(
      items.map((i) => i.fileId),
      (progress) => this.remote.compare(items.map((i) => ({ ...i })), progress),
      onProgress,
    );
  }

  splitSpread(fileId: string, arrayName: string, settings: MeasureSettings, k: number, onProgress?: (p: JobProgress) => void): Promise<SplitSpreads> {
    return this.job(fileId, (progress) => this.remote.splitSpread(fileId, arrayName, plain(settings), k, progress), onProgress);
  }

  /**
   * Runs one job; if the worker crashed or its GPU device was lost, starts a fresh worker on the next backend
   * of the chain (WebGPU → WebGL → WASM → CPU), reopens the files and reruns the job once, and says so.
   */
  private async job<T>(fileIds: string | string[], call: (progress?: (p: JobProgress) => void) => Promise<T>, onProgress?: (p: JobProgress) => void): Promise<T> {
    try {
      return await this.jobOnce(fileIds, call, onProgress);
    } catch (e) {
      const err = toJobError(e);
      if (err.kind !== 'worker-crashed' && err.kind !== 'device-lost') throw err;
      const from = this.lastBackend;
      const next = from ? NEXT_BACKEND[from] : undefined;
      if (!next) throw err;
      this.force = next;
      this.restart();
      const info = await this.ready;
      const result = await this.jobOnce(fileIds, call, onProgress);
      this.onRecovered?.(`${err.message} on ${from!.toUpperCase()}; restarted on ${info.name.toUpperCase()} and ran the job again.`);
      return result;
    }
  }

  /** Test hook (see MeasureWorkerApi.injectFault). */
  async injectFault(kind: 'crash' | 'device-lost'): Promise<void> {
    await this.ready;
    await this.remote.injectFault(kind);
  }

  /** Runs one job in the worker (reopening its files in a fresh worker if needed); one job at a time. */
  private async jobOnce<T>(fileIds: string | string[], call: (progress?: (p: JobProgress) => void) => Promise<T>, onProgress?: (p: JobProgress) => void): Promise<T> {
    if (this.running) throw new JobError({ name: 'Error', kind: 'bad-option', message: 'another job is still running' });
    let rejectOutside!: (e: unknown) => void;
    const outside = new Promise<never>((_, reject) => (rejectOutside = reject));
    const work = (async () => {
      await this.ready.catch((e) => {
        throw toJobError(e);
      });
      for (const id of new Set(typeof fileIds === 'string' ? [fileIds] : fileIds)) await this.ensureOpen(id);
      return call(onProgress ? Comlink.proxy(onProgress) : undefined);
    })();
    const done = Promise.race([work, outside]);
    const job: RunningJob = { reject: rejectOutside, done: done.catch(() => undefined) };
    this.running = job;
    try {
      return await done;
    } catch (e) {
      throw toJobError(e);
    } finally {
      if (this.running === job) this.running = null;
      work.catch(() => undefined);
    }
  }

  /** A restarted worker has forgotten the files: reopen from the kept `File` (headers only), and sets from their shards. */
  private async ensureOpen(fileId: string): Promise<void> {
    if (this.openInWorker.has(fileId)) return;
    const set = this.sets.get(fileId);
    if (set) {
      for (const p of set.parts) await this.ensureOpen(p.fileId);
      await this.remote.combineShards(fileId, set.name, set.parts);
      this.openInWorker.add(fileId);
      return;
    }
    const file = this.files.get(fileId);
    if (!file) throw new JobError({ name: 'Error', kind: 'bad-option', message: 'this file was removed' });
    await this.remote.openFile(file, fileId);
    this.openInWorker.add(fileId);
  }

  /**
   * Stops the running job: a cooperative cancel first; if the job has not stopped within a second, the worker
   * is terminated and a fresh one started. Resolves once the job has stopped.
   */
  async cancel(): Promise<void> {
    const job = this.running;
    if (!job) return;
    void this.remote.cancel().catch(() => undefined);
    const stopped = await Promise.race([
      job.done.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), HARD_STOP_AFTER_MS)),
    ]);
    if (stopped) return;
    job.reject(cancelledError());
    this.restart();
  }

  dispose(): void {
    this.worker.terminate();
  }

  private start(): void {
    this.worker = this.createWorker();
    this.remote = Comlink.wrap<MeasureWorkerApi>(this.worker);
    this.openInWorker.clear();
    const worker = this.worker;
    worker.addEventListener('error', (event) => {
      if (worker !== this.worker) return;
      const running = this.running;
      const message = `the measure worker crashed (${event.message || 'no details'})`;
      const err = new JobError({ name: 'Error', kind: 'worker-crashed', message });
      if (!running) {
        this.onBackendError?.(err);
        return;
      }
      running.reject(err); // job() restarts the worker on the next backend and reruns
    });
    this.ready = this.remote.init(this.force, this.wasmThreads).then(
      (info) => {
        this.lastBackend = info.name;
        this.onBackend?.(info);
        return info;
      },
      (e) => {
        const err = toJobError(e);
        this.onBackendError?.(err);
        throw err;
      },
    );
    this.ready.catch(() => undefined);
  }

  private restart(): void {
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
    this.start();
  }
}
