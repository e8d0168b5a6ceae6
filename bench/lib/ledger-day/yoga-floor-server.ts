import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { DirectClient } from './direct-client.ts';
import type { LedgerDayData } from './query.ts';
import { leanTypeDefs } from './lean-schema.ts';

/**
 * The floor of any gateway built on Yoga and graphql-jit, as the gateway is: the ledger-day
 * document compiled by graphql-jit and served by Yoga over HTTP, over the joined day already in
 * memory (read once by the direct client), with default resolvers and no plugin of the
 * gateway's (no authentication, limits, cost, metrics, access line, cache or joins). What it
 * costs per answer is Yoga's request handling, executing the compiled document and serialising
 * the answer: the gateway cannot answer faster than this without leaving that stack.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const client = new DirectClient(required('DIRECT_UPSTREAM_URL'), {
  clientId: required('DIRECT_CLIENT_ID'),
  clientSecret: required('DIRECT_CLIENT_SECRET'),
});
const days = new Map<string, Promise<LedgerDayData>>();

/** Reads the day once, on the first request that asks for it; every later one is served from memory. */
function dayOf(ledgerId: string, date: string): Promise<LedgerDayData> {
  const key = `${ledgerId}/${date}`;
  let day = days.get(key);
  if (day === undefined) days.set(key, (day = client.ledgerDay(ledgerId, date)));
  return day;
}

const yoga = createYoga({
  schema: createSchema({
    typeDefs: leanTypeDefs,
    resolvers: {
      Query: { ledger: (_: unknown, { id }: { id: string }) => ({ id }) },
      Ledger: { sales: async ({ id }: { id: string }, { date }: { date: string }) => (await dayOf(id, date)).ledger.sales },
    },
  }),
  graphqlEndpoint: '/graphql',
  landingPage: false,
  graphiql: false,
  logging: false,
  // The gateway compiles a document on its second execution; here every execution is compiled.
  plugins: [useGraphQlJit()],
});

const server = createServer(yoga);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`yoga floor on http://127.0.0.1:${port}/graphql\n`);
});

process.once('SIGTERM', () => {
  server.close(() => void client.close().then(() => process.exit(0)));
  server.closeIdleConnections();
});
