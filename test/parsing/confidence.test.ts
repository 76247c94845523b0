import { type ConfidenceInput, scoreConfidence } from '../../lib/parsing/confidence';

const CLEAR: ConfidenceInput = {
  kind: 'expense',
  hasAmount: true,
  hasCategory: true,
  currencyWritten: true,
  flags: [],
};

describe('scoreConfidence', () => {
  it('saves a clear message with a written currency', () => {
    expect(scoreConfidence(CLEAR)).toBeGreaterThan(0.7);
  });

  it('saves a clear message in the home currency', () => {
    expect(scoreConfidence({ ...CLEAR, currencyWritten: false })).toBeGreaterThan(0.7);
  });

  it.each([
    'multiple-amounts',
    'ambiguous-separator',
    'ambiguous-currency',
    'excess-precision',
    'unknown-category',
    'direction-from-words',
    'future-date',
  ] as const)('asks to confirm with %s', (flag) => {
    const score = scoreConfidence({ ...CLEAR, flags: [flag] });

    expect(score).toBeGreaterThanOrEqual(0.4);
    expect(score).toBeLessThanOrEqual(0.7);
  });

  it('lowers the score for each further flag', () => {
    const one = scoreConfidence({ ...CLEAR, flags: ['ambiguous-currency'] });
    const two = scoreConfidence({ ...CLEAR, flags: ['ambiguous-currency', 'unknown-category'] });

    expect(two).toBeLessThan(one);
  });

  it('never drops a message with an amount below the confirm band', () => {
    const score = scoreConfidence({
      ...CLEAR,
      flags: [
        'multiple-amounts',
        'ambiguous-separator',
        'ambiguous-currency',
        'excess-precision',
        'unknown-category',
      ],
    });

    expect(score).toBeGreaterThanOrEqual(0.4);
  });

  it('asks for details when the amount is missing', () => {
    expect(scoreConfidence({ ...CLEAR, hasAmount: false })).toBeLessThan(0.4);
  });

  it('scores a non-transaction lowest', () => {
    expect(scoreConfidence({ ...CLEAR, kind: 'none', hasAmount: false })).toBeLessThan(0.1);
  });
});
