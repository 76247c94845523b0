import countryToCurrency from 'country-to-currency';

/** ISO 4217 codes this runtime knows, so a stale entry in the country table cannot become a home currency. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Returns the main currency of an ISO 3166-1 alpha-2 country (`BR` → `BRL`, `PT` → `EUR`), or `undefined`
 * for an unknown country. New users whose channel reveals their country (WhatsApp phone numbers) start
 * with it as their home currency.
 */
export function currencyOfCountry(country: string | undefined): string | undefined {
  if (country === undefined) {
    return undefined;
  }
  const currency = (countryToCurrency as Record<string, string | undefined>)[country.toUpperCase()];

  return currency !== undefined && KNOWN_CURRENCIES.has(currency) ? currency : undefined;
}
