import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Decimal from 'decimal.js';
import { classifyLine } from '../../lib/receipts/classify';
import { pairColumns } from '../../lib/receipts/columns';
import { foldLabel, readReceiptLines } from '../../lib/receipts/ocr-noise';
import { InvalidReceiptOptionsError, parseReceipt } from '../../lib/receipts/parse-receipt';
import { checkTotals, sumReceipt } from '../../lib/receipts/totals';

const CASES = resolve(__dirname, '../../../shared/cases/inputs');
const FIXTURES = resolve(__dirname, '../fixtures/receipts');
const REFERENCE = '2026-12-05';

function parse(text: string, homeCurrency = 'USD', referenceDate = REFERENCE) {
  return parseReceipt(text, { homeCurrency, referenceDate });
}

function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** Splits the shared receipt-dates input into its three samples and drops the `# sample` comment lines. */
function rcpt03Samples(): string[] {
  const text = readFileSync(resolve(CASES, 'RCPT-03.txt'), 'utf8');
  return text
    .split(/^# sample.*$/m)
    .map((sample) => sample.trim())
    .filter((sample) => sample !== '');
}

function classOf(label: string, afterTotal = false) {
  return classifyLine(foldLabel(label), {
    hasAmount: true,
    negative: false,
    afterTotal,
    beforeFirstAmount: false,
  }).lineClass;
}

describe('line classification', () => {
  it.each([
    ['TOTAL', 'total'],
    ['Total a pagar', 'total'],
    ['TOTAL EUR', 'total'],
    ['Importe', 'total'],
    ['Summe', 'total'],
    ['Gesamt', 'total'],
    ['MONTANT TTC', 'total'],
    ['Amount due', 'total'],
    ['Balance due', 'total'],
    ['GRAND TOTAL', 'total'],
    ['T0TAL', 'total'],
    ['合計', 'total'],
    ['Total incl. VAT', 'total'],
    ['CASH', 'cash'],
    ['Cash Tend', 'cash'],
    ['Efectivo', 'cash'],
    ['Gegeben BAR', 'cash'],
    ['お預り', 'cash'],
    ['CHANGE', 'change'],
    ['Change Due', 'change'],
    ['Cambio', 'change'],
    ['Rückgeld', 'change'],
    ['Troco', 'change'],
    ['お釣り', 'change'],
    ['TIP', 'tip'],
    ['Gratuity', 'tip'],
    ['Service charge 12.5%', 'tip'],
    ['Propina 10%', 'tip'],
    ['Subtotal', 'subtotal'],
    ['SUBT0TAL', 'subtotal'],
    ['Sub Total', 'subtotal'],
    ['TOTAL (EXCL. TAX)', 'subtotal'],
    ['Total HT', 'subtotal'],
    ['Zwischensumme', 'subtotal'],
    ['Tax', 'tax'],
    ['Sales Tax 7.75%', 'tax'],
    ['VAT 20%', 'tax'],
    ['IVA 23%', 'tax'],
    ['MwSt 19%', 'tax'],
    ['TVA 5,5%', 'tax'],
    ['TOTAL TAX', 'tax'],
    ['Coupon', 'discount'],
    ['Desconto', 'discount'],
    ['Rabatt', 'discount'],
    ['TOTAL QTY', 'count'],
    ['Suggested tip 20%', 'info'],
    ['YOU SAVED', 'info'],
    ['Gift card balance', 'info'],
    ['Croissant', 'item'],
    ['Chocolate bar', 'item'],
  ])('reads "%s" as %s', (label, expected) => {
    expect(classOf(label)).toBe(expected);
  });

  it('classifies card words by position', () => {
    expect(classOf('Debit', true)).toBe('payment');
    expect(classOf('VISA ****4821')).toBe('payment');
    expect(classOf('Birthday card')).toBe('item');
  });
});

describe('receipt with tip, cash and change: which TOTAL', () => {
  const text = readFileSync(resolve(CASES, 'RCPT-01.txt'), 'utf8');

  it('takes GRAND TOTAL, never cash, change, quantity, tip percent or subtotal', () => {
    const result = parse(text, 'EUR');

    expect(result.total).toBe('12.46');
    expect(['20.00', '7.54', '3', '20', '8.50', '10.46']).not.toContain(result.total);
  });

  it('keeps subtotal, tax, tip, cash and change as metadata', () => {
    const { breakdown } = parse(text, 'EUR');

    expect(breakdown).toEqual({
      subtotal: '8.50',
      tax: '1.96',
      tip: '2.00',
      discount: null,
      cash: '20.00',
      change: '7.54',
    });
  });

  it('reads the items and cross-checks 8.50 + 1.96 + 2.00 = 12.46', () => {
    const result = parse(text, 'EUR');

    expect(result.items).toEqual([
      { description: 'Latte', amount: '6.40' },
      { description: 'Croissant', amount: '2.10' },
    ]);
    expect(result.warnings).not.toContain('totals-mismatch');
  });

  it('infers EUR from the Lisbon address with low confidence for a USD user', () => {
    const result = parse(text, 'USD');

    expect(result.currency).toBe('EUR');
    expect(result.warnings).toContain('currency-from-address');
    expect(result.confidence).toBeLessThanOrEqual(0.7);
  });

  it('reads merchant and date', () => {
    const result = parse(text, 'EUR');

    expect(result.merchant).toBe('CAFE LUNA');
    expect(result.date).toBe('2024-03-14');
  });
});

describe('receipt dates and merchant line', () => {
  const [sampleA, sampleB, sampleC] = rcpt03Samples();

  it('sample A: merchant and dotted date', () => {
    const result = parse(sampleA!, 'EUR');

    expect(result.merchant).toBe('Mercado Fresco');
    expect(result.date).toBe('2024-03-14');
    expect(result.total).toBe('17.35');
    expect(result.currency).toBe('EUR');
  });

  it('sample B: USD date month first', () => {
    for (const home of ['USD', 'EUR', 'GBP']) {
      const result = parse(sampleB!, home);

      expect(result.date).toBe('2024-03-04');
      expect(result.currency).toBe('USD');
    }
  });

  it('sample C: repairs and flags OCR date', () => {
    const result = parse(sampleC!, 'USD');

    expect(result.date).toBe('2024-03-11');
    expect(result.warnings).toContain('date-ocr-corrected');
    expect(result.merchant).toBe('CITY PHARMACY');
  });

  it('reads two-digit years as 20yy', () => {
    expect(parse('SHOP\n14.03.26\nTOTAL 5,00 €', 'EUR').date).toBe('2026-03-14');
  });

  it('rejects a date in the future instead of guessing', () => {
    const result = parse('SHOP\n2027-01-15\nTOTAL 5.00', 'USD');

    expect(result.date).toBeNull();
    expect(result.warnings).toContain('future-date-rejected:2027-01-15');
  });

  it('never crashes on empty or odd text', () => {
    for (const text of ['', '\n\n', '12345', '*** ***', 'TOTAL', 'ÿÿÿ\u0000']) {
      const result = parse(text);

      expect(result.total).toBeNull();
      expect(result.merchant === null || typeof result.merchant === 'string').toBe(true);
    }
  });
});

describe('dates', () => {
  it('reads 05/12/2026 day first for a day-first currency and month first for USD', () => {
    expect(parse('CAFE\n05/12/2026\nTotal 4,00 €', 'EUR').date).toBe('2026-12-05');
    expect(parse('DINER\n05/12/2026\nTotal $4.00', 'USD').date).toBe('2026-05-12');
  });

  it('lets a part above 12 settle the order', () => {
    expect(parse('DINER\n12/25/2026\nTotal $4.00', 'USD', '2026-12-31').date).toBe('2026-12-25');
    expect(parse('CAFE\n25/11/2026\nTotal $4.00', 'USD').date).toBe('2026-11-25');
  });

  it('swaps day and month when the preferred reading lies in the future', () => {
    const result = parse('DINER\n11/30/2026\nTotal 4.00\n', 'USD', '2026-12-01');
    expect(result.date).toBe('2026-11-30');
    const swapped = parse('CAFE\n10/11/2026\nTotal 4,00 €', 'USD', '2026-10-20');

    expect(swapped.date).toBe('2026-10-11');
    expect(swapped.warnings).toContain('date-order-from-plausibility');
  });

  it('reads a month name, an ISO date and a CJK date', () => {
    expect(parse('SALON\nDate: Aug 22, 2026 3:40 PM\nAmount Due $10.00').date).toBe('2026-08-22');
    expect(parse('SHOP\n2026-03-05 14:10\nTOTAL 9.99').date).toBe('2026-03-05');
    expect(parse('ストア\n2026年10月21日(水) 13:05\n合計 ¥948').date).toBe('2026-10-21');
  });
});

describe('locale numbers and currencies', () => {
  it.each([
    ['SHOP\nSumme 1.234,56 €', 'EUR', '1234.56', 'EUR'],
    ['SHOP\nTOTAL 1 234,56 €', 'EUR', '1234.56', 'EUR'],
    ['SHOP\nTOTAL 12,50 €', 'USD', '12.50', 'EUR'],
    ['LOJA\nTOTAL R$ 59,90', 'USD', '59.90', 'BRL'],
    ['SHOP\n合計 ¥1,200', 'USD', '1200', 'JPY'],
    ['SHOP\nNet Amount ₹1,00,000.00', 'USD', '100000.00', 'INR'],
    ['SHOP\nTOTAL $25.00', 'CAD', '25.00', 'CAD'],
    ['SHOP\nTotal CHF 21.30', 'CHF', '21.30', 'CHF'],
    ['SHOP\nBALANCE DUE £14.88', 'EUR', '14.88', 'GBP'],
  ])('reads %j for a %s user as %s %s', (text, home, total, currency) => {
    const result = parse(text, home);

    expect(result.total).toBe(total);
    expect(result.currency).toBe(currency);
  });

  it('keeps the home currency when the receipt prints none, and says so', () => {
    const result = parse('SHOP\nTOTAL 9.99', 'GBP');

    expect(result.currency).toBe('GBP');
    expect(result.warnings).toContain('currency-assumed-home');
  });

  it('reads zero-decimal yen without multiplying by 100 and ignores register numbers', () => {
    const result = parse(fixture('jp-convenience.txt'), 'USD');

    expect(result.total).toBe('948');
    expect(result.items.map((item) => item.amount)).toEqual(['160', '398', '140', '250']);
  });
});

describe('OCR noise', () => {
  it('repairs O and l inside numbers but leaves words alone', () => {
    const lines = readReceiptLines('Lox Bagel 1O.50\nT0TAL 21.33\nMar l1, 2024\nIl Forno');

    expect(lines.map((line) => line.text)).toEqual([
      'Lox Bagel 10.50',
      'T0TAL 21.33',
      'Mar 11, 2024',
      'Il Forno',
    ]);
    expect(lines.map((line) => line.corrected)).toEqual([true, false, true, false]);
  });

  it('finds the total under T0TAL and items with 1O.50', () => {
    const result = parse(fixture('ocr-noise-total.txt'), 'USD');

    expect(result.total).toBe('21.33');
    expect(result.items.map((item) => item.amount)).toContain('10.50');
    expect(result.merchant).toBe('SUNRISE BAGEL');
  });
});

describe('column layouts', () => {
  it('pairs label and amount blocks', () => {
    const label = { labelOnly: true, amountOnly: false, blank: false };
    const amount = { labelOnly: false, amountOnly: true, blank: false };
    const blank = { labelOnly: false, amountOnly: false, blank: true };
    const { pairs } = pairColumns([label, label, label, blank, amount, amount]);

    expect([...pairs.entries()]).toEqual([
      [4, 1],
      [5, 2],
    ]);
  });

  it('reads a receipt whose amounts all come after the labels', () => {
    const result = parse(fixture('column-layout-us.txt'), 'USD');

    expect(result.total).toBe('26.34');
    expect(result.items).toEqual([
      { description: 'WOOD SCREWS #8 1', amount: '5.49' },
      { description: 'PAINT ROLLER 9IN', amount: '7.99' },
      { description: 'BLUE PAINTERS TAPE', amount: '6.29' },
      { description: 'SANDPAPER ASST', amount: '4.79' },
    ]);
    expect(result.breakdown.tax).toBe('1.78');
    expect(result.warnings).not.toContain('totals-mismatch');
  });

  it('joins a label with its amount on the next line', () => {
    const result = parse(fixture('broken-lines.txt'), 'USD');

    expect(result.total).toBe('19.95');
    expect(result.items.map((item) => item.description)).toEqual([
      'Organic Gala Apples 3 lb',
      'Almond Milk Unsweetened',
      'Sourdough Loaf',
      'Kombucha Ginger',
    ]);
  });
});

describe('items', () => {
  it('uses line totals and product names', () => {
    const result = parse(fixture('br-supermercado.txt'), 'BRL');

    expect(result.items.map((item) => item.amount)).toEqual(['24.90', '16.98', '7.99', '18.75']);
    expect(result.items[0]!.description).toContain('ARROZ');
    expect(result.total).toBe('66.62');
    expect(result.breakdown.discount).toBe('2.00');
  });

  it('multiplies quantity by unit price when no line total is printed', () => {
    const result = parse('SHOP\nLatte 2 x 3.20\nTOTAL 6.40', 'USD');

    expect(result.items).toEqual([{ description: 'Latte', amount: '6.40' }]);
  });
});

describe('totals check', () => {
  const entry = (
    lineClass: 'item' | 'tax' | 'tip' | 'total' | 'discount' | 'subtotal',
    amount: string,
    position: number,
  ) => ({
    position,
    lineClass,
    totalStrength: lineClass === 'total' ? ('plain' as const) : null,
    amount: new Decimal(amount),
    description: '',
  });

  it('accepts items + tax + tip - discounts within rounding', () => {
    const sums = sumReceipt([
      entry('item', '6.40', 0),
      entry('item', '2.10', 1),
      entry('discount', '-0.50', 2),
      entry('tax', '1.96', 3),
      entry('tip', '2.00', 4),
      entry('total', '11.97', 5),
    ]);

    expect(checkTotals(sums, new Decimal('0.02')).itemsMatch).toBe(true);
  });

  it('accepts tax already inside the prices', () => {
    const sums = sumReceipt([entry('item', '10.00', 0), entry('total', '10.00', 1), entry('tax', '1.67', 2)]);

    expect(checkTotals(sums, new Decimal('0.02')).itemsMatch).toBe(true);
  });

  it('flags a total that nothing adds up to and lowers confidence', () => {
    const good = parse('SHOP\nBread 2.00\nMilk 1.00\nTOTAL 3.00', 'USD');
    const bad = parse('SHOP\nBread 2.00\nMilk 1.00\nTOTAL 30.00', 'USD');

    expect(bad.warnings).toContain('totals-mismatch');
    expect(good.warnings).not.toContain('totals-mismatch');
    expect(bad.confidence).toBeLessThan(good.confidence);
  });

  it('falls back to card payment total', () => {
    const result = parse('SHOP\nBread 2.00\nMilk 1.00\nVISA 3.00', 'USD');

    expect(result.total).toBe('3.00');
    expect(result.warnings).toContain('total-from-payment');
  });

  it('does not take the largest number when no total is printed', () => {
    const result = parse('SHOP\nBread 2.00\nMilk 1.00', 'USD');

    expect(result.total).toBeNull();
    expect(result.warnings).toContain('total-not-found');
  });
});

describe('merchant', () => {
  it('skips welcome lines, addresses, phone numbers, tax ids and store numbers', () => {
    expect(parse(fixture('us-diner-tip.txt')).merchant).toBe('BLUE MOON DINER');
    expect(parse(fixture('us-gas-station.txt')).merchant).toBe('VALLEY FUEL STOP');
    expect(parse('VAT Reg 123456789\n+44 20 7946 0958\nThe Corner Shop\nTOTAL £3.00', 'GBP').merchant).toBe(
      'The Corner Shop',
    );
  });
});

describe('options', () => {
  it('rejects a malformed home currency or reference date', () => {
    expect(() => parseReceipt('x', { homeCurrency: 'euro' })).toThrow(InvalidReceiptOptionsError);
    expect(() => parseReceipt('x', { homeCurrency: 'EUR', referenceDate: '2026-02-30' })).toThrow(
      InvalidReceiptOptionsError,
    );
  });
});
