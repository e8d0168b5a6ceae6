import { builder } from '../builder.ts';
import type { MoneyShape } from '../../kernel/money.ts';

export { money, MoneyShape } from '../../kernel/money.ts';

export const Money = builder.objectRef<MoneyShape>('Money').implement({
  description:
    'An exact amount of money. Compute with `minorUnits` (an integer); show `decimal`. No amount in this API is a float.',
  fields: (t) => ({
    minorUnits: t.expose('minorUnits', {
      type: 'MinorUnits',
      description: 'The amount in minor units (øre, cent), signed: `-12345` is −123.45.',
    }),
    currency: t.expose('currency', {
      type: 'Currency',
      description: 'ISO 4217 code of the currency.',
    }),
    exponent: t.exposeInt('exponent', {
      description: 'How many of the minor-unit digits are decimals (2 for NOK, DKK and EUR).',
    }),
    decimal: t.exposeString('decimal', {
      description:
        'The exact amount in major units as a decimal string with the currency\'s decimals, e.g. `"1234.50"` or `"-0.05"`.',
    }),
  }),
});
