import Decimal from 'decimal.js';
import {
  formatAmount,
  interpretNumber,
  isValidGrouping,
  readNumberShape,
  truncateAtPlainSpace,
} from '../../lib/parsing/amounts';
import type { DecimalConvention } from '../../lib/parsing/currencies';

function interpret(written: string, convention: DecimalConvention | null = 'point-decimal', exponent = 2) {
  return interpretNumber(readNumberShape(written, 0), { convention, exponent });
}

describe('readNumberShape', () => {
  it('reads groups and separators', () => {
    const shape = readNumberShape('1.000,00 EUR', 0);

    expect(shape.groups).toEqual(['1', '000', '00']);
    expect(shape.separators).toEqual(['.', ',']);
    expect(shape.end).toBe(8);
  });

  it('stops at two separators in a row', () => {
    const shape = readNumberShape('5, 10', 0);

    expect(shape.groups).toEqual(['5']);
  });

  it('accepts NBSP and narrow NBSP as separators', () => {
    const shape = readNumberShape('4\u202f500\u00a0000,00', 0);

    expect(shape.separators).toEqual(['\u202f', '\u00a0', ',']);
  });
});

describe('truncateAtPlainSpace', () => {
  it('cuts before the first plain space', () => {
    const shape = truncateAtPlainSpace(readNumberShape('50 20', 0));

    expect(shape.groups).toEqual(['50']);
    expect(shape.end).toBe(2);
  });
});

describe('isValidGrouping', () => {
  it.each([
    [['1', '234', '567'], [',', ','], true],
    [['1', '00', '000'], [',', ','], true],
    [['12', '34', '567'], [',', ','], true],
    [['1', '00', '000'], ['.', '.'], false],
    [['1234', '567'], [','], false],
    [['1', '23'], [','], false],
    [['1', '234'], [','], true],
  ])('groups %j with %j: %s', (groups, separators, expected) => {
    expect(isValidGrouping(groups, separators)).toBe(expected);
  });
});

describe('interpretNumber', () => {
  it.each([
    ['20,00', '20'],
    ['1.000,00', '1000'],
    ['1,234.56', '1234.56'],
    ['123\u00a0456,78', '123456.78'],
    ['4\u202f500,00', '4500'],
    ['1,00,000', '100000'],
    ['1.000.000', '1000000'],
    ["1'234.50", '1234.5'],
    ['0,075', '0.075'],
    ['12.5', '12.5'],
    ['1234,567', '1234.567'],
  ])('reads %s as %s', (written, expected) => {
    const result = interpret(written);

    expect(result?.value.toString()).toBe(expected);
  });

  it('keeps the written fraction length', () => {
    expect(interpret('20,00')?.fractionDigits).toBe(2);
  });

  it('rejects a version number', () => {
    expect(interpret('1.2.3')).toBeNull();
  });

  it('rejects mixed marks in the wrong order', () => {
    expect(interpret('1,000.000,00')).toBeNull();
  });

  it('reads a comma group for point-decimal users', () => {
    const result = interpret('727,242', 'point-decimal');

    expect(result?.value.toString()).toBe('727242');
    expect(result?.ambiguousSeparator).toBe(false);
  });

  it('reads a point group for comma-decimal users', () => {
    const result = interpret('12.345', 'comma-decimal');

    expect(result?.value.toString()).toBe('12345');
    expect(result?.ambiguousSeparator).toBe(false);
  });

  it('flags a point that is decimal by convention but too precise', () => {
    const result = interpret('12.345', 'point-decimal', 2);

    expect(result?.ambiguousSeparator).toBe(true);
  });

  it('flags a comma that is decimal by convention but too precise', () => {
    const result = interpret('727,242', 'comma-decimal', 2);

    expect(result?.ambiguousSeparator).toBe(true);
  });

  it('flags three digits after a mark without a convention', () => {
    const result = interpret('12.345', null, 2);

    expect(result?.ambiguousSeparator).toBe(true);
  });

  it('reads three decimals for three-decimal currencies', () => {
    const result = interpret('12.345', 'point-decimal', 3);

    expect(result?.value.toString()).toBe('12.345');
    expect(result?.ambiguousSeparator).toBe(false);
  });

  it('groups for zero-decimal currencies whatever the convention', () => {
    const result = interpret('1,200', 'comma-decimal', 0);

    expect(result?.value.toString()).toBe('1200');
    expect(result?.ambiguousSeparator).toBe(false);
  });
});

describe('formatAmount', () => {
  it('pads to the currency exponent', () => {
    expect(formatAmount(new Decimal('5'), 0, 'EUR').amount).toBe('5.00');
  });

  it('drops decimals for zero-exponent currencies', () => {
    expect(formatAmount(new Decimal('1200'), 0, 'JPY').amount).toBe('1200');
  });

  it('keeps extra decimals and reports them', () => {
    const formatted = formatAmount(new Decimal('0.075'), 3, 'EUR');

    expect(formatted.amount).toBe('0.075');
    expect(formatted.excessPrecision).toBe(true);
  });

  it('keeps the written decimals without a currency', () => {
    expect(formatAmount(new Decimal('123.40'), 2, null).amount).toBe('123.40');
  });
});
