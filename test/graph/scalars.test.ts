import { GraphQLScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';
import { toUtcDateTime } from '../../src/schema/types/scalars.ts';

function scalar(name: string): GraphQLScalarType {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLScalarType)) throw new Error(`${name} is not a scalar of the schema`);
  return type;
}

describe('scalars', () => {
  it('DateTime is served in UTC with every fractional digit upstream sent', () => {
    expect(toUtcDateTime('2024-04-05T07:19:26.528092Z')).toBe('2024-04-05T07:19:26.528092Z');
    expect(toUtcDateTime('2022-10-02T00:00:00+02:00')).toBe('2022-10-01T22:00:00Z');
    expect(toUtcDateTime('2026-03-29T03:30:00.123456+02:00')).toBe('2026-03-29T01:30:00.123456Z');
    expect(() => toUtcDateTime('2026-05-04 10:12:31')).toThrow();
    expect(() => toUtcDateTime('2026-02-30T10:00:00Z')).toThrow();
  });

  it('Date accepts only real calendar dates', () => {
    const date = scalar('Date');
    expect(date.parseValue('2028-02-29')).toBe('2028-02-29');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-5-4', '20260504', 20260504])
      expect(() => date.parseValue(bad)).toThrow();
  });

  it('MinorUnits refuses what it cannot carry exactly, both ways', () => {
    const minorUnits = scalar('MinorUnits');
    expect(minorUnits.serialize(-Number.MAX_SAFE_INTEGER)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(() => minorUnits.serialize(2 ** 53)).toThrow();
    expect(() => minorUnits.serialize(12.5)).toThrow();
    expect(() => minorUnits.parseValue(2 ** 53)).toThrow();
  });

  it('Currency is open to any ISO 4217 code', () => {
    const currency = scalar('Currency');
    expect(currency.serialize('SEK')).toBe('SEK');
    expect(() => currency.serialize('kr')).toThrow();
  });
});
