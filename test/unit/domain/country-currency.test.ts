import { currencyOfCountry } from '../../../lib/domain/country-currency';

describe('currencyOfCountry', () => {
  it.each([
    ['BR', 'BRL'],
    ['PT', 'EUR'],
    ['MX', 'MXN'],
    ['jp', 'JPY'],
    ['US', 'USD'],
  ])('gives %s the currency %s', (country, currency) => {
    expect(currencyOfCountry(country)).toBe(currency);
  });

  it.each([[undefined], ['ZZ'], ['']])('gives no currency for %p', (country) => {
    expect(currencyOfCountry(country)).toBeUndefined();
  });
});
