import Decimal from 'decimal.js';

/**
 * Fixed sample rates of the fake providers, units per 1 USD. They are plausible round figures for local
 * runs, not market data.
 */
export const SAMPLE_USD_RATES: Readonly<Record<string, string>> = {
  USD: '1',
  EUR: '0.92',
  GBP: '0.785',
  BRL: '5.31',
  JPY: '156.7',
  INR: '83.45',
  CHF: '0.89',
  CAD: '1.37',
  AUD: '1.51',
  MXN: '17.9',
  TRY: '32.25',
  PLN: '3.96',
  ARS: '899.5',
  PKR: '278.1',
  NGN: '1480.25',
};

/**
 * Currencies of the European Central Bank's reference rates that appear in {@link SAMPLE_USD_RATES}, the
 * ones the fake Frankfurter serves. ARS, PKR and NGN are not ECB reference currencies.
 */
export const ECB_CURRENCIES: ReadonlySet<string> = new Set([
  'USD',
  'EUR',
  'GBP',
  'BRL',
  'JPY',
  'INR',
  'CHF',
  'CAD',
  'AUD',
  'MXN',
  'TRY',
  'PLN',
]);

const RateDecimal = Decimal.clone({ precision: 10, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -20 });

/**
 * Returns the sample rates against `base` for the currencies in `coverage`, as decimal strings, or
 * undefined when the base is not covered. Other bases are derived through USD with 10 significant digits.
 */
export function sampleRates(base: string, coverage: ReadonlySet<string>): Map<string, string> | undefined {
  const baseInUsd = SAMPLE_USD_RATES[base];
  if (baseInUsd === undefined || !coverage.has(base)) {
    return undefined;
  }

  const rates = new Map<string, string>();
  for (const [currency, usdRate] of Object.entries(SAMPLE_USD_RATES)) {
    if (coverage.has(currency)) {
      rates.set(currency, new RateDecimal(usdRate).dividedBy(baseInUsd).toString());
    }
  }

  return rates;
}

/** Every currency of {@link SAMPLE_USD_RATES}. */
export const ALL_SAMPLE_CURRENCIES: ReadonlySet<string> = new Set(Object.keys(SAMPLE_USD_RATES));
