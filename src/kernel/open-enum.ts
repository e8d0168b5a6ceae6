/**
 * Upstream enums are open: Vipps MobilePay adds entry types, solutions and payment types without
 * notice. A raw value maps to its enum value by spelling (`payout-scheduled` → `PAYOUT_SCHEDULED`),
 * through an alias for renamed values, or to `UNKNOWN`, which never fails a query; the raw
 * string is always served beside it.
 */
export function toOpenEnum<const Value extends string>(
  raw: string | null | undefined,
  values: readonly Value[],
  aliases: Readonly<Record<string, Value>> = {},
): Value | 'UNKNOWN' | null {
  if (raw === null || raw === undefined) return null;
  const alias = aliases[raw];
  if (alias !== undefined) return alias;
  const spelled = raw
    .trim()
    .toUpperCase()
    .replace(/[-\s]+/g, '_');
  return values.find((value) => value === spelled) ?? 'UNKNOWN';
}

/** Description text every open enum shares. */
export const openEnumNote =
  'Upstream may add values without notice; those arrive as `UNKNOWN`, with the raw string in the neighbouring field.';
