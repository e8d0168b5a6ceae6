import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { ProgressMode } from '../config.ts';
import type { Feed } from './keys.ts';

/**
 * What `npm run sync` shows while it works: per ledger and feed, how far in time its entries
 * have come (the feeds run in time order), entries stored, the rate, and the time left until the
 * feed reaches now. On a terminal as live bars (cli-progress); elsewhere (a log collector, CI) as
 * a plain line per feed every few seconds and one when it ends. The sync's own work does not wait
 * for any of it.
 */

export interface SyncProgress {
  /** A page of a feed was stored: `entries` in it, the last one's time (ISO) when it had any. */
  page(ledgerId: string, feed: Feed, entries: number, reachedTime: string | null): void;
  /** A feed's turn ended: read to its end, waiting for its next poll, taken over, failed, stopped. */
  done(ledgerId: string, feed: Feed, outcome: string): void;
  /** Draws the last state and lets the terminal go. */
  stop(): void;
}


/** One feed's figures, as both displays show them. */
export class FeedFigures {
  entries = 0;
  reached: string | null = null;
  outcome: string | null = null;
  readonly #startedAt: number;
  #fromMs: number | null = null;
  #reachedMs: number | null = null;

  constructor(
    readonly label: string,
    private readonly clock: () => number,
  ) {
    this.#startedAt = clock();
  }

  add(entries: number, reachedTime: string | null): void {
    this.entries += entries;
    if (reachedTime === null) return;
    const ms = Date.parse(reachedTime);
    if (Number.isNaN(ms)) return;
    this.#fromMs ??= ms;
    this.reached = reachedTime.slice(0, 10);
    this.#reachedMs = ms;
  }

  /** Share of the time from the first entry seen to now that the feed has covered. */
  get done(): number {
    if (this.outcome === 'caught-up' || this.outcome === 'waiting') return 1;
    if (this.#fromMs === null || this.#reachedMs === null) return 0;
    const span = this.clock() - this.#fromMs;
    return span <= 0 ? 1 : Math.min(1, (this.#reachedMs - this.#fromMs) / span);
  }

  get perSecond(): number {
    const seconds = (this.clock() - this.#startedAt) / 1000;
    return seconds <= 0 ? 0 : this.entries / seconds;
  }

  /** Seconds left at the pace so far; null until the pace is known. */
  get secondsLeft(): number | null {
    const done = this.done;
    if (done <= 0) return null;
    return ((this.clock() - this.#startedAt) / 1000) * ((1 - done) / done);
  }

  line(): string {
    const left = this.secondsLeft;
    const parts = [
      this.reached === null ? 'starting' : `up to ${this.reached}`,
      `${this.entries} entries`,
      `${Math.round(this.perSecond)}/s`,
      this.outcome ?? (left === null ? 'time left unknown' : `about ${Math.ceil(left)} s left`),
    ];
    return `${this.label}: ${parts.join(', ')}`;
  }
}

const labelOf = (ledgerId: string, feed: Feed) => `ledger ${ledgerId} ${feed}`;

/** Plain lines: each feed at most every `everyMs`, and once more when its turn ends. */
export function lineProgress(write: (line: string) => void, clock: () => number = Date.now, everyMs = 5_000): SyncProgress {
  const feeds = new Map<string, { figures: FeedFigures; writtenAt: number }>();
  const of = (ledgerId: string, feed: Feed) => {
    const label = labelOf(ledgerId, feed);
    let entry = feeds.get(label);
    if (entry === undefined) {
      entry = { figures: new FeedFigures(label, clock), writtenAt: clock() };
      feeds.set(label, entry);
    }
    return entry;
  };
  return {
    page(ledgerId, feed, entries, reachedTime) {
      const entry = of(ledgerId, feed);
      entry.figures.add(entries, reachedTime);
      if (clock() - entry.writtenAt < everyMs) return;
      entry.writtenAt = clock();
      write(`${entry.figures.line()}\n`);
    },
    done(ledgerId, feed, outcome) {
      const entry = of(ledgerId, feed);
      entry.figures.outcome = outcome;
      write(`${entry.figures.line()}\n`);
      feeds.delete(labelOf(ledgerId, feed));
    },
    stop() {},
  };
}

/** Live bars on a terminal, one per feed at work. */
export function barProgress(stream: NodeJS.WriteStream, clock: () => number = Date.now): SyncProgress {
  const bars = new MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{label} [{bar}] {percentage}% | {reached} | {entries} entries | {rate}/s | {left}',
      barsize: 24,
      fps: 5,
    },
    Presets.shades_classic,
  );
  const feeds = new Map<string, { figures: FeedFigures; bar: SingleBar }>();
  const payload = (figures: FeedFigures) => {
    const left = figures.secondsLeft;
    return {
      label: figures.label.padEnd(22),
      reached: figures.reached ?? 'starting  ',
      entries: figures.entries,
      rate: Math.round(figures.perSecond),
      left: figures.outcome ?? (left === null ? 'time left unknown' : `${Math.ceil(left)} s left`),
    };
  };
  const of = (ledgerId: string, feed: Feed) => {
    const label = labelOf(ledgerId, feed);
    let entry = feeds.get(label);
    if (entry === undefined) {
      const figures = new FeedFigures(label, clock);
      entry = { figures, bar: bars.create(1000, 0, payload(figures)) };
      feeds.set(label, entry);
    }
    return entry;
  };
  return {
    page(ledgerId, feed, entries, reachedTime) {
      const { figures, bar } = of(ledgerId, feed);
      figures.add(entries, reachedTime);
      bar.update(Math.round(figures.done * 1000), payload(figures));
    },
    done(ledgerId, feed, outcome) {
      const { figures, bar } = of(ledgerId, feed);
      figures.outcome = outcome;
      bar.update(Math.round(figures.done * 1000), payload(figures));
      bar.stop();
    },
    stop() {
      bars.stop();
    },
  };
}

/** The display `mode` asks for on `stream`: bars on a terminal, lines elsewhere (`auto`). */
export function progressFor(mode: ProgressMode, stream: NodeJS.WriteStream): SyncProgress | null {
  if (mode === 'off') return null;
  if (mode === 'bars' || (mode === 'auto' && stream.isTTY)) return barProgress(stream);
  return lineProgress((line) => stream.write(line));
}
