import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { logLevels, type LogLevel } from './logger.ts';
import type { CachePolicy } from './sources/cache/upstream.ts';

/**
 * The only reader of the environment. Each concern has its own zod model over the variables it
 * reads, so an issue's path is the variable's name; every problem is collected before failing
 * so that an operator fixes a deployment in one round.
 */

export interface Config {
  /** `NODE_ENV=production`: the safe defaults (no GraphiQL, introspection or field suggestions unless enabled). */
  production: boolean;
  /** The gateway's own release: its package version. */
  release: string;
  /** What the gateway shows of itself: on for development, off in production unless enabled. */
  exposure: { graphiql: boolean; introspection: boolean; fieldSuggestions: boolean };
  /** `idleGcSeconds`: quiet time after which the heap is given back (`src/server/idle-memory.ts`); 0 for never. */
  server: { host: string; port: number; idleGcSeconds: number };
  /** What browsers may do: which origins may read answers, and which Host names are served. */
  browsers: BrowserPolicy;
  /** `null`: no upstream configured, the gateway runs the emulator in-process. */
  upstream: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    systemName: string;
    systemVersion: string;
  } | null;
  /** `null`: no Redis, the in-memory cache. */
  redis: RedisConfig | null;
  /** How long what may change is kept, and how much this process holds decoded. */
  cache: CachePolicy;
  /** Whole answers of documents that read only closed dates (`src/server/plugins/answer-cache.ts`). */
  answerCache: AnswerCacheConfig;
  /** The feed mirror (needs Redis): `npm run sync`, or in the gateway's process when `inProcess`. */
  sync: { inProcess: boolean; intervalSeconds: number; ledgerIds: string[] | null; concurrency: number; salesPageSize: number; progress: ProgressMode };
  /** Live updates (subscriptions): the open subscriptions one tenant may hold on one gateway process. */
  live: { maxSubscriptionsPerTenant: number };
  /** Used only when `upstream` is null (and by `npm run emulator`). */
  /** `adminToken`: what the emulator's admin routes ask for; `null`, a random one per start. */
  emulator: { seed: string; now: string | null; port: number; adminToken: string | null };
  limits: {
    requestTimeoutMs: number;
    connectTimeoutMs: number;
    upstreamConnections: number;
    /** Each GraphQL request answers within this, upstream retries and waits included. */
    requestDeadlineMs: number;
    /** The most a caller may ask for with the `x-request-timeout-ms` header. */
    maxRequestDeadlineMs: number;
    /** The most upstream date reads a document may be estimated at before it runs. */
    maxQueryCost: number;
  };
  /** What one GraphQL document may hold, checked before it runs. */
  document: DocumentLimits;
  /** Who may call, and how callers prove it. */
  auth: AuthConfig;
  /**
   * Accounting key sets beyond the default one (`VIPPS_CLIENT_ID`/`SECRET`), by name, from
   * `VIPPS_KEY_SET_<NAME>_CLIENT_ID` and `…_CLIENT_SECRET`: tenants name the set they draw from.
   */
  keySets: Record<string, { clientId: string; clientSecret: string }>;
  logLevel: LogLevel;
  /** Prometheus metrics; null when off. */
  metrics: MetricsConfig | null;
  /** OpenTelemetry traces sent over OTLP; null when no endpoint is configured (nothing is loaded then). */
  tracing: TracingConfig | null;
}

/** How `npm run sync` shows its progress: bars on a terminal and lines elsewhere (`auto`), or as told. */
export const progressModes = ['auto', 'bars', 'lines', 'off'] as const;
export type ProgressMode = (typeof progressModes)[number];

export interface RedisConfig {
  /** The first node named; the only one of a single Redis. */
  url: string;
  /** Every node `REDIS_URL` names: a cluster is discovered from whichever answers first. */
  nodes: string[];
  /** A Redis Cluster (`REDIS_CLUSTER=true`, or more than one node named) rather than one Redis. */
  cluster: boolean;
  commandTimeoutMs: number;
}

export interface MetricsConfig {
  /** `/metrics` answers only with `Authorization: Bearer <token>`; null for anyone who reaches it. */
  token: string | null;
  /** A port of its own for `/metrics` (the API port then does not serve it); null for the API port. */
  port: number | null;
}

export interface TracingConfig {
  /** Where spans are posted (OTLP over HTTP, JSON): the traces endpoint itself. */
  endpoint: string;
  /** Extra headers of every export (`OTEL_EXPORTER_OTLP_HEADERS`), e.g. a collector's API key. */
  headers: Record<string, string>;
  serviceName: string;
  /** Share of operations traced, 0 to 1 (`OTEL_TRACES_SAMPLER_ARG`); a caller's sampled parent is followed. */
  sampleRatio: number;
}

export interface BrowserPolicy {
  /** Origins whose pages may read answers (CORS); empty: no cross-origin access at all. */
  corsOrigins: string[];
  /** Whether those origins may send cookies and HTTP authentication (never with no origins). */
  corsCredentials: boolean;
  /**
   * `Host` names the gateway answers to; null for any. Bound to loopback, it answers only to
   * loopback names, so a web page cannot reach it through DNS rebinding.
   */
  allowedHosts: string[] | null;
}

export interface DocumentLimits {
  /** Bytes of request body read at most. */
  maxBodyBytes: number;
  maxTokens: number;
  maxDepth: number;
  /** Fields selected, fragments expanded, aliases and `__typename` included. */
  maxFields: number;
  maxAliases: number;
  maxDirectives: number;
}

export interface JwtConfig {
  /** Exactly one of the two is set. */
  jwksUrl: string | null;
  publicKeyPem: string | null;
  issuer: string;
  audience: string;
  tenantClaim: string;
  clockSkewSeconds: number;
}

export interface AuthConfig {
  /**
   * `open`: no caller identity, every granted ledger visible (local development, or a trusted
   * network when the operator says so); `tenants`: every request names a tenant.
   */
  mode: 'open' | 'tenants';
  /** Set in `tenants` mode. */
  tenantsFile: string | null;
  /** Null when JWTs are not accepted (API keys only). */
  jwt: JwtConfig | null;
  /** Manifests of trusted documents (hash → document), from `TRUSTED_DOCUMENTS`. */
  trustedDocuments: string[];
  /** Each tenant's budgets per minute unless its entry says otherwise; 0 for none. */
  rates: { requestsPerMinute: number; upstreamCallsPerMinute: number };
}

export class ConfigError extends Error {
  readonly issues: string[];

  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** An empty variable (`PORT=`) means "not set", as in most shells' and orchestrators' habits. */
const setting = z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().optional());
/** An on/off setting: `true` or `false`; unset leaves the choice to the reader. */
const switchModel = setting.pipe(z.enum(['true', 'false'], { error: 'must be true or false' }).optional());

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const port = wholeNumber(0, 65_535);

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((url) => !/[?#]/.test(url), 'must not carry a query or fragment')
  .transform((url) => url.replace(/\/+$/, ''));

/** Vipps-System-* headers are limited to 30 characters upstream. */
const systemHeader = z.string().max(30, 'must be at most 30 characters');

const serverModel = z
  .object({
    HOST: setting.pipe(z.string().default('localhost')),
    PORT: setting.pipe(port.default(4000)),
    IDLE_GC_SECONDS: setting.pipe(wholeNumber(0, 3_600).default(30)),
  })
  .transform((env) => ({ host: env.HOST, port: env.PORT, idleGcSeconds: env.IDLE_GC_SECONDS }));

const loopbackHosts = ['localhost', '127.0.0.1', '::1', '[::1]'];

const originModel = z.url({ protocol: /^https?$/, error: 'must list http(s) origins such as https://portal.example.com' }).refine(
  (origin) => new URL(origin).origin === origin,
  'must be bare origins (scheme, host and port; no path or trailing slash)',
);

const browsersModel = z
  .object({
    CORS_ORIGINS: setting,
    CORS_CREDENTIALS: switchModel,
    ALLOWED_HOSTS: setting,
    HOST: setting.pipe(z.string().default('localhost')),
  })
  .superRefine((env, context) => {
    const origins = (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== '');
    for (const origin of origins) {
      const parsed = originModel.safeParse(origin);
      if (!parsed.success) context.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: `${parsed.error.issues[0]?.message ?? 'is not an origin'}; got ${origin}` });
    }
    if (origins.includes('*')) context.addIssue({ code: 'custom', path: ['CORS_ORIGINS'], message: 'must list origins, not *' });
    if (env.CORS_CREDENTIALS === 'true' && origins.length === 0) {
      context.addIssue({ code: 'custom', path: ['CORS_CREDENTIALS'], message: 'needs CORS_ORIGINS: credentials go to listed origins only' });
    }
  })
  .transform((env): BrowserPolicy => {
    const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
    const hosts = list(env.ALLOWED_HOSTS).map((host) => host.toLowerCase());
    const loopback = loopbackHosts.includes(env.HOST);
    return {
      corsOrigins: list(env.CORS_ORIGINS),
      corsCredentials: env.CORS_CREDENTIALS === 'true',
      allowedHosts: hosts.length > 0 ? hosts : loopback ? loopbackHosts : null,
    };
  });

const upstreamModel = z
  .object({
    VIPPS_BASE_URL: setting.pipe(httpUrl.optional()),
    VIPPS_CLIENT_ID: setting,
    VIPPS_CLIENT_SECRET: setting,
    VIPPS_SYSTEM_NAME: setting.pipe(systemHeader.default('vmp-reporting-gateway')),
    VIPPS_SYSTEM_VERSION: setting.pipe(systemHeader.optional()),
  })
  .superRefine((env, context) => {
    const keys = ['VIPPS_CLIENT_ID', 'VIPPS_CLIENT_SECRET'] as const;
    for (const key of keys) {
      if (env.VIPPS_BASE_URL !== undefined && env[key] === undefined) {
        context.addIssue({ code: 'custom', path: [key], message: 'is required when VIPPS_BASE_URL is set' });
      }
      // Keys without a base URL would silently serve emulator data to someone expecting production.
      if (env.VIPPS_BASE_URL === undefined && env[key] !== undefined) {
        context.addIssue({ code: 'custom', path: [key], message: 'is set but VIPPS_BASE_URL is not (set both, or neither to use the emulator)' });
      }
    }
  })
  .transform((env) => {
    if (env.VIPPS_BASE_URL === undefined) return null;
    return {
      baseUrl: env.VIPPS_BASE_URL,
      clientId: env.VIPPS_CLIENT_ID ?? '',
      clientSecret: env.VIPPS_CLIENT_SECRET ?? '',
      systemName: env.VIPPS_SYSTEM_NAME,
      systemVersion: env.VIPPS_SYSTEM_VERSION ?? packageVersion(),
    };
  });

const redisUrl = z.url({ protocol: /^rediss?$/ });
const redisUrlMessage = 'must be a redis:// or rediss:// URL, or a comma-separated list of them';

const redisModel = z
  .object({
    REDIS_URL: setting
      .transform((list) => (list ?? '').split(',').map((url) => url.trim()).filter((url) => url !== ''))
      .superRefine((urls, context) => {
        const bad = urls.filter((url) => !redisUrl.safeParse(url).success);
        if (bad.length > 0) context.addIssue({ code: 'custom', message: `${redisUrlMessage}; got ${bad.join(', ')}` });
      }),
    REDIS_CLUSTER: switchModel,
    REDIS_COMMAND_TIMEOUT_MS: setting.pipe(wholeNumber(1, 60_000).default(50)),
  })
  .superRefine((env, context) => {
    if (env.REDIS_CLUSTER === 'false' && env.REDIS_URL.length > 1) {
      context.addIssue({ code: 'custom', path: ['REDIS_CLUSTER'], message: 'is false, but REDIS_URL names several nodes: one Redis has one URL' });
    }
  })
  .transform((env): RedisConfig | null => {
    const [url, ...others] = env.REDIS_URL;
    if (url === undefined) return null;
    // Several nodes can only be a cluster; one node is a cluster only when the operator says so.
    const cluster = env.REDIS_CLUSTER === undefined ? others.length > 0 : env.REDIS_CLUSTER === 'true';
    return { url, nodes: [url, ...others], cluster, commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS };
  });

const cacheModel = z
  .object({
    CACHE_OPEN_DATE_TTL_SECONDS: setting.pipe(wholeNumber(0, 3_600).default(30)),
    CACHE_LEDGERS_TTL_SECONDS: setting.pipe(wholeNumber(0, 86_400).default(60)),
    CACHE_LOCAL_ENTRIES: setting.pipe(wholeNumber(0, 10_000_000).default(100_000)),
  })
  .transform((env) => ({
    openDateTtlSeconds: env.CACHE_OPEN_DATE_TTL_SECONDS,
    ledgersTtlSeconds: env.CACHE_LEDGERS_TTL_SECONDS,
    localEntries: env.CACHE_LOCAL_ENTRIES,
  }));

export interface AnswerCacheConfig {
  enabled: boolean;
  /** A larger answer is not kept. */
  maxEntryBytes: number;
  /** What this process keeps in memory, in front of Redis or alone. */
  memoryBytes: number;
}

const answerCacheModel = z
  .object({
    ANSWER_CACHE: switchModel,
    ANSWER_CACHE_MAX_ENTRY_BYTES: setting.pipe(wholeNumber(1_024, 64 * 1024 * 1024).default(4 * 1024 * 1024)),
    ANSWER_CACHE_MEMORY_BYTES: setting.pipe(wholeNumber(0, 16 * 1024 * 1024 * 1024).default(64 * 1024 * 1024)),
  })
  .transform((env): AnswerCacheConfig => ({
    enabled: env.ANSWER_CACHE !== 'false',
    maxEntryBytes: env.ANSWER_CACHE_MAX_ENTRY_BYTES,
    memoryBytes: env.ANSWER_CACHE_MEMORY_BYTES,
  }));

const syncModel = z
  .object({
    SYNC_IN_PROCESS: switchModel,
    // Upstream asks for at least a second between polls of a feed that said tryLater.
    SYNC_INTERVAL_SECONDS: setting.pipe(wholeNumber(1, 86_400).default(60)),
    SYNC_LEDGERS: setting,
    SYNC_CONCURRENCY: setting.pipe(wholeNumber(1, 64).default(3)),
    SYNC_SALES_PAGE_SIZE: setting.pipe(wholeNumber(1, 1_000).default(1_000)),
    SYNC_PROGRESS: setting.pipe(z.enum(progressModes, { error: `must be one of ${progressModes.join(', ')}` }).default('auto')),
  })
  .transform((env) => ({
    inProcess: env.SYNC_IN_PROCESS === 'true',
    intervalSeconds: env.SYNC_INTERVAL_SECONDS,
    ledgerIds: env.SYNC_LEDGERS === undefined ? null : env.SYNC_LEDGERS.split(',').map((id) => id.trim()).filter((id) => id !== ''),
    concurrency: env.SYNC_CONCURRENCY,
    salesPageSize: env.SYNC_SALES_PAGE_SIZE,
    progress: env.SYNC_PROGRESS,
  }));

const liveModel = z
  .object({ LIVE_MAX_SUBSCRIPTIONS_PER_TENANT: setting.pipe(wholeNumber(1, 100_000).default(20)) })
  .transform((env) => ({ maxSubscriptionsPerTenant: env.LIVE_MAX_SUBSCRIPTIONS_PER_TENANT }));

const emulatorModel = z
  .object({
    EMULATOR_SEED: setting.pipe(z.string().default('demo')),
    EMULATOR_NOW: setting.pipe(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time' }).optional()),
    EMULATOR_PORT: setting.pipe(port.default(4010)),
    EMULATOR_ADMIN_TOKEN: setting.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  })
  .transform((env) => ({ seed: env.EMULATOR_SEED, now: env.EMULATOR_NOW ?? null, port: env.EMULATOR_PORT, adminToken: env.EMULATOR_ADMIN_TOKEN ?? null }));

const limitsModel = z
  .object({
    UPSTREAM_TIMEOUT_MS: setting.pipe(wholeNumber(1, 600_000).default(10_000)),
    UPSTREAM_CONNECT_TIMEOUT_MS: setting.pipe(wholeNumber(1, 600_000).default(5_000)),
    UPSTREAM_CONNECTIONS: setting.pipe(wholeNumber(1, 1_024).default(16)),
    REQUEST_DEADLINE_MS: setting.pipe(wholeNumber(1, 600_000).default(10_000)),
    REQUEST_DEADLINE_MAX_MS: setting.pipe(wholeNumber(1, 600_000).default(30_000)),
    // The same budget as the reads a request may make while it runs (src/bookkeeping/ranges.ts).
    QUERY_MAX_COST: setting.pipe(wholeNumber(1, 1_000_000).default(400)),
  })
  .refine((env) => env.REQUEST_DEADLINE_MS <= env.REQUEST_DEADLINE_MAX_MS, {
    path: ['REQUEST_DEADLINE_MS'],
    message: 'must not exceed REQUEST_DEADLINE_MAX_MS',
  })
  .transform((env) => ({
    requestTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    upstreamConnections: env.UPSTREAM_CONNECTIONS,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    maxRequestDeadlineMs: env.REQUEST_DEADLINE_MAX_MS,
    maxQueryCost: env.QUERY_MAX_COST,
  }));

const documentModel = z
  .object({
    REQUEST_BODY_MAX_BYTES: setting.pipe(wholeNumber(1_024, 50_000_000).default(100_000)),
    QUERY_MAX_TOKENS: setting.pipe(wholeNumber(1, 1_000_000).default(4_000)),
    QUERY_MAX_DEPTH: setting.pipe(wholeNumber(1, 100).default(12)),
    QUERY_MAX_FIELDS: setting.pipe(wholeNumber(1, 1_000_000).default(2_000)),
    QUERY_MAX_ALIASES: setting.pipe(wholeNumber(0, 100_000).default(50)),
    QUERY_MAX_DIRECTIVES: setting.pipe(wholeNumber(0, 100_000).default(50)),
  })
  .transform((env) => ({
    maxBodyBytes: env.REQUEST_BODY_MAX_BYTES,
    maxTokens: env.QUERY_MAX_TOKENS,
    maxDepth: env.QUERY_MAX_DEPTH,
    maxFields: env.QUERY_MAX_FIELDS,
    maxAliases: env.QUERY_MAX_ALIASES,
    maxDirectives: env.QUERY_MAX_DIRECTIVES,
  }));

const authModel = z
  .object({
    AUTH_MODE: setting.pipe(z.enum(['open', 'tenants'], { error: 'must be open or tenants' }).optional()),
    TENANTS_FILE: setting,
    AUTH_JWKS_URL: setting.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    AUTH_JWT_PUBLIC_KEY: setting.pipe(z.string().includes('BEGIN PUBLIC KEY', { error: 'must be a PEM public key (-----BEGIN PUBLIC KEY-----)' }).optional()),
    AUTH_ISSUER: setting,
    AUTH_AUDIENCE: setting,
    AUTH_TENANT_CLAIM: setting.pipe(z.string().default('tenant')),
    AUTH_CLOCK_SKEW_SECONDS: setting.pipe(wholeNumber(0, 600).default(30)),
    TRUSTED_DOCUMENTS: setting,
    RATE_LIMIT_REQUESTS_PER_MINUTE: setting.pipe(wholeNumber(0, 1_000_000).default(1_200)),
    RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: setting.pipe(wholeNumber(0, 10_000_000).default(3_000)),
  })
  .superRefine((env, context) => {
    const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
    if (env.AUTH_MODE === 'open' && env.TENANTS_FILE !== undefined) problem('AUTH_MODE', 'is open, but TENANTS_FILE is set: choose one');
    if (env.AUTH_MODE === 'tenants' && env.TENANTS_FILE === undefined) problem('TENANTS_FILE', 'is required when AUTH_MODE is tenants');
    const jwt = env.AUTH_JWKS_URL !== undefined || env.AUTH_JWT_PUBLIC_KEY !== undefined;
    if (env.AUTH_JWKS_URL !== undefined && env.AUTH_JWT_PUBLIC_KEY !== undefined) problem('AUTH_JWT_PUBLIC_KEY', 'is set beside AUTH_JWKS_URL: choose one');
    if (jwt && env.AUTH_ISSUER === undefined) problem('AUTH_ISSUER', 'is required to accept JWTs');
    if (jwt && env.AUTH_AUDIENCE === undefined) problem('AUTH_AUDIENCE', 'is required to accept JWTs');
    if (jwt && env.TENANTS_FILE === undefined) problem('TENANTS_FILE', 'is required to accept JWTs: their claim names a tenant');
  })
  .transform((env): AuthConfig => {
    const jwt =
      env.AUTH_JWKS_URL === undefined && env.AUTH_JWT_PUBLIC_KEY === undefined
        ? null
        : {
            jwksUrl: env.AUTH_JWKS_URL ?? null,
            publicKeyPem: env.AUTH_JWT_PUBLIC_KEY ?? null,
            issuer: env.AUTH_ISSUER ?? '',
            audience: env.AUTH_AUDIENCE ?? '',
            tenantClaim: env.AUTH_TENANT_CLAIM,
            clockSkewSeconds: env.AUTH_CLOCK_SKEW_SECONDS,
          };
    const tenantsFile = env.TENANTS_FILE ?? null;
    const rates = { requestsPerMinute: env.RATE_LIMIT_REQUESTS_PER_MINUTE, upstreamCallsPerMinute: env.RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE };
    const trustedDocuments = (env.TRUSTED_DOCUMENTS ?? '').split(',').map((path) => path.trim()).filter((path) => path !== '');
    return { mode: tenantsFile === null ? 'open' : 'tenants', tenantsFile, jwt, rates, trustedDocuments };
  });

const keySetName = /^VIPPS_KEY_SET_([A-Z0-9]+(?:_[A-Z0-9]+)*)_CLIENT_(ID|SECRET)$/;

/** `VIPPS_KEY_SET_NORDISK_CLIENT_ID` and `…_CLIENT_SECRET` → key set `nordisk`. */
function readKeySets(env: NodeJS.ProcessEnv, issues: string[]): Record<string, { clientId: string; clientSecret: string }> {
  const parts = new Map<string, { clientId?: string; clientSecret?: string }>();
  for (const [name, value] of Object.entries(env)) {
    const match = keySetName.exec(name);
    if (match === null || value === undefined || value.trim() === '') continue;
    const [, set = '', part] = match;
    const entry = parts.get(set) ?? {};
    if (part === 'ID') entry.clientId = value.trim();
    else entry.clientSecret = value.trim();
    parts.set(set, entry);
  }
  const sets: Record<string, { clientId: string; clientSecret: string }> = {};
  for (const [set, { clientId, clientSecret }] of parts) {
    const name = set.toLowerCase().replaceAll('_', '-');
    if (clientId === undefined || clientSecret === undefined) {
      issues.push(`VIPPS_KEY_SET_${set}_CLIENT_${clientId === undefined ? 'ID' : 'SECRET'}: is required beside its pair`);
    } else if (env.VIPPS_BASE_URL === undefined || env.VIPPS_BASE_URL === '') {
      issues.push(`VIPPS_KEY_SET_${set}_CLIENT_ID: key sets need VIPPS_BASE_URL (the embedded emulator brings its own)`);
    } else if (name === 'default') {
      issues.push(`VIPPS_KEY_SET_${set}_CLIENT_ID: "default" is VIPPS_CLIENT_ID and VIPPS_CLIENT_SECRET`);
    } else {
      sets[name] = { clientId, clientSecret };
    }
  }
  return sets;
}

const exposureModel = z
  .object({ NODE_ENV: setting, GRAPHIQL: switchModel, INTROSPECTION: switchModel, FIELD_SUGGESTIONS: switchModel })
  .transform((env) => {
    const development = env.NODE_ENV !== 'production';
    const on = (value: 'true' | 'false' | undefined) => (value === undefined ? development : value === 'true');
    return { graphiql: on(env.GRAPHIQL), introspection: on(env.INTROSPECTION), fieldSuggestions: on(env.FIELD_SUGGESTIONS) };
  });

const metricsModel = z
  .object({
    METRICS: switchModel,
    METRICS_TOKEN: setting.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    METRICS_PORT: setting.pipe(wholeNumber(1, 65_535).optional()),
    PORT: setting,
    NODE_ENV: setting,
  })
  .superRefine((env, context) => {
    const problem = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
    if (env.METRICS === 'false' && env.METRICS_TOKEN !== undefined) problem('METRICS_TOKEN', 'is set, but METRICS is false: choose one');
    if (env.METRICS === 'false' && env.METRICS_PORT !== undefined) problem('METRICS_PORT', 'is set, but METRICS is false: choose one');
    if (env.METRICS_PORT !== undefined && String(env.METRICS_PORT) === (env.PORT ?? '4000')) problem('METRICS_PORT', 'must differ from PORT');
  })
  .transform((env): MetricsConfig | null => {
    const token = env.METRICS_TOKEN ?? null;
    const port = env.METRICS_PORT ?? null;
    // In production the API port serves metrics to anyone only when the operator says so
    // (METRICS=true); a token or a port of their own is saying so too.
    const on = env.METRICS === 'true' || token !== null || port !== null || (env.METRICS === undefined && env.NODE_ENV !== 'production');
    return on ? { token, port } : null;
  });

/** `key=value,key2=value2`, values percent-encoded (the OTLP exporter's own format). */
function otlpHeaders(list: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const pair of list.split(',').filter((item) => item.trim() !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) return null;
    try {
      headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      return null;
    }
  }
  return headers;
}

const tracingModel = z
  .object({
    OTEL_SDK_DISABLED: switchModel,
    OTEL_TRACES_EXPORTER: setting.pipe(z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).optional()),
    OTEL_EXPORTER_OTLP_ENDPOINT: setting.pipe(httpUrl.optional()),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: setting.pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
    OTEL_EXPORTER_OTLP_PROTOCOL: setting.pipe(z.enum(['http/json'], { error: 'must be http/json (the only protocol this gateway sends)' }).optional()),
    OTEL_EXPORTER_OTLP_HEADERS: setting.refine((list) => list === undefined || otlpHeaders(list) !== null, 'must be key=value pairs separated by commas'),
    OTEL_SERVICE_NAME: setting.pipe(z.string().default('vmp-reporting-gateway')),
    OTEL_TRACES_SAMPLER_ARG: setting.pipe(
      z
        .string()
        .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
        .transform(Number)
        .default(1),
    ),
  })
  .transform((env): TracingConfig | null => {
    if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return null;
    // The signal's own endpoint is used as it is; the general one gets the traces path (OTLP's rule).
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT === undefined ? undefined : `${env.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces`);
    if (endpoint === undefined) return null;
    const headers = env.OTEL_EXPORTER_OTLP_HEADERS === undefined ? {} : (otlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS) ?? {});
    return { endpoint, headers, serviceName: env.OTEL_SERVICE_NAME, sampleRatio: env.OTEL_TRACES_SAMPLER_ARG };
  });

const logLevelModel = z
  .object({ LOG_LEVEL: setting.pipe(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info')) })
  .transform((env) => env.LOG_LEVEL);

export interface LoadOptions {
  /**
   * Whether the process serves callers (the gateway) rather than only reading upstream (the
   * sync): a gateway pointed at a real upstream must be told who may call it.
   */
  serving?: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const issues: string[] = [];
  const read = <T>(model: z.ZodType<T>): T | undefined => {
    const result = model.safeParse(env);
    if (result.success) return result.data;
    for (const issue of result.error.issues) issues.push(`${issue.path.map(String).join('.')}: ${issue.message}`);
    return undefined;
  };

  const server = read(serverModel);
  const exposure = read(exposureModel);
  const browsers = read(browsersModel);
  const upstream = read(upstreamModel);
  const redis = read(redisModel);
  const cache = read(cacheModel);
  const answerCache = read(answerCacheModel);
  const sync = read(syncModel);
  const live = read(liveModel);
  const emulator = read(emulatorModel);
  const limits = read(limitsModel);
  const document = read(documentModel);
  const auth = read(authModel);
  const keySets = readKeySets(env, issues);
  // Production never silently serves made-up data: the embedded emulator only when asked for.
  if (env.NODE_ENV === 'production' && upstream === null && env.EMULATOR !== 'embedded') {
    issues.push('VIPPS_BASE_URL: is required with NODE_ENV=production (or set EMULATOR=embedded to serve the emulator\'s made-up data)');
  }
  if (env.EMULATOR !== undefined && env.EMULATOR !== '' && env.EMULATOR !== 'embedded') issues.push('EMULATOR: must be embedded (or unset)');
  if (env.EMULATOR === 'embedded' && upstream != null) issues.push('EMULATOR: is embedded, but VIPPS_BASE_URL is set: choose one');
  // A gateway pointed at a real upstream never serves every ledger to whoever reaches it by accident.
  if ((options.serving ?? true) && upstream != null && auth?.mode === 'open' && env.AUTH_MODE !== 'open') {
    issues.push(
      'TENANTS_FILE: is required with VIPPS_BASE_URL: list the callers and their ledgers, or set AUTH_MODE=open for a single-tenant deployment on a trusted network',
    );
  }
  const logLevel = read(logLevelModel);
  const metrics = read(metricsModel);
  const tracing = read(tracingModel);

  if (
    server === undefined || exposure === undefined || browsers === undefined || upstream === undefined || redis === undefined || cache === undefined || answerCache === undefined ||
    sync === undefined || emulator === undefined || limits === undefined || document === undefined || auth === undefined || logLevel === undefined ||
    metrics === undefined || tracing === undefined || live === undefined || issues.length > 0
  ) {
    throw new ConfigError(issues);
  }
  return {
    production: env.NODE_ENV === 'production',
    release: packageVersion(),
    exposure, server, browsers, upstream, redis, cache, answerCache, sync, emulator, limits, document, auth, keySets, logLevel, metrics, tracing,
    live,
  };
}

/** The default Vipps-System-Version: the gateway's own release, from its package manifest. */
function packageVersion(): string {
  const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(manifest)).version;
}
