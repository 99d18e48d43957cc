/** Where progress goes: process.stdout, or a stand-in in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A progress indicator. On a terminal it is one line, rewritten in place with a carriage return (at most
 * every `intervalMs`); elsewhere (a pipe, a CI log) it prints a plain line only when `plainIntervalMs` have
 * passed without any output, so logs stay short. `log` prints a permanent line either way.
 */
export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #interval: number;
  #last: number;
  #shown = false;

  constructor(stream: ProgressStream, options: { intervalMs?: number; plainIntervalMs?: number } = {}) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
    this.#interval = this.#tty ? (options.intervalMs ?? 80) : (options.plainIntervalMs ?? 2000);
    // A terminal shows progress at once; a log only gets a line once `plainIntervalMs` pass without output.
    this.#last = this.#tty ? -Infinity : performance.now();
  }

  /** Show `text` as the current progress (throttled). */
  update(text: string, force = false): void {
    const now = performance.now();
    if (!force && now - this.#last < this.#interval) return;
    this.#last = now;
    if (this.#tty) {
      this.#stream.write(`\r${text}\x1b[K`);
      this.#shown = true;
    } else {
      this.#stream.write(`${text}\n`);
    }
  }

  /** Print a permanent line (clearing the progress line first on a terminal). */
  log(text: string): void {
    this.clear();
    this.#stream.write(`${text}\n`);
    if (!this.#tty) this.#last = performance.now();
  }

  /** Remove the progress line from a terminal. */
  clear(): void {
    if (this.#tty && this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}
