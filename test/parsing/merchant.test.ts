import { isCategoryKeyword } from '../../lib/parsing/category-keywords';
import { extractMerchant } from '../../lib/parsing/merchant';

const EXPENSE = { acceptFrom: false, isCategoryKeyword };
const INCOME = { acceptFrom: true, isCategoryKeyword };

/** Merchant text has amounts and dates replaced by `|`, as `parseMessage` passes it. */
function merchantOf(text: string, options = EXPENSE): string | null {
  return extractMerchant(text, options)?.name ?? null;
}

describe('extractMerchant', () => {
  it.each([
    ['lunch at Subway', 'Subway'],
    ['lunch at Subway ||||| for the team', 'Subway'],
    ["dinner at Joe's Pizza ||||||||| ", "Joe's Pizza"],
    ['coffee @Starbucks', 'Starbucks'],
    ['purchase |||||||| at CAFE LUNA. Balance ||||||', 'CAFE LUNA'],
    ['client lunch at The Keg', 'The Keg'],
    ['dinner at the Ritz', 'Ritz'],
    ['sent || to John', 'John'],
    ['uber ||', 'uber'],
    ['|||||||||||||||||||| Example Shop', 'Example Shop'],
    ['Oxxo ||', 'Oxxo'],
  ])('finds the merchant in "%s"', (text, expected) => {
    expect(merchantOf(text)).toBe(expected);
  });

  it.each([
    'lunch at work',
    'coffee at the airport',
    'Coffee ||',
    'Paid |||| for parking',
    'Card purchase ||||',
  ])('finds none in "%s"', (text) => {
    expect(merchantOf(text)).toBeNull();
  });

  it('reads "from" for income', () => {
    expect(merchantOf('salary || from Acme Corp', INCOME)).toBe('Acme Corp');
  });

  it('ignores a lower-case place after "from" for an expense', () => {
    expect(merchantOf('flight from london ||')).toBeNull();
  });

  it('returns the span of the name', () => {
    expect(extractMerchant('lunch at Subway', EXPENSE)?.span).toEqual({ start: 9, end: 15 });
  });
});
