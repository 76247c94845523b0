import {
  AmountPrecisionError,
  currencyExponent,
  formatMoney,
  fromMinorUnits,
  toMinorUnits,
} from '../../../lib/domain/money';

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
    ['EUR', 2],
    ['USD', 2],
    ['jpy', 0],
    ['XYZ', 2],
  ])('returns %s exponent %i', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });
});

describe('toMinorUnits', () => {
  it.each([
    ['12.50', 'EUR', 1250],
    ['12.5', 'EUR', 1250],
    ['0.1', 'EUR', 10],
    ['0.2', 'EUR', 20],
    ['0.3', 'EUR', 30],
    ['0.29', 'EUR', 29],
    ['1.15', 'EUR', 115],
    ['4.35', 'USD', 435],
    ['1.005', 'KWD', 1005],
    ['0.001', 'KWD', 1],
    ['1200', 'JPY', 1200],
    ['1200.0', 'JPY', 1200],
    ['0', 'EUR', 0],
    ['-2.50', 'EUR', -250],
    ['90071992547409.91', 'USD', 9007199254740991],
  ])('converts %s %s exactly', (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toBe(minor);
  });

  it('adds decimal fractions exactly', () => {
    const sum = toMinorUnits('0.1', 'EUR') + toMinorUnits('0.2', 'EUR');

    expect(sum).toBe(toMinorUnits('0.3', 'EUR'));
  });

  it.each([
    ['0.075', 'EUR'],
    ['12.345', 'USD'],
    ['1200.5', 'JPY'],
    ['1.0005', 'KWD'],
  ])('rejects %s %s precision', (amount, currency) => {
    expect(() => toMinorUnits(amount, currency)).toThrow(AmountPrecisionError);
  });

  it('names amount and currency', () => {
    let caught: unknown;
    try {
      toMinorUnits('0.075', 'EUR');
    } catch (error) {
      caught = error;
    }

    expect(caught).toMatchObject({ amount: '0.075', currency: 'EUR', name: 'AmountPrecisionError' });
  });

  it('explains allowed decimals', () => {
    expect(() => toMinorUnits('0.075', 'EUR')).toThrow('Amount 0.075 has more decimals than EUR allows (2)');
  });

  it('rejects non-numeric amount', () => {
    expect(() => toMinorUnits('twelve', 'EUR')).toThrow();
  });
});

describe('fromMinorUnits', () => {
  it.each([
    [1250, 'EUR', '12.50'],
    [5, 'EUR', '0.05'],
    [0, 'EUR', '0.00'],
    [-250, 'EUR', '-2.50'],
    [1200, 'JPY', '1200'],
    [1005, 'KWD', '1.005'],
    [1, 'KWD', '0.001'],
    [9007199254740991, 'USD', '90071992547409.91'],
  ])('formats %i %s as %s', (minor, currency, text) => {
    expect(fromMinorUnits(minor, currency)).toBe(text);
  });

  it.each([
    ['0.1', 'EUR'],
    ['19.99', 'USD'],
    ['1200', 'JPY'],
    ['3.141', 'KWD'],
  ])('round-trips %s %s', (amount, currency) => {
    expect(fromMinorUnits(toMinorUnits(amount, currency), currency)).toBe(
      Number(amount).toFixed(currencyExponent(currency)),
    );
  });
});

describe('formatMoney', () => {
  it.each([
    [1250, 'EUR', '12.50 EUR'],
    [1200, 'JPY', '1200 JPY'],
  ])('formats %i %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });
});
