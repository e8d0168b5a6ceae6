import { getHeapStatistics } from 'node:v8';
import type { Session } from 'node:inspector/promises';
import type { Logger } from '../logger.ts';

/**
 * Gives the heap back once the gateway goes quiet.
 *
 * Under load V8 grows the young generation (to 32 MiB) and lets old space fill to two or three
 * times what is live; it gives that room back only at a major collection that reduces memory.
 * A quiet process allocates nothing that would start one, and V8's own memory reducer did not
 * run within minutes: measured, a gateway still held 216 MiB a minute after load (70 % over
 * idle), against 124 MiB with this.
 *
 * So when no request has begun or ended for `idleMs`, and the heap has grown by `growthBytes`
 * since the last collection, one collection runs: the inspector's `HeapProfiler.collectGarbage`,
 * V8's low-memory notification, through Node's public API (`--expose-gc` would need a flag
 * that `npm start`, running in its own process, cannot give itself). It stops the process for a
 * few hundred milliseconds of CPU, which is why it waits for quiet, and why a trickle of
 * requests that does not grow the heap never pays for it.
 */

export interface IdleCollectorOptions {
  /** Quiet time before collecting; 0 never collects on its own (`collect()` still does). */
  idleMs: number;
  /** Heap growth since the last collection below which quiet is not worth a collection. */
  growthBytes?: number;
  logger: Logger;
}

const defaultGrowthBytes = 16 * 2 ** 20;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

export class IdleCollector {
  readonly #idleMs: number;
  readonly #growthBytes: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | null = null;
  #heapAfterLast = getHeapStatistics().total_heap_size;
  /** Null until the first collection; false when this Node has no inspector. */
  #session: Session | null | false = null;
  #closed = false;

  constructor(options: IdleCollectorOptions) {
    this.#idleMs = options.idleMs;
    this.#growthBytes = options.growthBytes ?? defaultGrowthBytes;
    this.#logger = options.logger;
  }

  /** A request began or ended: quiet starts again from now. */
  activity(): void {
    if (this.#idleMs <= 0 || this.#closed) return;
    if (this.#timer !== null) {
      this.#timer.refresh();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (getHeapStatistics().total_heap_size - this.#heapAfterLast >= this.#growthBytes) void this.collect();
    }, this.#idleMs);
    this.#timer.unref();
  }

  /** One memory-reducing collection now (also once before the server listens: start-up leaves garbage). */
  async collect(): Promise<void> {
    const session = await this.#connect();
    if (session === null) return;
    const before = process.memoryUsage.rss();
    try {
      await session.post('HeapProfiler.collectGarbage');
    } catch (error) {
      this.#logger.warn('idle memory: the collection failed', { error });
      return;
    }
    this.#heapAfterLast = getHeapStatistics().total_heap_size;
    this.#logger.debug('idle memory: heap collected', { rssMiBBefore: mib(before), rssMiBAfter: mib(process.memoryUsage.rss()) });
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#session) this.#session.disconnect();
  }

  async #connect(): Promise<Session | null> {
    if (this.#session === false || this.#closed) return null;
    if (this.#session !== null) return this.#session;
    try {
      // Imported here: a Node built without the inspector throws on import, and loses only this.
      const { Session: InspectorSession } = await import('node:inspector/promises');
      const session = new InspectorSession();
      session.connect();
      this.#session = session;
      return session;
    } catch (error) {
      this.#session = false;
      this.#logger.warn('idle memory: this Node has no inspector; the heap is left to V8', { error });
      return null;
    }
  }
}
