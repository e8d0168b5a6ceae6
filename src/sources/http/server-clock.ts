/**
 * Upstream's idea of now, from the `Date` header of its answers (a server with a clock sends one,
 * RFC 9110). Which ledger dates have begun is upstream's to say, not this host's: a host whose
 * clock is off (or an emulator running at another time) would otherwise take a past date for a
 * future one, or the other way round. Until upstream has answered, the local clock stands in.
 */
export class ServerClock {
  #offsetMs = 0;

  constructor(private readonly localClock: () => number = Date.now) {}

  /** Learns from one answer's `Date` header, read when the answer arrived. */
  observe(dateHeader: string | string[] | undefined, receivedAt: number): void {
    const text = Array.isArray(dateHeader) ? dateHeader[0] : dateHeader;
    const serverTime = text === undefined ? Number.NaN : Date.parse(text);
    if (!Number.isNaN(serverTime)) this.#offsetMs = serverTime - receivedAt;
  }

  /** Upstream's now, in epoch milliseconds (to the second: `Date` has no finer grain). */
  now(): number {
    return this.localClock() + this.#offsetMs;
  }
}
