import { builder } from '../builder.ts';
import { currencyExponent, minorUnitsToDecimal } from '../../kernel/money.ts';

export interface MoneyShape {
  minorUnits: number;
  currency: string;
}

/** `null` stays `null`: upstream leaves amounts out where it has none (VAT of an open amount). */
export function money(minorUnits: number | null, currency: string): MoneyShape | null {
  return minorUnits === null ? null : { minorUnits, currency };
}

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description:
    'An exact amount of money. Compute with `minorUnits` (an integer); show `decimal`. No amount in this API is a float.',
  fields: (t) => ({
    minorUnits: t.field({
      type: 'MinorUnits',
      description: 'The amount in minor units (øre, cent), signed: `-12345` is −123.45.',
      resolve: (amount) => amount.minorUnits,
    }),
    currency: t.field({
      type: 'Currency',
      description: 'ISO 4217 code of the currency.',
      resolve: (amount) => amount.currency,
    }),
    exponent: t.int({
      description: 'How many of the minor-unit digits are decimals (2 for NOK, DKK and EUR).',
      resolve: (amount) => currencyExponent(amount.currency),
    }),
    decimal: t.string({
      description:
        'The exact amount in major units as a decimal string with the currency\'s decimals, e.g. `"1234.50"` or `"-0.05"`.',
      resolve: (amount) => minorUnitsToDecimal(amount.minorUnits, currencyExponent(amount.currency)),
    }),
  }),
});
