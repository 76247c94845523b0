import Decimal from 'decimal.js';

/**
 * ISO 4217 minor-unit exponents for currencies whose exponent is not 2.
 * Source: the ISO 4217 list as published by SIX (the currency code maintenance agency).
 */
const NON_TWO_DECIMAL_EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Returns how many minor-unit digits a currency has (2 unless ISO 4217 sets another exponent). */
export function currencyExponent(currency: string): number {
  return NON_TWO_DECIMAL_EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Raised when an amount cannot be represented exactly in a currency's minor units. */
export class AmountPrecisionError extends Error {
  override readonly name = 'AmountPrecisionError';

  constructor(
    readonly amount: string,
    readonly currency: string,
  ) {
    super(
      `Amount ${amount} has more decimals than ${currency} allows (${currencyExponent(currency)}); ` +
        'round it or confirm the intended amount.',
    );
  }
}

/**
 * Converts a decimal string to integer minor units of `currency`, exactly.
 * @throws AmountPrecisionError when the amount has more decimals than the currency allows.
 * @example toMinorUnits('12.50', 'EUR') // 1250
 * @example toMinorUnits('1200', 'JPY') // 1200
 */
export function toMinorUnits(amount: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const minor = new Decimal(amount).times(new Decimal(10).pow(exponent));
  if (!minor.isInteger()) {
    throw new AmountPrecisionError(amount, currency);
  }

  return minor.toNumber();
}

/**
 * Formats integer minor units as a plain decimal string with the currency's exponent.
 * @example fromMinorUnits(1250, 'EUR') // '12.50'
 */
export function fromMinorUnits(minor: number, currency: string): string {
  return new Decimal(minor)
    .dividedBy(new Decimal(10).pow(currencyExponent(currency)))
    .toFixed(currencyExponent(currency));
}

/** Formats minor units for people, for example `12.50 EUR`. */
export function formatMoney(minor: number, currency: string): string {
  return `${fromMinorUnits(minor, currency)} ${currency}`;
}
