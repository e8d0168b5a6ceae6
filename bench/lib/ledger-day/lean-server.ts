import { createServer } from 'node:http';
import { buildSchema, execute, parse, validate, type DocumentNode } from 'graphql';
import { clientFromEnvironment, rememberedDays, serve } from './comparator-process.ts';
import { leanTypeDefs } from './lean-schema.ts';

/**
 * The leanest GraphQL server of the ledger-day query: plain graphql-js (`parse`, `validate`
 * once per document, `execute` per request) over the joined day already in memory (built once
 * by the direct client), answering `POST /graphql` like the gateway. What is left is the cost of
 * executing the document with graphql-js and serialising its answer: no upstream, no cache, no
 * joins, no plugins. The gateway is compared with it to show what its own execution costs.
 */

const schema = buildSchema(leanTypeDefs);

const client = clientFromEnvironment();
const dayOf = rememberedDays(client);
const documents = new Map<string, DocumentNode>();

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

serve(server, client, 'lean graphql-js', '/graphql');
