/** A one-line progress display on stderr, only when stderr is a terminal. */
export class TtyProgress {
  private last = 0;
  static forStderr(enabled: boolean): TtyProgress | null {
    return enabled && process.stderr.isTTY ? new TtyProgress() : null;
  }
  readonly listener = (p: { fraction: number; message: string }): void => {
    const t = Date.now();
    if (t - this.last < 100) return;
    this.last = t;
    process.stderr.write(`\r\x1b[K${(100 * p.fraction).toFixed(0).padStart(3)}%  ${p.message}`);
  };
  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
