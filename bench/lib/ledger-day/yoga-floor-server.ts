import { createServer } from 'node:http';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSchema, createYoga } from 'graphql-yoga';
import { clientFromEnvironment, rememberedDays, serve } from './comparator-process.ts';
import { leanTypeDefs } from './lean-schema.ts';

/**
 * The floor of any gateway built on Yoga and graphql-jit, as the gateway is: the ledger-day
 * document compiled by graphql-jit and served by Yoga over HTTP, over the joined day already in
 * memory (read once by the direct client), with default resolvers and no plugin of the
 * gateway's (no authentication, limits, cost, metrics, access line, cache or joins). What it
 * costs per answer is Yoga's request handling, executing the compiled document and serialising
 * the answer: the gateway cannot answer faster than this without leaving that stack.
 */

const client = clientFromEnvironment();
const dayOf = rememberedDays(client);

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
serve(server, client, 'yoga floor', '/graphql');
