import { decideKind, decideKindWithoutAmount, hasTransactionWords } from '../../lib/parsing/kind';

const UNSIGNED = { negative: false, positive: false, bankNotation: false };

describe('decideKind', () => {
  it('reads a written minus as a refund', () => {
    expect(decideKind('shoes', { ...UNSIGNED, negative: true })).toEqual({
      kind: 'refund',
      fromWordsOnly: false,
    });
  });

  it('reads a minus in bank notation as an expense', () => {
    const decision = decideKind('Example Shop', { negative: true, positive: false, bankNotation: true });

    expect(decision.kind).toBe('expense');
  });

  it('reads a plus as income', () => {
    expect(decideKind('side gig', { ...UNSIGNED, positive: true }).kind).toBe('income');
  });

  it.each([
    'refund',
    'got it back from Ana',
    'reimbursed by work',
    'returned shoes',
    'cashback',
    'chargeback',
  ])('reads "%s" as a refund from words', (text) => {
    expect(decideKind(text, UNSIGNED)).toEqual({ kind: 'refund', fromWordsOnly: true });
  });

  it.each([
    'salary',
    'paycheck',
    'got paid',
    'received',
    'income',
    'bonus',
    'freelance',
    'dividend',
    'sold bike',
  ])('reads "%s" as income', (text) => {
    expect(decideKind(text, UNSIGNED).kind).toBe('income');
  });

  it('does not read a return flight as a refund', () => {
    expect(decideKind('return flight', UNSIGNED).kind).toBe('expense');
  });

  it('prefers refund words over income words', () => {
    expect(decideKind('received refund', UNSIGNED).kind).toBe('refund');
  });

  it('defaults to an expense', () => {
    expect(decideKind('coffee', UNSIGNED)).toEqual({ kind: 'expense', fromWordsOnly: false });
  });
});

describe('decideKindWithoutAmount', () => {
  it('reads income words', () => {
    expect(decideKindWithoutAmount('salary came in')).toBe('income');
  });

  it('defaults to an expense', () => {
    expect(decideKindWithoutAmount('paid the electricity bill')).toBe('expense');
  });
});

describe('hasTransactionWords', () => {
  it('finds a spending verb', () => {
    expect(hasTransactionWords('bought a lamp')).toBe(true);
  });

  it('finds nothing in small talk', () => {
    expect(hasTransactionWords('see you later')).toBe(false);
  });
});
