import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { RedisConnection } from '../sources/redis/connection.ts';
import type { MirrorLag } from '../telemetry/metrics.ts';
import { feedKeys, feeds, grantedLedgersKey, type Feed } from './keys.ts';
import { decodeState, type FeedState } from './state.ts';

/**
 * How far the feed mirror is behind, read from what the sync stored (wherever it runs): per feed,
 * over every granted ledger of every key set, aggregated so that no ledger id becomes a label.
 * A scrape costs one read of the grants and one of each feed's state.
 */
export async function readMirrorLag(redis: RedisConnection, fingerprints: readonly CredentialFingerprint[], now = Date.now()): Promise<MirrorLag[]> {
  const lags = new Map<Feed, MirrorLag>(
    feeds.map((feed) => [feed, { feed, entries: 0, lagSeconds: null, feeds: { atEnd: 0, catchingUp: 0, notStarted: 0 } }]),
  );
  for (const fp of fingerprints) {
    const ledgerIds = (await redis.command('mirror grants', (client) => client.sMembers(grantedLedgersKey(fp)))) ?? [];
    const states = await Promise.all(
      ledgerIds.flatMap((ledgerId) =>
        feeds.map(async (feed) => ({ feed, raw: await redis.command('mirror state', (client) => client.get(feedKeys(fp, ledgerId, feed).state)) })),
      ),
    );
    for (const { feed, raw } of states) {
      const lag = lags.get(feed);
      if (lag !== undefined) add(lag, raw === null ? null : stateOf(raw), now);
    }
  }
  return [...lags.values()];
}

function stateOf(raw: string): FeedState | null {
  try {
    return decodeState(raw);
  } catch {
    return null;
  }
}

function add(lag: MirrorLag, state: FeedState | null, now: number): void {
  if (state === null || (state.position === 0 && state.endReachedAt === null)) {
    lag.feeds.notStarted += 1;
    return;
  }
  lag.entries += state.position;
  if (state.atEnd) lag.feeds.atEnd += 1;
  else lag.feeds.catchingUp += 1;
  const since = state.endReachedAt ?? (state.lastDate === null ? null : Date.parse(`${state.lastDate}T00:00:00Z`));
  if (since === null) return;
  const seconds = Math.max(0, Math.round((now - since) / 1000));
  lag.lagSeconds = Math.max(lag.lagSeconds ?? 0, seconds);
}
