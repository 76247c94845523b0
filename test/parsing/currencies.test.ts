import {
  decimalConventionFor,
  lookupCurrencyMarker,
  resolveCurrencyMarker,
} from '../../lib/parsing/currencies';

function resolve(marker: string, homeCurrency: string) {
  const found = lookupCurrencyMarker(marker);
  if (!found) {
    throw new Error(`No currency marker "${marker}"`);
  }

  return resolveCurrencyMarker(found.meaning, homeCurrency);
}

describe('lookupCurrencyMarker', () => {
  it.each(['EUR', 'eur', 'Eur', '€', 'R$', 'r$', 'kr.', 'Rs.', 'rupees', 'US  dollars'])(
    'finds %s',
    (text) => {
      expect(lookupCurrencyMarker(text)).toBeDefined();
    },
  );

  it.each(['try', 'mad', 'all', 'ft', 'FT'])('rejects the English word %s', (text) => {
    expect(lookupCurrencyMarker(text)).toBeUndefined();
  });

  it('accepts an upper-case code that is an English word', () => {
    expect(lookupCurrencyMarker('TRY')?.meaning.currency).toBe('TRY');
  });

  it('marks currency words as suffix-only', () => {
    expect(lookupCurrencyMarker('euros')?.suffixOnly).toBe(true);
  });
});

describe('resolveCurrencyMarker', () => {
  it.each([
    ['$', 'CAD', 'CAD'],
    ['$', 'MXN', 'MXN'],
    ['$', 'AUD', 'AUD'],
    ['$', 'USD', 'USD'],
    ['C$', 'EUR', 'CAD'],
    ['C$', 'NIO', 'NIO'],
    ['R$', 'USD', 'BRL'],
    ['¥', 'USD', 'JPY'],
    ['¥', 'CNY', 'CNY'],
    ['kr', 'SEK', 'SEK'],
    ['kr', 'NOK', 'NOK'],
    ['kr', 'DKK', 'DKK'],
    ['kr', 'ISK', 'ISK'],
    ['rupees', 'EUR', 'INR'],
    ['rupees', 'PKR', 'PKR'],
    ['£', 'USD', 'GBP'],
    ['dollars', 'CAD', 'CAD'],
    ['dollars', 'MXN', 'USD'],
    ['yen', 'CNY', 'JPY'],
  ])('resolves %s for a %s user to %s', (marker, home, expected) => {
    expect(resolve(marker, home).currency).toBe(expected);
  });

  it('guesses USD for $ when the home currency uses no $', () => {
    expect(resolve('$', 'EUR')).toEqual({ currency: 'USD', ambiguous: true });
  });

  it('leaves kr unresolved for a EUR user', () => {
    expect(resolve('kr', 'EUR')).toEqual({ currency: null, ambiguous: true });
  });

  it('does not flag $ for a dollar user', () => {
    expect(resolve('$', 'CAD').ambiguous).toBe(false);
  });

  it('resolves cents to the home currency', () => {
    expect(resolve('cents', 'EUR').currency).toBe('EUR');
  });
});

describe('decimalConventionFor', () => {
  it.each([
    ['EUR', 'comma-decimal'],
    ['BRL', 'comma-decimal'],
    ['USD', 'point-decimal'],
    ['INR', 'point-decimal'],
    ['ZAR', null],
  ])('returns the convention of %s', (currency, expected) => {
    expect(decimalConventionFor(currency)).toBe(expected);
  });
});
