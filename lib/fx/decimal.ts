import Decimal from 'decimal.js';

/**
 * Decimal arithmetic for exchange rates. Stored rates are the providers' own decimal text, so they stay
 * exact. A cross rate is a division, which keeps 20 significant digits (rounded half to even), far more
 * than any provider publishes. `toString()` never switches to exponent notation.
 */
export const FxDecimal = Decimal.clone({
  precision: 20,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});

/** An {@link FxDecimal} value. */
export type FxDecimalValue = InstanceType<typeof FxDecimal>;
