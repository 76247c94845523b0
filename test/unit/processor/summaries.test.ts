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

describe('summaries with conversions', () => {
  function convertedTo(
    homeCurrency: string,
    amountMinor: number,
    rateDate: string,
  ): NonNullable<Transaction['conversion']> {
    return {
      status: 'converted',
      homeCurrency,
      amountMinor,
      rate: '1.25',
      provider: 'frankfurter',
      providerUpdatedAt: rateDate,
      rateDate,
      convertedAtEpochMs: 1_717_400_000_000,
    };
  }

  const pendingUsd: NonNullable<Transaction['conversion']> = {
    status: 'pending',
    homeCurrency: 'USD',
    reason: 'FxRateMissingError',
    attemptedAtEpochMs: 1_717_400_000_000,
  };

  // Home USD: 20.00 USD, 12.50 EUR → 15.62 USD, 1000 JPY → 6.25 USD, 1.250 KWD → 4.07 USD (45.94 USD), 3.00 CHF pending.
  const month = [
    transaction({ currency: 'USD', amountMinor: 2000, category: 'Transportation' }),
    transaction({
      currency: 'EUR',
      amountMinor: 1250,
      category: 'Food & Dining',
      conversion: convertedTo('USD', 1562, '2024-06-03'),
    }),
    transaction({
      currency: 'JPY',
      amountMinor: 1000,
      category: 'Food & Dining',
      conversion: convertedTo('USD', 625, '2024-06-03'),
    }),
    transaction({
      currency: 'KWD',
      amountMinor: 1250,
      category: 'Shopping',
      conversion: convertedTo('USD', 407, '2024-06-03'),
    }),
    transaction({ currency: 'CHF', amountMinor: 300, category: 'Food & Dining', conversion: pendingUsd }),
  ];

  it('totals converted spending', () => {
    expect(linesOf(renderBalance(month, JUNE, 'USD'))).toContain('Spent: <b>45.94 USD</b>');
  });

  it('counts converted transactions', () => {
    expect(linesOf(renderBalance(month, JUNE, 'USD'))).toContain('Transactions: 4');
  });

  it('names one rate date', () => {
    expect(linesOf(renderBalance(month, JUNE, 'USD'))).toContain(
      '3 transactions converted at rates of 2024-06-03',
    );
  });

  it('names the rate date range', () => {
    const dates = [
      transaction({ conversion: convertedTo('USD', 100, '2024-06-05') }),
      transaction({ conversion: convertedTo('USD', 100, '2024-06-01') }),
      transaction({ conversion: convertedTo('USD', 100, '2024-06-03') }),
    ];

    expect(linesOf(renderBalance(dates, JUNE, 'USD'))).toContain(
      '3 transactions converted at rates of 2024-06-01 to 2024-06-05',
    );
  });

  it('names one converted transaction', () => {
    const single = [transaction({ conversion: convertedTo('USD', 100, '2024-06-05') })];

    expect(linesOf(renderBalance(single, JUNE, 'USD'))).toContain(
      '1 transaction converted at rates of 2024-06-05',
    );
  });

  it('omits rate line without conversions', () => {
    expect(renderBalance([transaction({ currency: 'USD' })], JUNE, 'USD')).not.toContain('converted at');
  });

  it('lists pending conversions apart', () => {
    const lines = linesOf(renderBalance(month, JUNE, 'USD'));

    expect(lines).toContain('Conversion to USD pending (no exchange rate yet), not counted:');
    expect(lines).toContain('• CHF: spent 3.00 CHF, income 0.00 CHF (1 transaction)');
  });

  it('omits not-converted heading with conversions', () => {
    expect(renderBalance(month, JUNE, 'USD')).not.toContain('(not converted)');
  });

  it('lists conversions for another home apart', () => {
    const euroHome = [
      transaction({ currency: 'JPY', amountMinor: 1000, conversion: convertedTo('EUR', 580, '2024-06-03') }),
    ];

    const lines = linesOf(renderBalance(euroHome, JUNE, 'USD'));

    expect(lines).toContain('In other currencies (not converted):');
    expect(lines).toContain('• JPY: spent 1000 JPY, income 0 JPY (1 transaction)');
    expect(lines).toContain('Spent: <b>0.00 USD</b>');
  });

  it.each([
    ['NaN', Number.NaN],
    ['a fraction', 12.5],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('never adds %s', (_case, amountMinor) => {
    const broken = [
      transaction({ currency: 'USD', amountMinor: 1000 }),
      transaction({
        currency: 'EUR',
        amountMinor: 800,
        conversion: convertedTo('USD', amountMinor, '2024-06-03'),
      }),
    ];

    const text = renderBalance(broken, JUNE, 'USD');

    expect(linesOf(text)).toContain('Spent: <b>10.00 USD</b>');
    expect(linesOf(text)).toContain('• EUR: spent 8.00 EUR, income 0.00 EUR (1 transaction)');
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it('converts income and refunds', () => {
    const mixed = [
      transaction({
        kind: 'income',
        currency: 'EUR',
        amountMinor: 100000,
        conversion: convertedTo('USD', 125000, '2024-06-03'),
      }),
      transaction({
        kind: 'refund',
        currency: 'EUR',
        amountMinor: 400,
        conversion: convertedTo('USD', 500, '2024-06-03'),
      }),
      transaction({ currency: 'USD', amountMinor: 2000 }),
    ];

    const lines = linesOf(renderBalance(mixed, JUNE, 'USD'));

    expect(lines).toContain('Income: <b>1250.00 USD</b>');
    expect(lines).toContain('Spent: <b>15.00 USD</b>');
  });

  it('groups converted stats by category', () => {
    expect(linesOf(renderStats(month, JUNE, 'USD')).slice(1, 5)).toEqual([
      '• Food &amp; Dining: 21.87 USD (48%)',
      '• Transportation: 20.00 USD (44%)',
      '• Shopping: 4.07 USD (9%)',
      'Total: <b>45.94 USD</b>',
    ]);
  });

  it('shows rate date in stats', () => {
    expect(linesOf(renderStats(month, JUNE, 'USD'))).toContain(
      '3 transactions converted at rates of 2024-06-03',
    );
  });

  it('lists pending in stats without home spending', () => {
    const onlyPending = [transaction({ currency: 'CHF', amountMinor: 300, conversion: pendingUsd })];

    const lines = linesOf(renderStats(onlyPending, JUNE, 'USD'));

    expect(lines).toContain('No spending in USD recorded this month yet.');
    expect(lines).toContain('• CHF: spent 3.00 CHF, income 0.00 CHF (1 transaction)');
  });
});
