/**
 * Turns the core's progress callbacks (which may fire thousands of times) into at most one message per
 * `intervalMs`, each with the elapsed time and an estimate of the time left.
 */
import type { Progress } from '../core/index.ts';
import type { JobProgress } from './api.ts';

export class ProgressThrottle {
  private readonly started = performance.now();
  private lastSent = -Infinity;
  private pending: JobProgress | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly send: (p: JobProgress) => void,
    private readonly intervalMs = 100,
  ) {}

  push(p: Progress): void {
    if (this.closed) return;
    const now = performance.now();
    const elapsedMs = now - this.started;
    const fraction = Math.min(1, Math.max(0, p.fraction));
    // an estimate from less than 2% of the work or the first second is noise
    const etaMs = fraction >= 0.02 && elapsedMs >= 1000 && fraction < 1 ? (elapsedMs / fraction) * (1 - fraction) : null;
    const job: JobProgress = { stage: p.stage, fraction, message: p.message, elapsedMs, etaMs };
    if (now - this.lastSent >= this.intervalMs) {
      this.emit(job);
    } else {
      this.pending = job;
      this.timer ??= setTimeout(() => {
        this.timer = null;
        if (this.pending) this.emit(this.pending);
      }, this.intervalMs - (now - this.lastSent));
    }
  }

  /** Stops sending; call when the job ends. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.closed = true;
  }

  private emit(p: JobProgress): void {
    this.pending = null;
    this.lastSent = performance.now();
    try {
      this.send(p);
    } catch {
      // the page went away or released the proxy: progress is best-effort
    }
  }
}
