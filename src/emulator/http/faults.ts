import { z } from 'zod';
import { Rng } from '../data/random.ts';
import { routeTemplates, type RouteTemplate } from './routes.ts';

/**
 * Injected trouble, globally or per route. Each decision is drawn from a generator seeded by the
 * fault seed, the route and the call's number on that route, so the same sequence of calls meets
 * the same faults again: a failing test replays.
 */

const rate = z.number().min(0).max(1);

export const faultSpecModel = z
  .object({
    rate429: rate.optional(),
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    rate5xx: rate.optional(),
    latencyMs: z.number().min(0).max(120_000).optional(),
    latencyJitterMs: z.number().min(0).max(120_000).optional(),
    hangRate: rate.optional(),
    malformedRate: rate.optional(),
    schemaBreakRate: rate.optional(),
    feedLagSeconds: z.number().min(0).max(7 * 86_400).optional(),
  })
  .strict();

export const faultConfigModel = z
  .object({
    seed: z.string().max(200).optional(),
    default: faultSpecModel.optional(),
    routes: z.partialRecord(z.enum(routeTemplates), faultSpecModel).optional(),
  })
  .strict();

export type FaultSpec = z.infer<typeof faultSpecModel>;
export type FaultConfig = z.infer<typeof faultConfigModel>;

export interface FaultDecision {
  latencyMs: number;
  hang: boolean;
  /** 429, a 5xx status, or 0 for a normal answer. */
  status: number;
  retryAfterSeconds: number;
  malformed: boolean;
  schemaBreak: boolean;
}

const NONE: FaultDecision = { latencyMs: 0, hang: false, status: 0, retryAfterSeconds: 0, malformed: false, schemaBreak: false };

export class Faults {
  private config: FaultConfig = {};
  private calls = new Map<RouteTemplate, number>();

  constructor(private readonly defaultSeed: string) {}

  /** Replaces the whole configuration and restarts every route's sequence. */
  configure(config: FaultConfig): void {
    this.config = config;
    this.calls = new Map();
  }

  current(): FaultConfig {
    return this.config;
  }

  private spec(template: RouteTemplate): FaultSpec | undefined {
    return this.config.routes?.[template] ?? this.config.default;
  }

  feedLagMs(template: RouteTemplate): number {
    return (this.spec(template)?.feedLagSeconds ?? 0) * 1000;
  }

  decide(template: RouteTemplate): FaultDecision {
    const spec = this.spec(template);
    if (!spec) return NONE;
    const call = this.calls.get(template) ?? 0;
    this.calls.set(template, call + 1);
    const rng = new Rng(this.config.seed ?? this.defaultSeed, 'faults', template, call);
    // Every draw is made whatever the outcome, so one rate never shifts another's sequence.
    const u429 = rng.next();
    const u5xx = rng.next();
    const uHang = rng.next();
    const uMalformed = rng.next();
    const uBreak = rng.next();
    const uJitter = rng.next();
    const uStatus = rng.next();
    const hang = uHang < (spec.hangRate ?? 0);
    const throttled = u429 < (spec.rate429 ?? 0);
    const failed = u5xx < (spec.rate5xx ?? 0);
    return {
      latencyMs: (spec.latencyMs ?? 0) + uJitter * (spec.latencyJitterMs ?? 0),
      hang,
      status: throttled ? 429 : failed ? ([500, 502, 503][Math.floor(uStatus * 3)] ?? 500) : 0,
      retryAfterSeconds: spec.retryAfterSeconds ?? 1,
      malformed: uMalformed < (spec.malformedRate ?? 0),
      schemaBreak: uBreak < (spec.schemaBreakRate ?? 0),
    };
  }
}

/** A body cut off mid-way: what a dropped proxy connection leaves behind. */
export function malformBody(body: string): string {
  const cut = Math.max(1, Math.floor(body.length / 2));
  return body.length > 2 ? body.slice(0, cut) : '{"items": [';
}

/** Valid JSON that breaks the schema: the first number becomes a string (or a string a number). */
export function breakSchema(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  if (typeof value !== 'object' || value === null) return body;
  const record: Record<string, unknown> = { ...value };
  const items = record['items'];
  if (Array.isArray(items)) {
    const first: unknown = items[0];
    if (typeof first === 'object' && first !== null) {
      record['items'] = [corrupt({ ...first }, 'number'), ...items.slice(1)];
    } else {
      record['items'] = null;
    }
  } else {
    corrupt(record, 'string');
  }
  return JSON.stringify(record);
}

/** Turns the first field of the preferred kind (else of the other) into the wrong type. */
function corrupt(record: Record<string, unknown>, prefer: 'number' | 'string'): Record<string, unknown> {
  const kinds = prefer === 'number' ? (['number', 'string'] as const) : (['string', 'number'] as const);
  for (const kind of kinds) {
    for (const [key, field] of Object.entries(record)) {
      if (typeof field !== kind) continue;
      record[key] = kind === 'number' ? String(field) : 12345;
      return record;
    }
  }
  return record;
}
