/**
 * The run bar's job: one job at a time — which file of how many is running, one progress fraction for the whole
 * job (it never goes back, however many files, passes and sub-jobs it has), its time left, and cancelling. What
 * each step does is the caller's (runs.svelte.ts).
 *
 * While a job runs, leaving the page asks first (`beforeunload`), and a small marker in localStorage says a run
 * is going on; the marker is removed when the job ends, so one found at start-up is a run that a reload (or a
 * closed or crashed tab) interrupted: `interrupted` describes it for the page to say so and offer the rest.
 */
import type { MeasureSettings } from '../../core/lite.ts';
import type { JobProgress } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { Fingerprint } from '../persist/fingerprint.ts';
import type { NoticeStore } from './notice.svelte.ts';

export type Outcome = 'ok' | 'skipped' | 'failed' | 'cancelled';

/** One step of a job: a file (its entry's key), what share of the job it is, and which pass of the job it belongs to. */
export interface JobStep {
  key: string;
  /** share of the whole job (any unit; default 1): estimated seconds, so the fraction tracks time */
  weight?: number;
  /** 0-based pass of a job that measures the files more than once (the demo: a first look, then NLR) */
  phase?: number;
}

/** A file of a run, as the interrupted-run marker keeps it (never its data). */
export interface MarkedFile {
  name: string;
  array: string | null;
  fingerprint: Fingerprint | null;
  demo: boolean;
  /** measured (and saved) before the job ended */
  done: boolean;
}

/** What localStorage keeps while a run goes on. */
export interface RunMarker {
  startedAt: string;
  /** last heartbeat of the page running it (ms since the epoch): a marker that stopped beating is an interrupted run */
  aliveAt: number;
  /** set when the page was left (reload, closed tab) while the run went on */
  leftAt?: number;
  settings: MeasureSettings;
  files: MarkedFile[];
}

/** Where the marker lives (localStorage in the page; a test passes a map). */
export type MarkerStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const RUN_MARKER_KEY = 'redundancy-lab:run-in-progress';
/** How often a running page refreshes its marker, and how old a marker must be to count as interrupted. */
export const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 30_000;
/** The whole-job ETA follows the job's own pace from this far on; before, the up-front estimate. */
const ETA_FROM_FRACTION = 0.02;
const ETA_FROM_MS = 3_000;

export interface SequenceOptions {
  /** passes in the job (the run bar says "pass 2 of 2"), and what each one does ("first look (AAC + LR)") */
  phases?: number;
  phaseLabels?: string[];
  /** the up-front estimate of the whole job (ms): the time left until the job's own pace says better */
  estimateMs?: number | null;
  /** what to keep in the interrupted-run marker; none: no marker (split CI) */
  marker?: { settings: MeasureSettings; files: (Omit<MarkedFile, 'done'> & { key: string })[] };
  /**
   * Awaited before step i runs (and once after the last): it may insert steps at index i or later into `queue`,
   * which the job then runs too (the demo adds its files as they arrive). The bar's total grows with them.
   */
  beforeStep?: (i: number) => Promise<void>;
}

function defaultStorage(): MarkerStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // private mode, or no DOM (tests)
  }
}

function readMarker(storage: MarkerStorage | null): RunMarker | null {
  try {
    const raw = storage?.getItem(RUN_MARKER_KEY);
    if (!raw) return null;
    const m = JSON.parse(raw) as RunMarker;
    return m && Array.isArray(m.files) && typeof m.aliveAt === 'number' && m.settings ? m : null;
  } catch {
    return null;
  }
}

export class RunState {
  active = $state(false);
  fileKey = $state<string | null>(null);
  /** index of the running file within its pass, and the files in that pass */
  fileIndex = $state(0);
  fileCount = $state(0);
  /** the pass of the job running (0-based) and how many it has */
  phase = $state(0);
  phaseCount = $state(1);
  /** what the running pass does, when the job has several */
  phaseLabel = $state<string | null>(null);
  /** the running step's own progress (its stage message) */
  progress = $state.raw<JobProgress | null>(null);
  /** the whole job, 0..1, never decreasing */
  fraction = $state(0);
  /** time left of the whole job (ms), null when unknown */
  etaMs = $state<number | null>(null);
  cancelling = $state(false);
  /** a run that was going on when the page was last left (reload, closed or crashed tab) */
  interrupted = $state.raw<RunMarker | null>(null);
  #stopRequested = false;
  #startedAt = 0;
  #estimateMs: number | null = null;
  #marker: RunMarker | null = null;
  #markerKeys: string[] = [];
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  #unloadTarget: EventTarget | null = null;
  readonly #storage: MarkerStorage | null;
  readonly #now: () => number;

  constructor(
    private readonly client: Pick<MeasureClient, 'cancel'>,
    private readonly notice: NoticeStore,
    options: { storage?: MarkerStorage | null; now?: () => number } = {},
  ) {
    this.#storage = options.storage === undefined ? defaultStorage() : options.storage;
    this.#now = options.now ?? (() => Date.now());
    const found = readMarker(this.#storage);
    // a marker still beating belongs to a run in another tab: not interrupted
    if (found && (found.leftAt !== undefined || this.#now() - found.aliveAt > STALE_AFTER_MS)) this.interrupted = found;
  }

  /** The user pressed Cancel during the current (or last) job. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /**
   * While a job runs, leaving the page (reload, close, navigate away) asks first: `beforeunload` is listened to on
   * `target` (the window) only while a job is active. Leaving anyway marks the run as interrupted (`pagehide`).
   */
  guardUnload(target: EventTarget): () => void {
    this.#unloadTarget = target;
    if (this.active) target.addEventListener('beforeunload', this.#onBeforeUnload);
    target.addEventListener('pagehide', this.#onPageHide);
    return () => {
      target.removeEventListener('beforeunload', this.#onBeforeUnload);
      target.removeEventListener('pagehide', this.#onPageHide);
      if (this.#unloadTarget === target) this.#unloadTarget = null;
    };
  }

  readonly #onBeforeUnload = (event: Event) => {
    if (!this.active) return;
    event.preventDefault();
    try {
      (event as BeforeUnloadEvent).returnValue = ''; // older browsers ask only when it is set
    } catch {
      // a plain Event (tests): preventDefault is the standard way
    }
  };

  readonly #onPageHide = () => {
    if (!this.active || !this.#marker) return;
    this.#marker.leftAt = this.#now();
    this.#writeMarker();
  };

  /** Forgets the interrupted run (the notice's "Dismiss", or its files run again). */
  dismissInterrupted(): void {
    if (!this.interrupted) return;
    this.interrupted = null;
    if (!this.active) this.#removeMarker();
  }

  /**
   * Runs `each` over the steps one after another as the run bar's job: progress of the current step within the
   * whole job, a cancel stops between (and inside) steps, and the run state is reset however it ends.
   */
  async sequence<F extends JobStep>(
    queue: readonly F[],
    each: (f: F, onProgress: (p: JobProgress) => void) => Promise<Outcome>,
    options: SequenceOptions = {},
  ): Promise<{ failures: number }> {
    this.#stopRequested = false;
    this.notice.clear();
    this.active = true;
    this.cancelling = false;
    this.fraction = 0;
    this.etaMs = options.estimateMs ?? null;
    this.phaseCount = Math.max(1, options.phases ?? 1);
    this.#startedAt = this.#now();
    this.#estimateMs = options.estimateMs ?? null;
    this.#unloadTarget?.addEventListener('beforeunload', this.#onBeforeUnload);
    if (options.marker) this.#startMarker(options.marker);
    const weightOf = (f: F) => Math.max(0, f.weight ?? 1);
    let before = 0;
    let failures = 0;
    try {
      for (let i = 0; ; i++) {
        if (options.beforeStep && !this.#stopRequested) await options.beforeStep(i);
        if (i >= queue.length || this.#stopRequested) break;
        const f = queue[i];
        const total = queue.reduce((t, g) => t + weightOf(g), 0) || 1;
        const phase = f.phase ?? 0;
        const inPhase = queue.filter((g) => (g.phase ?? 0) === phase);
        this.fileKey = f.key;
        this.phase = phase;
        this.phaseLabel = options.phaseLabels?.[phase] ?? null;
        this.fileIndex = inPhase.indexOf(f);
        this.fileCount = inPhase.length;
        this.progress = null;
        const share = weightOf(f);
        const start = before;
        const outcome = await each(f, (p) => {
          if (this.fileKey !== f.key || !this.active) return;
          this.progress = p;
          this.#advance((start + share * Math.min(1, Math.max(0, p.fraction))) / total);
        });
        before += share;
        this.#advance(before / total);
        // a file measured in several passes is done after its last one
        if (outcome === 'ok' && !queue.slice(i + 1).some((g) => g.key === f.key)) this.#markDone(f.key);
        if (outcome === 'cancelled') break;
        if (outcome === 'failed') failures += 1;
      }
    } finally {
      this.active = false;
      this.fileKey = null;
      this.progress = null;
      this.cancelling = false;
      this.etaMs = null;
      this.phaseLabel = null;
      this.#unloadTarget?.removeEventListener('beforeunload', this.#onBeforeUnload);
      this.#endMarker();
      if (this.#stopRequested) this.notice.info('Cancelled. Results measured before the cancel are kept.');
    }
    return { failures };
  }

  /** The whole job's fraction moves forward only; its time left from its own pace once that means something. */
  #advance(fraction: number): void {
    if (!(fraction > this.fraction)) return;
    this.fraction = Math.min(1, fraction);
    const elapsed = this.#now() - this.#startedAt;
    if (this.fraction >= ETA_FROM_FRACTION && elapsed >= ETA_FROM_MS) this.etaMs = this.fraction < 1 ? (elapsed / this.fraction) * (1 - this.fraction) : 0;
    else if (this.#estimateMs !== null) this.etaMs = Math.max(0, this.#estimateMs * (1 - this.fraction));
  }

  async cancel(): Promise<void> {
    if (!this.active) return;
    this.#stopRequested = true;
    this.cancelling = true;
    await this.client.cancel();
  }

  #startMarker(m: NonNullable<SequenceOptions['marker']>): void {
    this.interrupted = null;
    this.#markerKeys = m.files.map((f) => f.key);
    this.#marker = {
      startedAt: new Date(this.#now()).toISOString(),
      aliveAt: this.#now(),
      settings: m.settings,
      files: m.files.map(({ key: _key, ...f }) => ({ ...f, done: false })),
    };
    this.#writeMarker();
    this.#heartbeat = setInterval(() => {
      if (!this.#marker) return;
      this.#marker.aliveAt = this.#now();
      this.#writeMarker();
    }, HEARTBEAT_MS);
  }

  #markDone(key: string): void {
    const i = this.#markerKeys.indexOf(key);
    if (!this.#marker || i < 0) return;
    this.#marker.files[i].done = true;
    this.#marker.aliveAt = this.#now();
    this.#writeMarker();
  }

  #endMarker(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    if (!this.#marker) return;
    this.#marker = null;
    this.#markerKeys = [];
    this.#removeMarker();
  }

  #writeMarker(): void {
    try {
      this.#storage?.setItem(RUN_MARKER_KEY, JSON.stringify(this.#marker));
    } catch {
      // storage full or off: the run goes on; only the reload notice is lost
    }
  }

  #removeMarker(): void {
    try {
      this.#storage?.removeItem(RUN_MARKER_KEY);
    } catch {
      // as above
    }
  }
}
