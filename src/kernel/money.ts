/**
 * Money arithmetic on integer minor units. Amounts never pass through floating point: the
 * decimal string is built from the integer's digits, so `decimal` is exact for every amount the
 * `MinorUnits` scalar accepts.
 */

/** ISO 4217 exponents of the currencies Vipps MobilePay settles in. */
const knownExponents: Readonly<Record<string, number>> = { NOK: 2, DKK: 2, EUR: 2, SEK: 2 };

/**
 * The number of decimals of a currency. Upstream may add a currency without notice; ICU's
 * currency data (bundled with Node) then knows its ISO 4217 exponent, and an unparseable code
 * falls back to 2, the exponent of almost every currency.
 */
export function currencyExponent(currency: string): number {
  const known = knownExponents[currency];
  if (known !== undefined) return known;
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    return digits ?? 2;
  } catch {
    return 2;
  }
}

/** `123450` with exponent 2 → `"1234.50"`; `-5` → `"-0.05"`. */
export function minorUnitsToDecimal(minorUnits: number, exponent: number): string {
  if (!Number.isSafeInteger(minorUnits)) throw new RangeError(`${minorUnits} is not a safe integer amount`);
  const digits = Math.abs(minorUnits)
    .toString()
    .padStart(exponent + 1, '0');
  const sign = minorUnits < 0 ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Basis points as an exact percent string: 2500 → `"25.00"`, 2550 → `"25.50"`. */
export function basisPointsToPercent(basisPoints: number): string {
  return minorUnitsToDecimal(basisPoints, 2);
}

/**
 * An amount as the graph serves it. Its fields are properties and getters rather than resolvers:
 * graphql-jit reads a field that has no resolver inline, where every resolver call builds its
 * resolve info and response path, and a ledger day serves over a thousand amounts. Here rather
 * than with the `Money` type, so that the joins' shapes can serve amounts too.
 */
export class MoneyShape {
  /** Made on first read: the shapes of a cached date serve every request that reads it. */
  #decimal: string | undefined;

  constructor(
    readonly minorUnits: number,
    readonly currency: string,
  ) {}

  get exponent(): number {
    return currencyExponent(this.currency);
  }

  get decimal(): string {
    return (this.#decimal ??= minorUnitsToDecimal(this.minorUnits, currencyExponent(this.currency)));
  }
}

/** `null` stays `null`: upstream leaves amounts out where it has none (VAT of an open amount). */
export function money(minorUnits: number | null, currency: string): MoneyShape | null {
  return minorUnits === null ? null : new MoneyShape(minorUnits, currency);
}
