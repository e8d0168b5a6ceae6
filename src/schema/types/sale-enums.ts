import { builder } from '../builder.ts';
import { openEnumNote } from '../../kernel/open-enum.ts';

export const saleKinds = ['CAPTURE', 'REFUND'] as const;
export const solutions = ['VARIABLE_AMOUNT', 'SHOPPING_BASKET', 'MPOS'] as const;
export const paymentTypes = ['CARD', 'CASH', 'WALLET'] as const;

export const SaleKind = builder.enumType('SaleKind', {
  description: `What a Sales API entry records. ${openEnumNote}`,
  values: {
    CAPTURE: { description: 'Money taken from the customer for the order.' },
    REFUND: { description: 'Money returned to the customer.' },
    UNKNOWN: { description: 'An entry type this gateway does not know yet; see `entryType`.' },
  } as const,
});

export const Solution = builder.enumType('Solution', {
  description: `The sales solution that made the sale (upstream \`classification.solution\`). ${openEnumNote}`,
  values: {
    VARIABLE_AMOUNT: { description: 'Open amount on a Vippsnummer: the customer typed the amount; no order lines.' },
    SHOPPING_BASKET: { description: 'Shopping basket on a Vippsnummer: order lines as far as the merchant entered them.' },
    MPOS: { description: 'A payment terminal (mPOS): card, wallet or cash.' },
    UNKNOWN: { description: 'A solution this gateway does not know yet; see `rawSolution`.' },
  } as const,
});

export const PaymentType = builder.enumType('PaymentType', {
  description: `How the customer paid. ${openEnumNote}`,
  values: {
    CARD: { description: 'A payment card.' },
    CASH: { description: 'Cash at an mPOS terminal: no money moves through Vipps MobilePay, so there is no pspReference.' },
    WALLET: { description: 'The Vipps or MobilePay app.' },
    UNKNOWN: { description: 'A payment type this gateway does not know yet; see `rawPaymentType`.' },
  } as const,
});
