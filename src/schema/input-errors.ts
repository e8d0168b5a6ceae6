import { GraphQLError } from 'graphql';

/**
 * Bad input is the caller's to fix, so it is answered with a GraphQL error that names the
 * argument and carries `BAD_USER_INPUT`; it is never masked as an unexpected failure.
 */
export function badInput(argument: string, problem: string): GraphQLError {
  return new GraphQLError(`Argument "${argument}" ${problem}`, {
    extensions: { code: 'BAD_USER_INPUT', argument },
  });
}

/**
 * Thrown by a scalar that refuses an argument or variable. Deliberately not a GraphQLError:
 * graphql-js then adds the location and the offending value to the message, and copies these
 * extensions onto the error it reports.
 */
export class ScalarInputError extends Error {
  readonly extensions = { code: 'BAD_USER_INPUT' };
}
