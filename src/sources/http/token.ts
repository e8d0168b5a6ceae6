import { z } from 'zod';

/**
 * The accounting-partner bearer token (`POST /miami/v1/token`, 15 minutes upstream). One token
 * serves every request of the process until shortly before it expires; concurrent callers share
 * one refresh. Where the token comes from is a `TokenSource`, so a store shared by replicas can
 * sit between this provider and the token endpoint without either of them changing.
 */

export const tokenPath = '/miami/v1/token';
export const tokenRoute = `POST ${tokenPath}`;

/** `expires_in` is a number in practice, a string in the 2023 schema: accept both. */
export const tokenResponseModel = z.object({
  access_token: z.string().min(1),
  token_type: z.string().refine((type) => type.toLowerCase() === 'bearer', 'token_type is not Bearer'),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().positive()),
});

export interface AccessToken {
  value: string;
  expiresAtMs: number;
}

export interface TokenSource {
  /** A token valid for a while: from the token endpoint, or from a store shared by replicas. */
  fetch(): Promise<AccessToken>;
  /** Upstream refused `token` before its expiry: a shared store should forget it too. */
  discard?(token: string): void | Promise<void>;
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** Refresh this long before expiry: 10% of the lifetime, at most a minute. */
function refreshMargin(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(0, lifetimeMs) * 0.1);
}

interface HeldToken extends AccessToken {
  refreshAtMs: number;
}

export class TokenProvider {
  private held: HeldToken | null = null;
  private inFlight: Promise<HeldToken> | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly source: TokenSource,
    options: { clock?: () => number } = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** A bearer token believed valid now. */
  async get(): Promise<string> {
    const now = this.clock();
    const held = this.held;
    if (held !== null && now < held.expiresAtMs) {
      // Inside the margin the old token still works: refresh behind it instead of making callers wait.
      if (now >= held.refreshAtMs) this.refresh().catch(() => {});
      return held.value;
    }
    return (await this.refresh()).value;
  }

  /**
   * Drops `token` after upstream refused it. Concurrent refusals of one token arrive one by one:
   * only the first finds it still held, and a newer token already in its place stays.
   */
  invalidate(token: string): void {
    if (this.held?.value !== token) return;
    this.held = null;
    void Promise.resolve(this.source.discard?.(token)).catch(() => {});
  }

  private refresh(): Promise<HeldToken> {
    this.inFlight ??= this.source
      .fetch()
      .then((token) => {
        const lifetimeMs = token.expiresAtMs - this.clock();
        const held = { ...token, refreshAtMs: token.expiresAtMs - refreshMargin(lifetimeMs) };
        this.held = held;
        return held;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }
}
