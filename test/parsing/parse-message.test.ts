import { parseMessage } from '../../lib/parsing/parse-message';
import { contextFor, readInputLines, readTelegramUpdate } from './support';

describe('parseMessage decimal and grouping separators', () => {
  const lines = readInputLines('TXT-01.txt');
  const rows: Array<[string, string, string, string]> = [
    [lines[0]!, 'EUR', '20.00', 'EUR'],
    [lines[1]!, 'USD', '1000.00', 'EUR'],
    [lines[2]!, 'EUR', '0.075', 'EUR'],
    [lines[3]!, 'USD', '1234.56', 'USD'],
    [lines[4]!, 'USD', '727242.00', 'USD'],
    [lines[5]!, 'EUR', '123456.78', 'EUR'],
    [lines[6]!, 'USD', '4500.00', 'EUR'],
    [lines[7]!, 'USD', '100000.00', 'INR'],
    [lines[8]!, 'EUR', '12345.00', 'EUR'],
  ];

  it('covers every input line', () => {
    expect(lines).toHaveLength(rows.length);
  });

  it.each(rows)('reads "%s" for a %s user as %s %s', (text, home, amount, currency) => {
    const result = parseMessage(text, contextFor(home));

    expect(result.amount).toBe(amount);
    expect(result.currency).toBe(currency);
    expect(result.kind).not.toBe('none');
  });

  it('flags more decimals than the currency allows', () => {
    const result = parseMessage(lines[2]!, contextFor('EUR'));

    expect(result.flags).toContain('excess-precision');
    expect(result.confidence).toBeLessThan(0.7);
  });

  it('asks when a comma decimal has three digits for a EUR user', () => {
    const result = parseMessage(lines[4]!, contextFor('EUR'));

    expect(result.flags).toContain('ambiguous-separator');
    expect(result.confidence).toBeLessThan(0.7);
  });

  it('asks when a point has three digits for a USD user', () => {
    const result = parseMessage(lines[8]!, contextFor('USD'));

    expect(result.flags).toContain('ambiguous-separator');
    expect(result.confidence).toBeLessThan(0.7);
  });

  it('asks when the home currency has no known convention', () => {
    const result = parseMessage(lines[4]!, contextFor('ZAR'));

    expect(result.flags).toContain('ambiguous-separator');
  });

  it('does not flag a comma group for a USD user', () => {
    const result = parseMessage(lines[4]!, contextFor('USD'));

    expect(result.flags).not.toContain('ambiguous-separator');
  });

  it('reads 12k as twelve thousand', () => {
    expect(parseMessage('12k laptop', contextFor('EUR')).amount).toBe('12000.00');
  });
});

describe('parseMessage currency symbols', () => {
  const lines = readInputLines('TXT-02.txt');
  const rows: Array<[string, string, string, string | null]> = [
    [lines[0]!, 'CAD', '25.00', 'CAD'],
    [lines[1]!, 'EUR', '40.00', 'CAD'],
    [lines[2]!, 'EUR', '59.90', 'BRL'],
    [lines[3]!, 'SEK', '350.00', 'SEK'],
    [lines[4]!, 'USD', '1200', 'JPY'],
    [lines[5]!, 'USD', '5.00', 'EUR'],
    [lines[6]!, 'USD', '12.50', 'EUR'],
    [lines[7]!, 'NOK', '123.45', 'NOK'],
  ];

  it('covers every input line', () => {
    expect(lines).toHaveLength(rows.length);
  });

  it.each(rows)('reads "%s" for a %s user as %s %s', (text, home, amount, currency) => {
    const result = parseMessage(text, contextFor(home));

    expect(result.amount).toBe(amount);
    expect(result.currency).toBe(currency);
  });

  it.each(['MXN', 'AUD', 'NZD', 'SGD', 'HKD'])('gives $ to a %s user as the home currency', (home) => {
    expect(parseMessage(lines[0]!, contextFor(home)).currency).toBe(home);
  });

  it('guesses USD for $ and asks a EUR user', () => {
    const result = parseMessage(lines[0]!, contextFor('EUR'));

    expect(result.currency).toBe('USD');
    expect(result.flags).toContain('ambiguous-currency');
    expect(result.confidence).toBeLessThan(0.7);
  });

  it('leaves kr unresolved for a EUR user', () => {
    const result = parseMessage(lines[3]!, contextFor('EUR'));

    expect(result.currency).toBeNull();
    expect(result.flags).toContain('ambiguous-currency');
    expect(result.confidence).toBeLessThan(0.7);
  });

  it('reads kr. with a dotted amount as the home krone', () => {
    expect(parseMessage(lines[7]!, contextFor('EUR')).amount).toBe('123.45');
  });

  it('reads yen as CNY for a CNY user', () => {
    expect(parseMessage(lines[4]!, contextFor('CNY')).currency).toBe('CNY');
  });

  it.each([
    ['$25', 'USD', '25.00'],
    ['25$', 'USD', '25.00'],
    ['€9,99', 'EUR', '9.99'],
    ['100 EUR', 'EUR', '100.00'],
    ['EUR 100', 'EUR', '100.00'],
    ['20 euros', 'EUR', '20.00'],
    ['500 rupees', 'INR', '500.00'],
    ['30 pounds', 'GBP', '30.00'],
    ['2000 yen', 'JPY', '2000'],
    ['50 reais', 'BRL', '50.00'],
    ['Rs. 499', 'INR', '499.00'],
  ])('reads %s as %s %s', (text, currency, amount) => {
    const result = parseMessage(text, contextFor('USD'));

    expect(result.currency).toBe(currency);
    expect(result.amount).toBe(amount);
  });

  it('uses the home currency when the text names none', () => {
    expect(parseMessage('lunch 12', contextFor('BRL')).currency).toBe('BRL');
  });
});

describe('parseMessage signs and refunds', () => {
  const lines = readInputLines('TXT-03.txt');
  const rows: Array<[string, string, string]> = [
    [lines[0]!, '30.00', 'EUR'],
    [lines[1]!, '500.00', 'INR'],
    [lines[2]!, '20.00', 'USD'],
    [lines[3]!, '20.00', 'USD'],
    [lines[4]!, '20.00', 'EUR'],
    [lines[5]!, '9.99', 'EUR'],
    [lines[6]!, '15.00', 'EUR'],
  ];

  it('covers every input line', () => {
    expect(lines).toHaveLength(rows.length);
  });

  it.each(rows)('reads "%s" as a refund of %s %s', (text, amount, currency) => {
    const result = parseMessage(text, contextFor(currency === 'USD' ? 'USD' : 'EUR'));

    expect(result.kind).toBe('refund');
    expect(result.amount).toBe(amount);
    expect(result.currency).toBe(currency);
  });

  it('asks to confirm a refund known only from words', () => {
    const result = parseMessage(lines[6]!, contextFor('EUR'));

    expect(result.flags).toContain('direction-from-words');
    expect(result.confidence).toBeLessThanOrEqual(0.7);
  });

  it('names the person who paid back', () => {
    expect(parseMessage(lines[6]!, contextFor('EUR')).merchant).toBe('Ana');
  });

  it('trusts a written minus without asking about direction', () => {
    expect(parseMessage(lines[3]!, contextFor('USD')).flags).not.toContain('direction-from-words');
  });

  it('reads parentheses mid-sentence as an aside', () => {
    expect(parseMessage('lunch (12.50)', contextFor('EUR')).kind).toBe('expense');
  });

  it.each([
    ['salary 2000', 'income'],
    ['paycheck 1,500.00', 'income'],
    ['got paid 300', 'income'],
    ['received 250 from Mike', 'income'],
    ['bonus 500', 'income'],
    ['freelance payment 800', 'income'],
    ['dividend 12.40', 'income'],
    ['+500 side gig', 'income'],
    ['coffee 3', 'expense'],
  ])('reads "%s" as %s', (text, kind) => {
    expect(parseMessage(text, contextFor('EUR')).kind).toBe(kind);
  });

  it('files income under Income', () => {
    expect(parseMessage('salary 2000', contextFor('EUR')).category).toBe('Income');
  });
});

describe('parseMessage several amounts', () => {
  const lines = readInputLines('TXT-05.txt');

  it('covers every input line', () => {
    expect(lines).toHaveLength(4);
  });

  it('books one expense for two items and one price', () => {
    const result = parseMessage(lines[0]!, contextFor('INR'));

    expect(result.amount).toBe('300.00');
    expect(result.additional).toBeUndefined();
    expect(result.description).toBe('bread and tea');
  });

  it('lists the second item of two priced items', () => {
    const result = parseMessage(lines[1]!, contextFor('INR'));

    expect(result.amount).toBe('50.00');
    expect(result.additional).toEqual([{ amount: '20.00', description: 'snacks' }]);
  });

  it('asks to confirm two priced items', () => {
    const result = parseMessage(lines[1]!, contextFor('INR'));

    expect(result.confidence).toBeGreaterThanOrEqual(0.4);
    expect(result.confidence).toBeLessThanOrEqual(0.7);
    expect(result.flags).toContain('multiple-amounts');
  });

  it('books the charged amount of a conversion and keeps the original', () => {
    const result = parseMessage(lines[2]!, contextFor('USD'));

    expect(result.kind).toBe('expense');
    expect(result.amount).toBe('896.41');
    expect(result.currency).toBe('UAH');
    expect(result.original).toEqual({ amount: '19.99', currency: 'USD' });
    expect(result.merchant).toBe('Example Shop');
  });

  it('never books the balance of a bank alert', () => {
    const result = parseMessage(lines[3]!, contextFor('EUR'));

    expect(result.amount).toBe('23.90');
    expect(result.currency).toBe('EUR');
    expect(result.additional).toBeUndefined();
  });
});

describe('parseMessage Telegram text', () => {
  it('books forwarded bank alert purchase', () => {
    const { text } = readTelegramUpdate('TG-05.json');

    const result = parseMessage(text, contextFor('EUR'));

    expect(result.kind).toBe('expense');
    expect(result.amount).toBe('23.90');
    expect(result.currency).toBe('EUR');
    expect(result.merchant).toBe('CAFE LUNA');
  });

  it('reads the amount after emoji and ignores digits in a link', () => {
    const { text } = readTelegramUpdate('TG-06.json');

    const result = parseMessage(text, contextFor('EUR'));

    expect(result.amount).toBe('12.40');
    expect(result.additional).toBeUndefined();
  });

  it('keeps UTF-16 offsets so a URL entity slices exactly', () => {
    const { text, entities } = readTelegramUpdate('TG-06.json');
    const entity = entities[0]!;

    expect(text.slice(entity.offset, entity.offset + entity.length)).toBe('https://example.com/r/1');
  });

  it('leaves the link out of the description', () => {
    const { text } = readTelegramUpdate('TG-06.json');

    expect(parseMessage(text, contextFor('EUR')).description).not.toContain('https');
  });
});

describe('parseMessage merchant, description and category', () => {
  it.each([
    ['spent 12.50 on lunch at Subway', 'Subway', 'lunch at Subway', 'Food & Dining'],
    ['Uber to airport 25', 'Uber', 'Uber to airport', 'Transportation'],
    ['Netflix 15.99', 'Netflix', 'Netflix', 'Entertainment'],
    ['fuel 60 at Shell yesterday', 'Shell', 'fuel at Shell', 'Transportation'],
    ['coffee @Starbucks 4.50', 'Starbucks', 'coffee @Starbucks', 'Food & Dining'],
    ['dinner at the Ritz 240', 'Ritz', 'dinner at the Ritz', 'Food & Dining'],
    ['lunch at work 12', null, 'lunch at work', 'Food & Dining'],
    ['Oxxo 45', 'Oxxo', 'Oxxo', null],
  ])('reads "%s"', (text, merchant, description, category) => {
    const result = parseMessage(text, contextFor('EUR'));

    expect(result.merchant).toBe(merchant);
    expect(result.description).toBe(description);
    expect(result.category).toBe(category);
  });

  it('lowers confidence when the category is unknown', () => {
    const result = parseMessage('misc 20', contextFor('EUR'));

    expect(result.category).toBeNull();
    expect(result.flags).toContain('unknown-category');
    expect(result.confidence).toBeLessThanOrEqual(0.7);
  });

  it('is confident about one amount, currency and category', () => {
    expect(parseMessage('coffee 3,20 €', contextFor('EUR')).confidence).toBeGreaterThan(0.7);
  });

  it('resolves dates in the user time zone', () => {
    const lateInLisbon = contextFor('EUR', '2026-03-18T23:30:00', 'Europe/Lisbon');

    expect(parseMessage('dinner 40 yesterday', lateInLisbon).date).toBe('2026-03-17');
  });

  it('uses the local date, not the UTC date', () => {
    const earlyInKolkata = contextFor('INR', '2026-01-02T01:00:00', 'Asia/Kolkata');

    expect(parseMessage('chai 20', earlyInKolkata).date).toBe('2026-01-02');
  });
});

describe('parseMessage context validation', () => {
  it('rejects a home currency that is not a code', () => {
    expect(() => parseMessage('coffee 3', contextFor('EURO'))).toThrow(/three-letter ISO 4217 code/);
  });

  it('rejects an invalid reference time', () => {
    const context = { ...contextFor('EUR'), referenceTime: new Date(Number.NaN) };

    expect(() => parseMessage('coffee 3', context)).toThrow(/Invalid referenceTime/);
  });

  it('rejects an unknown time zone', () => {
    const context = { ...contextFor('EUR'), timeZone: 'Europe/Atlantis' };

    expect(() => parseMessage('coffee 3', context)).toThrow(/Invalid time zone "Europe\/Atlantis"/);
  });
});
