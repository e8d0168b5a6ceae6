import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type DemoPartner } from '../../src/emulator/index.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { createGateway, type Gateway } from '../../src/server/gateway.ts';
import { createUpstream, type Upstream } from '../../src/sources/index.ts';
import { statsModel } from '../emulator/models.ts';
import { answeredErrorModel, postGraphql, type AnsweredError } from './graphql.ts';

/**
 * A gateway over a real emulator on a loopback port. The gateway itself opens no port: the
 * suites call `yoga.fetch` with typed documents from `test/gql`.
 */

/** The document's type is the contract of `data`; the schema (checked for drift) backs it. */
const bodyModelFor = <Result>() =>
  z.object({
    data: z.custom<Result>((value) => typeof value === 'object').nullish(),
    errors: z.array(answeredErrorModel).optional(),
  });

export interface RawResponse<Result> {
  status: number;
  headers: Headers;
  body: { data?: Result | null | undefined; errors?: AnsweredError[] | undefined };
}

export type EmulatorStats = z.infer<typeof statsModel>;

/** One gateway (with its own upstream client and token) in front of the shared emulator. */
export interface GatewayClient {
  gateway: Gateway;
  upstream: Upstream;
  /** The data of a successful answer; throws with the whole answer when it has any error. */
  execute<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<Result>;
  /** The whole answer, errors and all, for the suites that expect errors. */
  executeRaw<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    headers?: Record<string, string>,
  ): Promise<RawResponse<Result>>;
  close(): Promise<void>;
}

export interface TestGateway extends GatewayClient {
  emulatorUrl: string;
  partner: DemoPartner;
  partners: DemoPartner[];
  /** A separate upstream client for reading what the answers should be, apart from any gateway. */
  direct: Upstream;
  /** A new gateway with a cold upstream client (no token yet), for measuring call budgets. */
  connect(partner?: DemoPartner): GatewayClient;
  /** Upstream calls since the last reset, per route template, counted by the emulator. */
  stats(): Promise<EmulatorStats>;
  resetStats(): Promise<void>;
  /** Any admin call of the emulator (`PUT faults`, `GET ledgers`, …), answering parsed JSON. */
  admin(method: string, path: string, body?: unknown): Promise<unknown>;
}

export interface TestGatewayOptions {
  now?: string;
  seed?: string;
  logger?: Logger;
}

function upstreamFor(baseUrl: string, partner: DemoPartner): Upstream {
  return createUpstream({
    baseUrl,
    credentials: { clientId: partner.clientId, clientSecret: partner.clientSecret },
    systemName: 'gateway-tests',
    systemVersion: '1',
  });
}

function gatewayClient(baseUrl: string, partner: DemoPartner, logger: Logger): GatewayClient {
  const upstream = upstreamFor(baseUrl, partner);
  const gateway = createGateway(loadConfig({}), { upstream, logger });

  const executeRaw = async <Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables?: Variables,
    headers: Record<string, string> = {},
  ): Promise<RawResponse<Result>> => {
    const response = await postGraphql(gateway, print(document), variables, headers);
    const body = bodyModelFor<Result>().parse(JSON.parse(await response.text()));
    return { status: response.status, headers: response.headers, body };
  };

  return {
    gateway,
    upstream,
    executeRaw,
    async execute(document, variables, headers) {
      const response = await executeRaw(document, variables, headers);
      if (response.body.errors !== undefined || response.status !== 200 || response.body.data == null) {
        throw new Error(`GraphQL answer with errors (HTTP ${response.status}):\n${JSON.stringify(response.body, null, 2)}`);
      }
      return response.body.data;
    },
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const emulator = await startEmulator({
    port: 0,
    ...(options.now ? { now: options.now } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
  });
  const partner = emulator.partners[0];
  if (partner === undefined) throw new Error('the emulator has no demo partner');
  const logger = options.logger ?? silentLogger;
  const clients: GatewayClient[] = [];
  const connect = (who: DemoPartner = partner) => {
    const client = gatewayClient(emulator.url, who, logger);
    clients.push(client);
    return client;
  };
  const main = connect();
  const direct = upstreamFor(emulator.url, partner);

  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${emulator.url}/__emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`emulator admin ${method} ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text === '' ? null : JSON.parse(text);
  };

  return {
    ...main,
    emulatorUrl: emulator.url,
    partner,
    partners: emulator.partners,
    direct,
    connect,
    stats: async () => statsModel.parse(await admin('GET', 'stats')),
    resetStats: async () => {
      await admin('POST', 'stats/reset');
    },
    admin,
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await direct.close();
      await emulator.close();
    },
  };
}
