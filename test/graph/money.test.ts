import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basisPointsToPercent, currencyExponent, minorUnitsToDecimal } from '../../src/kernel/money.ts';

describe('money arithmetic', () => {
  it('writes minor units as exact decimals with the currency exponent', () => {
    expect(minorUnitsToDecimal(123450, 2)).toBe('1234.50');
    expect(minorUnitsToDecimal(-5, 2)).toBe('-0.05');
    expect(minorUnitsToDecimal(0, 2)).toBe('0.00');
    expect(minorUnitsToDecimal(-100, 2)).toBe('-1.00');
    expect(minorUnitsToDecimal(1234, 0)).toBe('1234');
    expect(minorUnitsToDecimal(1234, 3)).toBe('1.234');
    expect(minorUnitsToDecimal(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
    expect(minorUnitsToDecimal(-Number.MAX_SAFE_INTEGER, 2)).toBe('-90071992547409.91');
  });

  it('refuses amounts beyond exact integer range instead of rounding them', () => {
    expect(() => minorUnitsToDecimal(Number.MAX_SAFE_INTEGER + 1, 2)).toThrow(RangeError);
    expect(() => minorUnitsToDecimal(0.5, 2)).toThrow(RangeError);
  });

  it('round-trips every safe integer through its decimal string', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 0, max: 4 }), (minorUnits, exponent) => {
        const decimal = minorUnitsToDecimal(minorUnits, exponent);
        expect(decimal).toMatch(exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`));
        expect(BigInt(decimal.replace('.', ''))).toBe(BigInt(minorUnits));
      }),
    );
  });

  it('knows the exponents of the settlement currencies and of currencies upstream may add', () => {
    expect(currencyExponent('NOK')).toBe(2);
    expect(currencyExponent('DKK')).toBe(2);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('writes VAT basis points as an exact percent', () => {
    expect(basisPointsToPercent(2500)).toBe('25.00');
    expect(basisPointsToPercent(2550)).toBe('25.50');
    expect(basisPointsToPercent(0)).toBe('0.00');
  });
});
