/**
 * The run bar's job: which file of how many is running, its progress, and cancelling. One job at a time;
 * what each file's job does is the caller's (runs.svelte.ts).
 */
import type { JobProgress } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { NoticeStore } from './notice.svelte.ts';

export type Outcome = 'ok' | 'skipped' | 'failed' | 'cancelled';

export class RunState {
  active = $state(false);
  fileKey = $state<string | null>(null);
  fileIndex = $state(0);
  fileCount = $state(0);
  progress = $state.raw<JobProgress | null>(null);
  cancelling = $state(false);
  #stopRequested = false;

  constructor(
    private readonly client: Pick<MeasureClient, 'cancel'>,
    private readonly notice: NoticeStore,
  ) {}

  /** The user pressed Cancel during the current (or last) job. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /**
   * Runs `each` over the files one after another as the run bar's job: progress of the current file, a
   * cancel stops between (and inside) files, and the run state is reset however it ends.
   */
  async sequence<F extends { key: string }>(
    queue: readonly F[],
    each: (f: F, onProgress: (p: JobProgress) => void) => Promise<Outcome>,
  ): Promise<{ failures: number }> {
    this.#stopRequested = false;
    this.notice.clear();
    this.active = true;
    this.cancelling = false;
    this.fileCount = queue.length;
    let failures = 0;
    try {
      for (const [i, f] of queue.entries()) {
        if (this.#stopRequested) break;
        this.fileKey = f.key;
        this.fileIndex = i;
        this.progress = null;
        const outcome = await each(f, (p) => {
          if (this.fileKey === f.key) this.progress = p;
        });
        if (outcome === 'cancelled') break;
        if (outcome === 'failed') failures += 1;
      }
    } finally {
      this.active = false;
      this.fileKey = null;
      this.progress = null;
      this.cancelling = false;
      if (this.#stopRequested) this.notice.info('Cancelled. Results measured before the cancel are kept.');
    }
    return { failures };
  }

  async cancel(): Promise<void> {
    if (!this.active) return;
    this.#stopRequested = true;
    this.cancelling = true;
    await this.client.cancel();
  }
}
