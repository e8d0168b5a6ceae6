import type { Logger } from '../logger.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { MirrorLocation, ReportMirror } from '../sources/report/client.ts';
import { reportEntryModel, type ReportEntry, type Topic } from '../sources/report/models.ts';
import type { SalesMirror } from '../sources/sales/client.ts';
import { salesEntryModel, type SalesEntry } from '../sources/sales/models.ts';
import { feedKeys, grantedLedgersKey } from './keys.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import { decodeState } from './state.ts';
import { positionsOf } from './store.ts';

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
    const state = this.#state(rawState);
    if (state === null) return null;
    const located = new Map<string, MirrorLocation>();
    fields.forEach((field, position) => {
      const dates = new Set<string>();
      for (const token of (tokenLists[position] ?? '').split(' ')) {
        const date = token.split('@')[1];
        if (date !== undefined) dates.add(date);
      }
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
    const positions = found[1].map((tokens) => tokens?.split(' ')[0] ?? null);
    const wanted = positions.filter((position) => position !== null);
    if (wanted.length === 0) return new Map();
    const values = await this.redis.command('sales entries', (client) => client.hmGet(keys.entries, wanted));
    if (values === null) return null;
    const byPosition = new Map(wanted.map((position, index) => [position, values[index] ?? null]));
    const entries = new Map<string, SalesEntry>();
    pspReferences.forEach((pspReference, index) => {
      const position = positions[index];
      const json = position == null ? null : byPosition.get(position);
      const entry = json == null ? null : this.#salesEntry(json);
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
    const horizon = this.#state(found[1])?.lastDate ?? null;
    if (horizon === null) return null;
    const held = dates.flatMap((date, index) => (date < horizon ? [{ date, positions: positionsOf(found[2][index] ?? '').map(String) }] : []));
    const values = await this.redis.command('report date entries', (client) =>
      Promise.all(held.map((day) => (day.positions.length === 0 ? Promise.resolve([]) : client.hmGet(keys.entries, day.positions)))),
    );
    if (values === null) return null;
    const entries = new Map<string, ReportEntry[]>();
    for (const [index, day] of held.entries()) {
      const parsed = (values[index] ?? []).map((json) => (json === null ? null : this.#reportEntry(json)));
      // A position indexed but not held, or not parsing, leaves the date to upstream.
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
