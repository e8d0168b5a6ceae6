import type { DemoPartner } from '../../src/emulator/index.ts';
import { createUpstream, type Upstream, type UpstreamHttpOptions, type UpstreamStorage } from '../../src/sources/index.ts';

/**
 * An upstream client built by hand, without the composition root: no resilience, no cache, no
 * mirror unless a test adds them. Each call is made once, as asked, so this is what tests of what
 * upstream answers use, and what reads the expected figures apart from any gateway.
 */
export function plainUpstream(
  baseUrl: string,
  partner: DemoPartner,
  options: Partial<UpstreamHttpOptions> = {},
  storage: UpstreamStorage = {},
): Upstream {
  const credentials = { clientId: partner.clientId, clientSecret: partner.clientSecret };
  return createUpstream({ baseUrl, credentials, systemName: 'gateway-tests', systemVersion: '1', ...options }, storage);
}
