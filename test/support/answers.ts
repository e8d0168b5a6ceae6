/**
 * Reading typed answers. Fields that read upstream are nullable in the schema (a failed read
 * nulls its field and leaves the rest of the answer), so a test that expects a value says so.
 */

/** The answer is the member of its union with this `__typename`. */
function isType<T extends { __typename?: string }, Name extends string>(value: T, typename: Name): value is Extract<T, { __typename?: Name }> {
  return value.__typename === typename;
}

/**
 * The member of a union answer with this `__typename` (a `Ledger`, not its `NotFoundError`);
 * anything else fails the test with what was answered instead.
 */
export function narrow<T extends { __typename?: string }, Name extends NonNullable<T['__typename']>>(
  value: T | null | undefined,
  typename: Name,
): Extract<T, { __typename?: Name }> {
  if (value == null || !isType(value, typename)) throw new Error(`expected a ${typename}, the answer has ${JSON.stringify(value)}`);
  return value;
}

/** A nullable field the test expects answered; null fails the test naming the field. */
export function present<T>(value: T | null | undefined, field: string): T {
  if (value == null) throw new Error(`expected ${field} in the answer, it is ${String(value)}`);
  return value;
}
