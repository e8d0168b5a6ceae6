import type { z } from 'zod';
import {
  clockModel,
  credentialsModel,
  faultConfigModel,
  ledgersModel,
  statsModel,
  type EmulatorStats,
  type LedgerTraits,
} from './http/admin-models.ts';
import type { FaultConfig } from './http/faults.ts';
import type { DemoPartner } from './data/catalog.ts';

/**
 * A typed client of the emulator's `/__emulator/*` routes, for tests and benchmarks: every
 * answer parsed with the models the admin routes answer by.
 */

export type { EmulatorStats, LedgerTraits } from './http/admin-models.ts';
export type { FaultConfig } from './http/faults.ts';

/** An admin route that did not answer 2xx. */
export class EmulatorAdminError extends Error {
  constructor(
    readonly route: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`emulator admin ${route} answered ${status}: ${body}`);
    this.name = 'EmulatorAdminError';
  }
}

type Method = 'GET' | 'POST' | 'PUT';

export class EmulatorAdmin {
  /** `baseUrl` is the emulator's, e.g. `http://127.0.0.1:4010`; `token`, its admin token when it has one. */
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  /** Upstream calls per route template since the last reset. */
  stats(): Promise<EmulatorStats> {
    return this.#call('GET', 'stats', statsModel);
  }

  async resetStats(): Promise<void> {
    await this.#send('POST', 'stats/reset');
  }

  faults(): Promise<FaultConfig> {
    return this.#call('GET', 'faults', faultConfigModel);
  }

  /** Replaces the whole fault configuration (`{}` clears it) and restarts every route's sequence. */
  setFaults(config: FaultConfig): Promise<FaultConfig> {
    return this.#call('PUT', 'faults', faultConfigModel, config);
  }

  /** Every accounting partner with its keys; the first is the demo partner. */
  async partners(): Promise<DemoPartner[]> {
    return (await this.#call('GET', 'credentials', credentialsModel)).partners;
  }

  async clock(): Promise<string> {
    return (await this.#call('GET', 'clock', clockModel)).now;
  }

  /** Stands the emulated clock still at `now` (ISO 8601); answers the clock as set. */
  async setClock(now: string): Promise<string> {
    return (await this.#call('PUT', 'clock', clockModel, { now })).now;
  }

  /** Every ledger with its traits (kind, time zone, cut-off, settlement, grants, first date). */
  async ledgers(): Promise<LedgerTraits[]> {
    return (await this.#call('GET', 'ledgers', ledgersModel)).ledgers;
  }

  async #call<T>(method: Method, path: string, model: z.ZodType<T>, body?: unknown): Promise<T> {
    return model.parse(JSON.parse(await this.#send(method, path, body)));
  }

  async #send(method: Method, path: string, body?: unknown): Promise<string> {
    const headers: Record<string, string> = this.token === undefined ? {} : { authorization: `Bearer ${this.token}` };
    const response = await fetch(`${this.baseUrl}/__emulator/${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new EmulatorAdminError(`${method} ${path}`, response.status, text);
    return text;
  }
}
