import { isUpstreamError } from '../../sources/index.ts';
import { builder } from '../builder.ts';

/**
 * Expected outcomes a caller acts on are data, not GraphQL errors: a field that can end in one
 * lists its error classes (`errors: { types: [NotFoundError] }`) and answers a union.
 */
export class NotFoundError extends Error {
  readonly resource: string;
  readonly key: string;

  constructor(resource: string, key: string, message: string) {
    super(message);
    this.name = 'NotFoundError';
    this.resource = resource;
    this.key = key;
  }
}

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected outcome that is not the data asked for; `message` says what happened, for people.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What happened, in English, for the developer.' }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description:
    'Nothing with this key is visible to you: it does not exist, or it is not granted to you (by its merchant to the ' +
    'accounting keys, or by the gateway to your tenant). These are never told apart.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'What was looked for: `Ledger`, `Sale` or `Order`.' }),
    key: t.exposeString('key', { description: 'The key that was looked up, as given.' }),
  }),
});

/** What a caller is told for something it cannot see: the same whether it exists or not. */
export function notVisible(resource: string, key: string): NotFoundError {
  return new NotFoundError(resource, key, `No ${resource.toLowerCase()} ${JSON.stringify(key)} is visible to you.`);
}

/**
 * Upstream answers 404 for a ledger that does not exist or is not granted; here that is data.
 * Use as `.catch(notFoundAs('Ledger', ledgerId))`.
 */
export function notFoundAs(resource: string, key: string) {
  return (error: unknown): never => {
    if (isUpstreamError(error) && error.code === 'NOT_FOUND') {
      throw notVisible(resource, key);
    }
    throw error;
  };
}
