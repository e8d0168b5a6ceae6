import type { Cache } from './cache/cache.ts';
import { credentialFingerprint, type CredentialFingerprint } from './cache/keys.ts';
import { UpstreamHttp, type UpstreamHttpOptions } from './http/http.ts';
import { ReportClient, type ReportMirror } from './report/client.ts';
import { SalesClient, type SalesMirror } from './sales/client.ts';
import { tokenSeal } from './cache/token-seal.ts';
import { cursorSigner, type CursorSigner } from './cursor-signer.ts';
import { sharedTokenSource, TokenStore } from './cache/token-store.ts';
import { defaultCachePolicy, type CachePolicy } from './cache/upstream.ts';
import type { CacheObserver } from './observer.ts';

/** Both upstream APIs over one shared request path (one pool, one token). */
export interface Upstream {
  http: UpstreamHttp;
  report: ReportClient;
  sales: SalesClient;
  /** Names the credential in every cache key and in the feed mirror, without holding the secret. */
  fingerprint: CredentialFingerprint;
  /** Signs the feed positions handed out as cursors, with a key of this credential's own. */
  cursors: CursorSigner;
  close(): Promise<void>;
}

export interface UpstreamStorage {
  /**
   * Shares the token between every process on the cache (one refresh at a time) and keeps closed
   * dates, final Sales dates and, briefly, what can still change. Without it nothing is kept.
   */
  cache?: Cache | null;
  policy?: Partial<CachePolicy>;
  /** The feed mirror of this credential (built from its fingerprint), where one is kept. */
  mirror?: ((fingerprint: CredentialFingerprint) => ReportMirror & SalesMirror) | null;
  /** Told which cache layer answered each read; nobody when left out. */
  observer?: CacheObserver | null;
}

export function createUpstream(options: UpstreamHttpOptions, storage: UpstreamStorage = {}): Upstream {
  const fingerprint = credentialFingerprint({ baseUrl: options.baseUrl, ...options.credentials });
  const cache = storage.cache ?? null;
  const tokenSource =
    options.tokenSource ??
    (cache === null
      ? undefined
      : (endpoint) => sharedTokenSource(new TokenStore(cache, { seal: tokenSeal(options.credentials.clientSecret, fingerprint) }), fingerprint, endpoint));
  const http = new UpstreamHttp({ ...options, ...(tokenSource === undefined ? {} : { tokenSource }) });
  const cached = cache === null ? null : { cache, fingerprint, policy: { ...defaultCachePolicy, ...storage.policy }, logger: options.logger, observer: storage.observer ?? null };
  const mirror = storage.mirror?.(fingerprint) ?? null;
  const report = new ReportClient(http, { cache: cached, mirror });
  // A Sales date is final once its Report date is known closed; known from the cache alone.
  const isFinal = (ledgerId: string, date: string) => report.isKnownClosed(ledgerId, 'funds', date);
  return {
    http,
    report,
    sales: new SalesClient(http, { cache: cached, isFinal, mirror }),
    fingerprint,
    cursors: cursorSigner(options.credentials.clientSecret, fingerprint),
    close: () => http.close(),
  };
}

export { UpstreamError, isUpstreamError, type UpstreamErrorCode } from './http/errors.ts';
export type { UpstreamHttpOptions } from './http/http.ts';
export type { CachePolicy } from './cache/upstream.ts';
