import type { LRUCache } from 'lru-cache';
import type { Cache } from './cache.ts';
import { answerKey, type CredentialFingerprint } from './keys.ts';
import { lru } from './lru.ts';

/** What of the ledger list a kept answer read, and a digest of it as it was then: served only while it still reads the same. */
export interface ListedRows {
  /** The whole visible list, or the rows of these ledgers (sorted). */
  ledgers: '*' | readonly string[];
  digest: string;
}

/** One kept answer: its bytes as sent, and what it read (for the access line of a request it answers). */
export interface StoredAnswer {
  /** The answer as UTF-8 JSON: written as it is, never parsed, serialised or encoded again. */
  bytes: Buffer;
  ledgers: readonly string[];
  dates: readonly string[];
  /** What it read of the ledger list; null when nothing. */
  listed: ListedRows | null;
}

export interface AnswerStoreOptions {
  /** Redis, shared by the replicas; null keeps answers in this process only. */
  shared: Cache | null;
  /** A larger answer is not kept. */
  maxEntryBytes: number;
  /** What this process keeps in memory, in front of the shared cache or alone. */
  memoryBytes: number;
  clock?: () => number;
}

/**
 * Whole answers, kept for good (they read only closed dates; what they read of the ledger list is
 * checked on every hit), in this process (lru-cache, bounded by bytes) and in the shared cache when there
 * is one. In the shared cache an answer is one string, a line of JSON naming what it read, then
 * the answer itself: the answer is never parsed to be served.
 */
export class AnswerStore {
  readonly #local: LRUCache<string, StoredAnswer>;

  constructor(private readonly options: AnswerStoreOptions) {
    this.#local = lru<StoredAnswer>({
      maxWeight: Math.max(1, options.memoryBytes),
      weigh: (answer) => answer.bytes.length + 64 * (answer.ledgers.length + answer.dates.length + 1),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
  }

  /** `digest` names the document, its variables and the caller; `upstream` is the credential fingerprint its reads use. */
  async get(upstream: CredentialFingerprint, digest: string): Promise<StoredAnswer | null> {
    const key = answerKey(upstream, digest);
    const held = this.#local.get(key);
    if (held !== undefined) return held;
    const shared = this.options.shared;
    if (shared === null) return null;
    const raw = await shared.get(key);
    const answer = raw === null ? null : decode(raw);
    if (answer !== null) this.#local.set(key, answer);
    return answer;
  }

  /** Keeps an answer; false when it is too large to keep. */
  async set(upstream: CredentialFingerprint, digest: string, answer: StoredAnswer): Promise<boolean> {
    if (answer.bytes.length > this.options.maxEntryBytes) return false;
    const key = answerKey(upstream, digest);
    this.#local.set(key, answer);
    await this.options.shared?.set(key, encode(answer), null);
    return true;
  }
}

function encode(answer: StoredAnswer): string {
  // JSON.stringify never writes a raw line break, so the first one ends the header.
  const header = { ledgers: answer.ledgers, dates: answer.dates, listed: answer.listed };
  return `${JSON.stringify(header)}\n${answer.bytes.toString('utf8')}`;
}

function decode(raw: string): StoredAnswer | null {
  const end = raw.indexOf('\n');
  if (end < 0) return null;
  try {
    const header = JSON.parse(raw.slice(0, end)) as { ledgers?: unknown; dates?: unknown; forGood?: unknown; listed?: unknown };
    const ledgers = strings(header.ledgers);
    const dates = strings(header.dates);
    const listed = listedOf(header.listed);
    // `forGood: false`: an answer an earlier release kept only until its Redis TTL; not served here.
    if (ledgers === null || dates === null || header.forGood === false || listed === undefined) return null;
    return { bytes: Buffer.from(raw.slice(end + 1), 'utf8'), ledgers, dates, listed };
  } catch {
    return null;
  }
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** The `listed` of a header; undefined when it is malformed (an entry of an older release has none: null). */
function listedOf(value: unknown): ListedRows | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object') return undefined;
  const { ledgers, digest } = value as { ledgers?: unknown; digest?: unknown };
  const ids = ledgers === '*' ? '*' : strings(ledgers);
  return ids === null || typeof digest !== 'string' ? undefined : { ledgers: ids, digest };
}
