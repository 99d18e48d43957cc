/** Where progress goes: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** "[██████░░░░░░░░░░░░░░]" for a fraction in [0, 1]. */
export function bar(fraction: number, width = 20): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}]`;
}

/** "1:05" for 65 s, "0:07" for 7 s. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A progress bar. On a terminal it is one line, rewritten in place (at most every `intervalMs`), with the
 * bar, the percentage, the current stage and detail, the elapsed time and an estimate of what remains.
 * Elsewhere (a pipe, a CI log) it prints one plain line each time the stage changes, and nothing else.
 */
export class ProgressBar {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #interval: number;
  readonly #start = performance.now();
  #last = -Infinity;
  #stage = '';
  #shown = false;

  constructor(stream: ProgressStream, options: { intervalMs?: number } = {}) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
    this.#interval = options.intervalMs ?? 100;
  }

  /** Progress is `done` of `total` units, in `stage` (a case), doing `detail` (an implementation, a round). */
  update(done: number, total: number, stage: string, detail = ''): void {
    const fraction = total > 0 ? done / total : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    if (!this.#tty) {
      if (stage !== this.#stage) this.#stream.write(`${percent} ${stage}\n`);
      this.#stage = stage;
      return;
    }
    this.#stage = stage;
    const now = performance.now();
    if (now - this.#last < this.#interval && done < total) return;
    this.#last = now;
    const elapsed = (now - this.#start) / 1000;
    const eta = fraction > 0.02 ? ` · ~${formatClock((elapsed / fraction) * (1 - fraction))} left` : '';
    this.#stream.write(`\r${bar(fraction)} ${percent} ${stage}${detail ? ` · ${detail}` : ''} · ${formatClock(elapsed)}${eta}\x1b[K`);
    this.#shown = true;
  }

  /** A permanent line (clearing the bar first on a terminal). */
  log(text: string): void {
    this.clear();
    this.#stream.write(`${text}\n`);
  }

  /** Removes the bar from a terminal. */
  clear(): void {
    if (this.#tty && this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
