import type { Logger } from '../../logger.ts';

/**
 * Turns a stream of Redis failures into few log lines: one warning when an outage starts, one
 * info with the counts when it ends. Outages that start within `quietMs` of the last warning
 * (a flapping Redis) are only counted, and the count rides on the next line that is logged.
 */
export class RedisHealth {
  #up = true;
  #everConnected = false;
  #downSinceMs = 0;
  #lastWarningAtMs = Number.NEGATIVE_INFINITY;
  #quietOutage = false;
  #quietOutages = 0;
  #counts = { failedCommands: 0, skippedCommands: 0, connectionErrors: 0 };

  readonly #logger: Logger;
  readonly #quietMs: number;
  readonly #clock: () => number;

  constructor(logger: Logger, quietMs = 60_000, clock: () => number = Date.now) {
    this.#logger = logger;
    this.#quietMs = quietMs;
    this.#clock = clock;
  }

  isUp(): boolean {
    return this.#up;
  }

  connected(): void {
    if (!this.#everConnected && this.#up) this.#logger.info('redis cache connected');
    this.#everConnected = true;
    this.succeeded();
  }

  succeeded(): void {
    if (this.#up) return;
    this.#up = true;
    if (this.#quietOutage) {
      this.#quietOutages += 1;
      return;
    }
    this.#logger.info('redis cache available again', {
      downForMs: this.#clock() - this.#downSinceMs,
      ...this.#counts,
      ...this.#takeQuietOutages(),
    });
  }

  skipped(): void {
    this.#counts.skippedCommands += 1;
  }

  saturated(pendingCommands: number): void {
    this.#wentDown({ error: 'no replies: too many commands are waiting for one', pendingCommands });
    this.#counts.skippedCommands += 1;
  }

  commandFailed(command: string, error: unknown): void {
    this.#wentDown({ command, error: describe(error) });
    this.#counts.failedCommands += 1;
  }

  connectionFailed(error: unknown): void {
    this.#wentDown({ error: describe(error) });
    this.#counts.connectionErrors += 1;
  }

  #wentDown(fields: Record<string, unknown>): void {
    if (!this.#up) return;
    this.#up = false;
    const now = this.#clock();
    this.#downSinceMs = now;
    this.#quietOutage = now - this.#lastWarningAtMs < this.#quietMs;
    if (this.#quietOutage) return;
    this.#lastWarningAtMs = now;
    this.#logger.warn('redis cache unavailable: answering as a miss until it is back', {
      ...fields,
      ...this.#takeQuietOutages(),
    });
    this.#counts = { failedCommands: 0, skippedCommands: 0, connectionErrors: 0 };
  }

  #takeQuietOutages(): { shortOutagesNotLogged?: number } {
    const count = this.#quietOutages;
    this.#quietOutages = 0;
    return count === 0 ? {} : { shortOutagesNotLogged: count };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
