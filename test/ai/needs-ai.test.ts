import { needsAi } from '../../lib/ai/needs-ai';
import { parseMessage } from '../../lib/parsing/parse-message';
import type { ParseResult } from '../../lib/parsing/types';

const CONTEXT = {
  homeCurrency: 'EUR',
  timeZone: 'Europe/Lisbon',
  referenceTime: new Date('2025-03-14T12:00:00Z'),
};

function parsed(overrides: Partial<ParseResult>): ParseResult {
  return {
    kind: 'expense',
    amount: '12.50',
    currency: 'EUR',
    date: '2025-03-14',
    merchant: 'Subway',
    description: 'lunch',
    category: 'Food & Dining',
    confidence: 0.95,
    flags: [],
    ...overrides,
  };
}

describe('needsAi', () => {
  it('keeps a confident parse local', () => {
    expect(needsAi(parsed({}))).toBe(false);
  });

  it('asks AI at or below the save threshold', () => {
    expect(needsAi(parsed({ confidence: 0.7 }))).toBe(true);
    expect(needsAi(parsed({ confidence: 0.5 }))).toBe(true);
  });

  it('asks AI for an unknown category', () => {
    expect(needsAi(parsed({ category: null, flags: ['unknown-category'], confidence: 0.6 }))).toBe(true);
  });

  it('asks AI for several candidate amounts', () => {
    expect(needsAi(parsed({ flags: ['multiple-amounts'], confidence: 0.55 }))).toBe(true);
  });

  it('keeps settled non-transactions local', () => {
    expect(needsAi(parsed({ kind: 'none', amount: null, confidence: 0.05, flags: ['greeting'] }))).toBe(
      false,
    );
  });

  it.each([
    ['spent 12.50 EUR on lunch at Subway', false],
    ['hello there', false],
    ['paid 40 to Zorblax', true],
    ['coffee 3 and croissant 2.20 at the bakery', true],
  ])('decides for the local parse of %p', (text, expected) => {
    expect(needsAi(parseMessage(text, CONTEXT))).toBe(expected);
  });
});
