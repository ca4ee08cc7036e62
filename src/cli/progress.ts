/**
 * A one-line progress bar on stderr. On a terminal it redraws in place; in a log (CI, a pipe) it
 * prints a line every 10% so the log stays short.
 */
export class ProgressBar {
  private readonly started = performance.now();
  private lastDecile = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** Where this run took over (a resumed run's step): the time left is estimated from the progress since. */
    private readonly from = 0,
  ) {}

  update(done: number, detail = ''): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const elapsed = (performance.now() - this.started) / 1000;
    const since = this.total > this.from ? (done - this.from) / (this.total - this.from) : 1;
    const eta = since > 0 ? (elapsed * (1 - since)) / since : NaN;
    const timing = `${formatSeconds(elapsed)} elapsed${frac < 1 && Number.isFinite(eta) ? `, ${formatSeconds(eta)} left` : ''}`;
    if (this.stream.isTTY) {
      const width = 24;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      this.stream.write(`\r${this.label} ${bar} ${done}/${this.total} ${timing} ${detail}\x1b[K`);
      if (done >= this.total) this.stream.write('\n');
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.stream.write(`${this.label} ${Math.round(frac * 100)}% (${done}/${this.total}) ${timing} ${detail}\n`);
    }
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${Math.round(s % 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}
