/** Where the bar is drawn: stderr, and only when a person is watching it. */
export interface ProgressOutput {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A one-line progress bar redrawn in place with `\r`. Drawn at most every `intervalMs`, and not
 * at all when the output is not a terminal (CI logs and pipes get only the summary).
 */
export class ProgressBar {
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(
    private readonly out: ProgressOutput,
    private readonly intervalMs = 100,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.enabled = out.isTTY === true;
  }

  /** `fraction` in 0..1; `label` says what has been done so far. */
  update(fraction: number, label: string, force = false): void {
    if (!this.enabled) return;
    const t = this.clock();
    if (!force && this.drawn && t - this.lastDraw < this.intervalMs) return;
    this.lastDraw = t;
    this.drawn = true;
    this.out.write(`\r${renderBar(fraction, label, this.out.columns ?? 80)}\x1b[K`);
  }

  /** Removes the bar so the summary line starts on a clean line. */
  done(): void {
    if (this.enabled && this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

export function renderBar(fraction: number, label: string, columns: number): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const pct = `${Math.floor(f * 100)}%`.padStart(4);
  const width = Math.max(10, Math.min(40, columns - label.length - 10));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${pct} ${label}`.slice(0, Math.max(20, columns - 1));
}
