import { findCategory } from '../../lib/parsing/category-keywords';

describe('findCategory', () => {
  it.each([
    ['coffee', 'Food & Dining'],
    ['groceries', 'Food & Dining'],
    ['uber eats dinner', 'Food & Dining'],
    ['uber to airport', 'Transportation'],
    ['gas bill', 'Bills & Utilities'],
    ['gas', 'Transportation'],
    ['rent', 'Bills & Utilities'],
    ['Netflix', 'Entertainment'],
    ['Amazon order', 'Shopping'],
    ['pharmacy', 'Healthcare'],
    ['tuition', 'Education'],
    ['hotel', 'Travel'],
    ['haircut', 'Personal Care'],
    ['birthday gift', 'Gifts & Donations'],
    ['coworking', 'Business'],
    ['bitcoin', 'Investments'],
    ['ATM fee', 'Fees & Charges'],
    ['salary', 'Income'],
    ['venmo', 'Transfers'],
  ])('files "%s" under %s', (text, category) => {
    expect(findCategory(text)?.category).toBe(category);
  });

  it('ignores a plural ending', () => {
    expect(findCategory('sandwiches')?.category).toBe('Food & Dining');
  });

  it('prefers the earliest keyword', () => {
    expect(findCategory('taxi to the restaurant')?.category).toBe('Transportation');
  });

  it('uses a generic word only without a strong keyword', () => {
    expect(findCategory('Example Shop')?.strength).toBe('weak');
  });

  it('returns null for unknown words', () => {
    expect(findCategory('misc stuff')).toBeNull();
  });
});
