import type { Transaction } from '../../../lib/domain/transaction';
import { formatRate, transactionDetails } from '../../../lib/messages/en';

/** Builds a 20.00 EUR expense converted to USD at a cross rate, as the processor stores it. */
function convertedExpense(rate: string): Transaction {
  return {
    userId: 'user-1',
    transactionId: 'transaction-1',
    kind: 'expense',
    amountMinor: 2000,
    currency: 'EUR',
    date: '2026-12-04',
    description: 'lunch',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '20000001', messageId: 1 },
    createdAtEpochMs: 1_796_000_000_000,
    updatedAtEpochMs: 1_796_000_000_000,
    conversion: {
      status: 'converted',
      homeCurrency: 'USD',
      amountMinor: 2174,
      rate,
      provider: 'exchangerate-api',
      providerUpdatedAt: '2026-12-04T00:00:00Z',
      rateDate: '2026-12-04',
      convertedAtEpochMs: 1_796_000_000_000,
    },
  };
}

describe('conversion line', () => {
  it('shows a cross rate to 6 digits', () => {
    const details = transactionDetails(convertedExpense('1.0869565217391304348'));

    expect(details).toContain('💱 21.74 USD (1 EUR = 1.08696 USD, exchangerate-api, rate of 2026-12-04)');
  });

  it('keeps the stored rate exact', () => {
    const transaction = convertedExpense('1.0869565217391304348');
    transactionDetails(transaction);

    expect(transaction.conversion).toMatchObject({ rate: '1.0869565217391304348' });
  });

  it('shows a short rate unchanged', () => {
    expect(transactionDetails(convertedExpense('1.25'))).toContain('(1 EUR = 1.25 USD,');
  });
});

describe('formatRate', () => {
  it.each([
    ['1.0869565217391304348', '1.08696'],
    ['1.25', '1.25'],
    ['160', '160'],
    ['0.0062500000000000000', '0.00625'],
    ['0.000000012345678', '0.0000000123457'],
    ['123456789.5', '123457000'],
    ['1.000005', '1'],
    ['1.0000050001', '1.00001'],
    ['3.2586550000', '3.25866'],
    ['3.2586450000', '3.25864'],
  ])('shows %s as %s', (rate, expected) => {
    expect(formatRate(rate)).toBe(expected);
  });
});
