import type { Transaction } from '../../../lib/domain/transaction';
import type { MonthRange } from '../../../lib/processor/calendar';
import { renderBalance, renderStats } from '../../../lib/processor/summaries';

const JUNE: MonthRange = { month: '2024-06', firstDay: '2024-06-01', lastDay: '2024-06-30' };

let sequence = 0;

function transaction(overrides: Partial<Transaction>): Transaction {
  sequence += 1;

  return {
    userId: 'user-1',
    transactionId: `t${sequence}`,
    kind: 'expense',
    amountMinor: 1000,
    currency: 'EUR',
    date: '2024-06-03',
    description: 'something',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: sequence },
    createdAtEpochMs: 1_717_400_000_000,
    updatedAtEpochMs: 1_717_400_000_000,
    ...overrides,
  };
}

function linesOf(text: string): string[] {
  return text.split('\n');
}

describe('renderBalance', () => {
  const month = [
    transaction({ amountMinor: 5000, category: 'Food & Dining' }),
    transaction({ amountMinor: 2000, category: 'Transportation', status: 'confirmed' }),
    transaction({ kind: 'refund', amountMinor: 1000, category: 'Food & Dining' }),
    transaction({ kind: 'income', amountMinor: 250000, category: 'Income' }),
    transaction({ amountMinor: 99900, status: 'pending' }),
    transaction({ amountMinor: 3000, currency: 'USD' }),
    transaction({ amountMinor: 1200, currency: 'JPY' }),
  ];

  it('titles the month range', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))[0]).toBe(
      '💰 <b>Balance for 2024-06</b> (2024-06-01 to 2024-06-30)',
    );
  });

  it('subtracts refunds from spending', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('Spent: <b>60.00 EUR</b>');
  });

  it('sums income', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('Income: <b>2500.00 EUR</b>');
  });

  it('shows net', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('Net: <b>2440.00 EUR</b>');
  });

  it('counts home transactions only', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('Transactions: 4');
  });

  it('excludes pending from totals', () => {
    expect(renderBalance(month, JUNE, 'EUR')).not.toContain('999.00');
  });

  it('notes one pending proposal', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('1 unconfirmed proposal is not counted.');
  });

  it('notes several pending proposals', () => {
    const pending = [transaction({ status: 'pending' }), transaction({ status: 'pending' })];

    expect(linesOf(renderBalance(pending, JUNE, 'EUR'))).toContain(
      '2 unconfirmed proposals are not counted.',
    );
  });

  it('omits pending note without pending', () => {
    const saved = [transaction({})];

    expect(renderBalance(saved, JUNE, 'EUR')).not.toContain('unconfirmed');
  });

  it('lists other currencies apart', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain('In other currencies (not converted):');
  });

  it('lists USD unconverted', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain(
      '• USD: spent 30.00 USD, income 0.00 USD (1 transaction)',
    );
  });

  it('formats JPY without decimals', () => {
    expect(linesOf(renderBalance(month, JUNE, 'EUR'))).toContain(
      '• JPY: spent 1200 JPY, income 0 JPY (1 transaction)',
    );
  });

  it('counts other currency transactions', () => {
    const dollars = [
      transaction({ currency: 'USD', amountMinor: 100 }),
      transaction({ currency: 'USD', amountMinor: 200 }),
    ];

    expect(linesOf(renderBalance(dollars, JUNE, 'EUR'))).toContain(
      '• USD: spent 3.00 USD, income 0.00 USD (2 transactions)',
    );
  });

  it('omits other currencies section when none', () => {
    const homeOnly = [transaction({})];

    expect(renderBalance(homeOnly, JUNE, 'EUR')).not.toContain('other currencies');
  });

  it('renders JPY home currency', () => {
    const yen = [
      transaction({ currency: 'JPY', amountMinor: 1500 }),
      transaction({ currency: 'JPY', amountMinor: 80 }),
    ];

    expect(linesOf(renderBalance(yen, JUNE, 'JPY'))).toContain('Spent: <b>1580 JPY</b>');
  });

  it('renders empty month as zero', () => {
    expect(linesOf(renderBalance([], JUNE, 'EUR'))).toContain('Spent: <b>0.00 EUR</b>');
  });
});

describe('renderStats', () => {
  const month = [
    transaction({ amountMinor: 2000, category: 'Transportation' }),
    transaction({ amountMinor: 5000, category: 'Food & Dining' }),
    transaction({ kind: 'refund', amountMinor: 1000, category: 'Food & Dining' }),
    transaction({ amountMinor: 500 }),
    transaction({ kind: 'income', amountMinor: 250000, category: 'Income' }),
    transaction({ amountMinor: 70000, category: 'Travel', status: 'pending' }),
    transaction({ amountMinor: 1200, currency: 'JPY', category: 'Food & Dining' }),
  ];

  it('orders categories largest first', () => {
    expect(linesOf(renderStats(month, JUNE, 'EUR')).slice(1, 4)).toEqual([
      '• Food &amp; Dining: 40.00 EUR (62%)',
      '• Transportation: 20.00 EUR (31%)',
      '• No category: 5.00 EUR (8%)',
    ]);
  });

  it('shows total spending', () => {
    expect(linesOf(renderStats(month, JUNE, 'EUR'))).toContain('Total: <b>65.00 EUR</b>');
  });

  it('leaves out income', () => {
    expect(renderStats(month, JUNE, 'EUR')).not.toContain('• Income');
  });

  it('leaves out pending', () => {
    expect(renderStats(month, JUNE, 'EUR')).not.toContain('Travel');
  });

  it('lists JPY apart', () => {
    expect(linesOf(renderStats(month, JUNE, 'EUR'))).toContain(
      '• JPY: spent 1200 JPY, income 0 JPY (1 transaction)',
    );
  });

  it('says when no spending', () => {
    const incomeOnly = [transaction({ kind: 'income', amountMinor: 1000 })];

    expect(linesOf(renderStats(incomeOnly, JUNE, 'EUR'))).toContain(
      'No spending in EUR recorded this month yet.',
    );
  });

  it('lists other currencies without home spending', () => {
    const dollarsOnly = [transaction({ currency: 'USD', amountMinor: 1500 })];

    expect(linesOf(renderStats(dollarsOnly, JUNE, 'EUR'))).toContain(
      '• USD: spent 15.00 USD, income 0.00 USD (1 transaction)',
    );
  });

  it('titles the month', () => {
    expect(linesOf(renderStats(month, JUNE, 'EUR'))[0]).toBe('📊 <b>Spending by category, 2024-06</b>');
  });
});
