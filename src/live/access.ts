import type { Context } from '../schema/context.ts';
import type { CredentialFingerprint } from '../sources/cache/keys.ts';
import type { LiveHub } from './hub.ts';

/** What a request's subscriptions need of the live hub, bound to the caller. */
export interface LiveAccess {
  hub: LiveHub;
  /** The caller's accounting keys: their mirror is what the events come from. */
  fingerprint: CredentialFingerprint;
  /** Whose subscriptions these count as ('' in open mode: one pool for everyone). */
  tenant: string;
  /**
   * A request context of its own for one event: fresh loaders and read budget under the same
   * caller and grant, so a subscription open for weeks reads each event like a new request.
   */
  freshContext(): Context;
}
