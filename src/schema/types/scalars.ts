import { GraphQLError, Kind } from 'graphql';
import { Remembered } from '../../kernel/memo.ts';
import { isIsoDate } from '../../kernel/calendar.ts';
import { builder } from '../builder.ts';
import { ScalarInputError } from '../input-errors.ts';

/*
 * The scalars validate on the way in (arguments and variables) and on the way out (what upstream
 * sent), so a bad date or an amount beyond exact integer range is an error, never a rounding.
 * Going out, a bad value is the gateway's fault, not the caller's: it is thrown as a plain
 * error and masked.
 */

/**
 * A variable's value is refused with a GraphQLError: graphql-js then names the variable in the
 * message, and the error is not mistaken for an unexpected one and masked.
 */
function input<T>(parse: (value: unknown) => T): (value: unknown) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof ScalarInputError) throw new GraphQLError(error.message, { extensions: error.extensions });
      throw error;
    }
  };
}

function output<T>(parse: (value: unknown) => T): (value: unknown) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      throw new TypeError(`refused to serve an invalid value: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

/** How many served dates and times `rememberedOutput` keeps: a few busy ledgers' pages of sales. */
const rememberedOutputs = 20_000;

/**
 * `output`, remembering what it served by the string it was given. A page of sales serves the
 * same upstream strings on every request, and checking a time whole (a pattern, `Date.parse`,
 * the calendar) was a fiftieth of a warm ledger-day answer. A value that fails is not kept.
 */
function rememberedOutput(parse: (value: unknown) => string): (value: unknown) => string {
  const check = output(parse);
  const served = new Remembered<string>(rememberedOutputs);
  return (value) => (typeof value === 'string' ? served.get(value, () => check(value)) : check(value));
}

const dateTimePattern = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new ScalarInputError('Date must be a real calendar date written YYYY-MM-DD.');
  }
  return value;
}

/**
 * Normalises an ISO 8601 time to UTC (`Z`) and keeps every fractional digit: upstream sends
 * microseconds, which `Date` would cut to milliseconds.
 */
export function toUtcDateTime(value: unknown): string {
  const match = typeof value === 'string' ? dateTimePattern.exec(value) : null;
  const whole = match ? Date.parse(`${match[1]}T${match[2]}:${match[3]}:${match[4]}${match[6]}`) : Number.NaN;
  if (!match || Number.isNaN(whole) || !isIsoDate(match[1] ?? '')) {
    throw new ScalarInputError('DateTime must be an ISO 8601 time with a zone, e.g. 2026-05-04T10:12:31Z.');
  }
  if (match[6] === 'Z') return String(value);
  return `${new Date(whole).toISOString().slice(0, 19)}${match[5] ?? ''}Z`;
}

function parseMinorUnits(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ScalarInputError('MinorUnits must be a whole number between -(2^53-1) and 2^53-1.');
  }
  return value;
}

function parseCurrency(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) {
    throw new ScalarInputError('Currency must be an ISO 4217 code of three capital letters.');
  }
  return value;
}

builder.scalarType('Date', {
  description: 'A ledger or calendar date, `YYYY-MM-DD` (e.g. `2026-05-04`). Impossible dates such as `2026-02-30` are rejected.',
  serialize: rememberedOutput(parseDate),
  parseValue: input(parseDate),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('DateTime', {
  description:
    'A moment in time, ISO 8601 in UTC (e.g. `2026-05-04T10:12:31.528092Z`); fractional seconds are kept as upstream sent them.',
  serialize: rememberedOutput(toUtcDateTime),
  parseValue: input(toUtcDateTime),
  parseLiteral: (ast) => toUtcDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('MinorUnits', {
  description:
    'An exact amount in the minor unit of its currency (øre, cent): `12345` NOK is 123.45 kr. A JSON integer; ' +
    'values beyond ±(2^53−1) are an error, never rounded.',
  serialize: output(parseMinorUnits),
  parseValue: input(parseMinorUnits),
  parseLiteral: (ast) => parseMinorUnits(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

builder.scalarType('Currency', {
  description:
    'An ISO 4217 currency code (`NOK`, `DKK`, `EUR`). A scalar rather than an enum: upstream may settle in a new ' +
    'currency without notice, and its code is then served as it is instead of failing the query or hiding it.',
  serialize: output(parseCurrency),
  parseValue: input(parseCurrency),
  parseLiteral: (ast) => parseCurrency(ast.kind === Kind.STRING ? ast.value : undefined),
});
