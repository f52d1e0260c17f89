/**
 * Progress on stderr, so stdout stays clean for tables and JSON: a redrawn line on a terminal; elsewhere (a log
 * file, CI, a pipe) one plain line every few seconds, so a long run is never silent. `--quiet` turns it off.
 */
export class CliProgress {
  private last: number;
  private constructor(
    private readonly tty: boolean,
    private readonly everyMs: number,
    private readonly write: (text: string) => void,
  ) {
    // off a terminal the first line comes after everyMs: a run shorter than that prints nothing
    this.last = tty ? 0 : Date.now();
  }

  static forStderr(enabled: boolean, options: { tty?: boolean; everyMs?: number; write?: (text: string) => void } = {}): CliProgress | null {
    if (!enabled) return null;
    const tty = options.tty ?? !!process.stderr.isTTY;
    return new CliProgress(tty, options.everyMs ?? (tty ? 100 : 5000), options.write ?? ((t) => process.stderr.write(t)));
  }

  readonly listener = (p: { fraction: number; message: string }): void => {
    const t = Date.now();
    if (t - this.last < this.everyMs) return;
    this.last = t;
    const line = `${(100 * p.fraction).toFixed(0).padStart(3)}%  ${p.message}`;
    if (this.tty) this.write(`\r\x1b[K${line}`);
    else this.write(`${new Date(t).toISOString().slice(11, 19)} ${line}\n`);
  };

  clear(): void {
    if (this.tty) this.write('\r\x1b[K');
  }
}
