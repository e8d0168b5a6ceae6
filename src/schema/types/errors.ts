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
    'Nothing with this key is visible to your accounting keys: it does not exist, or its merchant has not granted ' +
    'your keys access. Upstream does not tell these apart, and neither can the gateway.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'What was looked for: `Ledger`, `Sale` or `Order`.' }),
    key: t.exposeString('key', { description: 'The key that was looked up, as given.' }),
  }),
});

/**
 * Upstream answers 404 for a ledger that does not exist or is not granted; here that is data.
 * Use as `.catch(notFoundAs('Ledger', ledgerId))`.
 */
export function notFoundAs(resource: string, key: string) {
  return (error: unknown): never => {
    if (isUpstreamError(error) && error.code === 'NOT_FOUND') {
      throw new NotFoundError(
        resource,
        key,
        `No ${resource.toLowerCase()} ${JSON.stringify(key)} is granted to these accounting keys.`,
      );
    }
    throw error;
  };
}
