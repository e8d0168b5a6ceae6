import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { MirrorLocation, ReportMirror } from '../sources/report/client.ts';
import { reportEntryModel, type ReportEntry, type Topic } from '../sources/report/models.ts';
import type { SalesMirror } from '../sources/sales/client.ts';
import { salesEntryModel, type SalesEntry } from '../sources/sales/models.ts';
import { parseSalesToken, unpackChunk } from './chunks.ts';
import { feedKeys, grantedLedgersKey } from './keys.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import { decodeState, isOutdated } from './state.ts';

/**
 * The gateway's side of the mirror. Every answer is either what the mirror knows for certain or
 * `null` ("ask upstream"): a ledger that is not mirrored, a Redis that is down or slow, and an
 * entry that does not parse all end in the date endpoints, never in a failed query.
 */

export class MirrorReader implements ReportMirror, SalesMirror {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fp: CredentialFingerprint,
    private readonly logger?: Logger,
  ) {}

  /** For each pspReference, where its entries on `topic` are; null when the mirror does not cover the ledger. */
  locate(ledgerId: string, topic: Topic, pspReferences: readonly string[]): Promise<Map<string, MirrorLocation> | null> {
    return this.#locateIn(ledgerId, topic, 'byPspReference', pspReferences);
  }

  /** For each order reference, where its entries on `topic` are; null when the mirror does not cover the ledger. */
  locateReferences(ledgerId: string, topic: Topic, references: readonly string[]): Promise<Map<string, MirrorLocation> | null> {
    return this.#locateIn(ledgerId, topic, 'byReference', references);
  }

  async #locateIn(ledgerId: string, topic: Topic, index: 'byPspReference' | 'byReference', fields: readonly string[]): Promise<Map<string, MirrorLocation> | null> {
    const keys = feedKeys(this.fp, ledgerId, topic);
    const replies = await this.redis.command('locate', (client) => Promise.all([client.get(keys.state), client.hmGet(keys[index], [...fields])]));
    if (replies === null) return null;
    const [rawState, tokenLists] = replies;
    if (rawState === null) return null;
    // A mirror of an older layout is not read: the sync mirrors it again, and till then upstream answers.
    if (isOutdated(rawState)) return null;
    const state = this.#state(rawState);
    if (state === null) return null;
    const located = new Map<string, MirrorLocation>();
    fields.forEach((field, position) => {
      const dates = new Set(tokenLists[position]?.split(' ') ?? []);
      located.set(field, { dates: [...dates].sort(), horizon: state.lastDate });
    });
    return located;
  }

  /** The mirrored Sales entries with these pspReferences; absent ones are simply not in the map. Null when nothing can be said. */
  async salesByPspReference(ledgerId: string, pspReferences: readonly string[]): Promise<Map<string, SalesEntry> | null> {
    const keys = feedKeys(this.fp, ledgerId, 'sales');
    const found = await this.redis.command('sales by pspReference', (client) =>
      Promise.all([client.sIsMember(grantedLedgersKey(this.fp), ledgerId), client.hmGet(keys.byPspReference, [...pspReferences])]),
    );
    // Only ledgers granted at the last sync: a withdrawn grant is not answered from old data.
    if (found === null || found[0] !== 1) return null;
    const places = found[1].map((token) => (token === null ? null : parseSalesToken(token)));
    const wanted = [...new Set(places.flatMap((place) => (place === null ? [] : [place.chunk])))];
    if (wanted.length === 0) return new Map();
    const packed = await this.redis.command('sales entries', (_, bytes) => bytes.hmGet(keys.entries, wanted));
    if (packed === null) return null;
    const chunks = new Map(wanted.map((first, index) => [first, this.#chunk(packed[index] ?? null)]));
    const entries = new Map<string, SalesEntry>();
    pspReferences.forEach((pspReference, index) => {
      const place = places[index];
      const json = place == null ? undefined : chunks.get(place.chunk)?.[place.index];
      const entry = json === undefined ? null : this.#salesEntry(json);
      if (entry !== null) entries.set(pspReference, entry);
    });
    return entries;
  }

  /**
   * Every entry of those of `dates` that the mirror holds whole: a date before the newest one it
   * stored (the feed runs in ledger-date order, so upstream has moved past it and closed it).
   * Dates it does not hold whole are left out of the map; null when it does not cover the ledger.
   */
  async reportDates(ledgerId: string, topic: Topic, dates: readonly string[]): Promise<Map<string, ReportEntry[]> | null> {
    const keys = feedKeys(this.fp, ledgerId, topic);
    const found = await this.redis.command('report dates', (client) =>
      Promise.all([client.sIsMember(grantedLedgersKey(this.fp), ledgerId), client.get(keys.state), client.hmGet(keys.dates, [...dates])]),
    );
    // Only ledgers granted at the last sync: a withdrawn grant is not answered from old data.
    if (found === null || found[0] !== 1 || found[1] === null) return null;
    // A mirror of an older layout is not read: the sync mirrors it again, and till then upstream answers.
    if (isOutdated(found[1])) return null;
    const horizon = this.#state(found[1])?.lastDate ?? null;
    if (horizon === null) return null;
    // Each date's entries are in the chunks named by their first positions (a chunk never spans two dates).
    const held = dates.flatMap((date, index) => (date < horizon ? [{ date, firsts: found[2][index]?.split(' ') ?? [] }] : []));
    const wanted = [...new Set(held.flatMap((day) => day.firsts))];
    const packed = wanted.length === 0 ? [] : await this.redis.command('report date entries', (_, bytes) => bytes.hmGet(keys.entries, wanted));
    if (packed === null) return null;
    const chunks = new Map(wanted.map((first, index) => [first, this.#chunk(packed[index] ?? null)]));
    const entries = new Map<string, ReportEntry[]>();
    for (const day of held) {
      const lines = day.firsts.map((first) => chunks.get(first) ?? null);
      // A chunk indexed but not held, not decompressing or not parsing leaves the date to upstream.
      if (lines.some((chunk) => chunk === null)) continue;
      const parsed = lines.flatMap((chunk) => chunk ?? []).map((json) => this.#reportEntry(json));
      if (parsed.every((entry) => entry !== null)) entries.set(day.date, parsed);
    }
    return entries;
  }

  #reportEntry(json: string): ReportEntry | null {
    return this.#decoded('mirrored report entry', () => reportEntryModel.parse(JSON.parse(json)));
  }

  #state(raw: string) {
    return this.#decoded('feed mirror state', () => decodeState(raw));
  }

  #chunk(packed: Buffer | null): string[] | null {
    if (packed === null) return null;
    try {
      return unpackChunk(packed);
    } catch (error: unknown) {
      this.logger?.warn('mirrored chunk did not decompress; using upstream', { error });
      return null;
    }
  }

  #salesEntry(json: string): SalesEntry | null {
    return this.#decoded('mirrored sales entry', () => salesEntryModel.parse(JSON.parse(json)));
  }

  /** What was stored, decoded; null (and a warning) when it does not decode, so that upstream answers instead. */
  #decoded<Value>(what: string, decode: () => Value): Value | null {
    try {
      return decode();
    } catch (error: unknown) {
      this.logger?.warn(`${what} did not decode; using upstream`, { error });
      return null;
    }
  }
}
