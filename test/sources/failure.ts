import { UpstreamError } from '../../src/sources/http/errors.ts';

/** The `UpstreamError` a call failed with; any other outcome fails the test. */
export async function failureOf(promise: Promise<unknown>): Promise<UpstreamError> {
  const outcome = await promise.then(
    () => new Error('expected the call to fail'),
    (error: unknown) => error,
  );
  if (outcome instanceof UpstreamError) return outcome;
  throw outcome;
}
