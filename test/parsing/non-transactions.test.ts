import { isGreeting, isQuestion, isYearOnly } from '../../lib/parsing/non-transactions';
import { parseMessage } from '../../lib/parsing/parse-message';
import { contextFor } from './support';

describe('parseMessage non-transactions', () => {
  it.each([
    ['hi', 'greeting'],
    ['thanks!', 'greeting'],
    ['good morning 🙂', 'greeting'],
    ['how much did I spend?', 'question'],
    ['what did I spend on food in March?', 'question'],
    ['meet at 5pm', 'time'],
    ['12:30', 'time'],
    ['see you at 8', 'time'],
    ['call me at +1 555 123 4567', 'phone-number'],
    ['my number is 0912 345 678', 'phone-number'],
    ['order #12345 shipped', 'reference-number'],
    ['Your OTP is 482913', 'reference-number'],
    ['2024-03-14', 'date-only'],
    ['14/03', 'date-only'],
    ['March 3', 'date-only'],
    ['yesterday', 'date-only'],
    ['2024', 'year-only'],
    ['in 2019', 'year-only'],
    ['ran 5 km today', 'measurement'],
    ['I have 2 kids', 'measurement'],
    ['https://example.com/order/55', 'not-a-transaction'],
  ])('reads "%s" as no transaction because of %s', (text, flag) => {
    const result = parseMessage(text, contextFor('USD'));

    expect(result.kind).toBe('none');
    expect(result.amount).toBeNull();
    expect(result.flags).toContain(flag);
    expect(result.confidence).toBeLessThan(0.4);
  });

  it('keeps the date a bare date names', () => {
    expect(parseMessage('yesterday', contextFor('USD')).date).toBe('2026-03-17');
  });

  it('asks for the amount of a purchase without one', () => {
    const result = parseMessage('lunch at Subway', contextFor('EUR'));

    expect(result.kind).toBe('expense');
    expect(result.amount).toBeNull();
    expect(result.flags).toContain('missing-amount');
    expect(result.confidence).toBeLessThan(0.4);
  });

  it('books a request phrased as a question', () => {
    expect(parseMessage('can you add 20 for lunch?', contextFor('EUR')).kind).toBe('expense');
  });
});

describe('isQuestion', () => {
  it('detects a trailing question mark', () => {
    expect(isQuestion('spent too much?')).toBe(true);
  });

  it('detects a question word at the start', () => {
    expect(isQuestion('show my expenses')).toBe(true);
  });

  it('ignores a statement', () => {
    expect(isQuestion('coffee 3')).toBe(false);
  });
});

describe('isGreeting', () => {
  it('detects thanks with punctuation', () => {
    expect(isGreeting('Thank you so much!!')).toBe(true);
  });

  it('ignores a greeting with a purchase', () => {
    expect(isGreeting('hi, coffee 3')).toBe(false);
  });
});

describe('isYearOnly', () => {
  it('detects a bare year', () => {
    expect(isYearOnly('2026')).toBe(true);
  });

  it('ignores an amount of the same size', () => {
    expect(isYearOnly('rent 2000')).toBe(false);
  });

  it('ignores numbers outside 1900 to 2099', () => {
    expect(isYearOnly('2500')).toBe(false);
  });
});
