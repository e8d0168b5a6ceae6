import { createServer } from 'node:http';
import { buildSchema, execute, parse, validate, type DocumentNode } from 'graphql';
import { DirectClient } from './direct-client.ts';
import type { LedgerDayData } from './query.ts';
import { leanTypeDefs } from './lean-schema.ts';

/**
 * The leanest GraphQL server of the ledger-day query: plain graphql-js (`parse`, `validate`
 * once per document, `execute` per request) over the joined day already in memory (built once
 * by the direct client), answering `POST /graphql` like the gateway. What is left is the cost of
 * executing the document with graphql-js and serialising its answer: no upstream, no cache, no
 * joins, no plugins. The gateway is compared with it to show what its own execution costs.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const schema = buildSchema(leanTypeDefs);

const client = new DirectClient(required('DIRECT_UPSTREAM_URL'), {
  clientId: required('DIRECT_CLIENT_ID'),
  clientSecret: required('DIRECT_CLIENT_SECRET'),
});
const days = new Map<string, Promise<LedgerDayData>>();
const documents = new Map<string, DocumentNode>();

/** Reads the day once, on the first request that asks for it; every later one is served from memory. */
function dayOf(ledgerId: string, date: string): Promise<LedgerDayData> {
  const key = `${ledgerId}/${date}`;
  let day = days.get(key);
  if (day === undefined) days.set(key, (day = client.ledgerDay(ledgerId, date)));
  return day;
}

function documentOf(query: string): DocumentNode {
  let document = documents.get(query);
  if (document === undefined) {
    document = parse(query);
    const errors = validate(schema, document);
    if (errors.length > 0) throw new Error(errors.map((error) => error.message).join('; '));
    documents.set(query, document);
  }
  return document;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    void (async () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables: { ledgerId: string; date: string } };
      const day = await dayOf(variables.ledgerId, variables.date);
      const result = await execute({ schema, document: documentOf(query), rootValue: { ledger: () => day.ledger }, variableValues: variables });
      response.writeHead(200, { 'content-type': 'application/graphql-response+json; charset=utf-8' }).end(JSON.stringify(result));
    })().catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      response.writeHead(500).end();
    });
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`lean graphql-js on http://127.0.0.1:${port}/graphql\n`);
});

process.once('SIGTERM', () => {
  server.close(() => void client.close().then(() => process.exit(0)));
  server.closeIdleConnections();
});
