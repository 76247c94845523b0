import Decimal from 'decimal.js';
import { currencyExponent } from '../domain/money';

// Enough significant digits that amount × rate is exact before the final rounding: a 15-digit amount
// times a 20-digit rate has at most 35.
const ExactDecimal = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });

/**
 * Converts an amount in minor units of `from` to minor units of `to` at `rate` (a decimal string, as
 * {@link FxRateReader.getRate} returns it), rounding half to even once, at the end.
 * @example convertMinorUnits(1250, 'EUR', 'JPY', '162.5') // 2031 (12.50 EUR = 2031.25 JPY)
 */
export function convertMinorUnits(amountMinor: number, from: string, to: string, rate: string): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`amountMinor must be a safe integer number of minor units, got ${amountMinor}.`);
  }

  const amount = new ExactDecimal(amountMinor).dividedBy(new ExactDecimal(10).pow(currencyExponent(from)));
  const converted = amount.times(new ExactDecimal(rate));
  const targetExponent = currencyExponent(to);

  return converted
    .toDecimalPlaces(targetExponent, Decimal.ROUND_HALF_EVEN)
    .times(new ExactDecimal(10).pow(targetExponent))
    .toNumber();
}
