import type { Transaction } from '../../../lib/domain/transaction';
import {
  acceptedInsights,
  FallbackSummaryInsights,
  MAX_INSIGHT_LENGTH,
  PlainSummaryInsights,
  type SummaryInsights,
  selectSummaryInsights,
  type WeeklySummaryFacts,
} from '../../../lib/notify/summary/insights';
import type { SummaryWeek } from '../../../lib/notify/summary/week';
import { weeklySummaryFacts } from '../../../lib/notify/summary/weekly-summary-data';
import { renderEmail, renderPush, renderSms, validateTemplateData } from '../../../lib/notify/templates';

const WEEK: SummaryWeek = { isoWeek: '2026-W12', firstDay: '2026-03-16', lastDay: '2026-03-22' };

let sequence = 0;

function transaction(overrides: Partial<Transaction>): Transaction {
  sequence += 1;

  return {
    userId: 'user-1',
    transactionId: `t${sequence}`,
    kind: 'expense',
    amountMinor: 1000,
    currency: 'EUR',
    date: '2026-03-18',
    description: 'something',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: sequence },
    createdAtEpochMs: 1_774_000_000_000,
    updatedAtEpochMs: 1_774_000_000_000,
    ...overrides,
  };
}

/** A week in euros, dollars and yen: 60.00 EUR spent after a refund, 1500.00 EUR income. */
const THREE_CURRENCIES = [
  transaction({ amountMinor: 4520, category: 'Food & Dining' }),
  transaction({ amountMinor: 2480, category: 'Transportation' }),
  transaction({ kind: 'refund', amountMinor: 1000, category: 'Food & Dining' }),
  transaction({ kind: 'income', amountMinor: 150000, category: 'Income' }),
  transaction({ amountMinor: 99900, status: 'pending', category: 'Shopping' }),
  transaction({ amountMinor: 1999, currency: 'USD', category: 'Shopping' }),
  transaction({ amountMinor: 3000, currency: 'USD' }),
  transaction({ amountMinor: 1200, currency: 'JPY', category: 'Food & Dining' }),
];

const USER = { displayName: 'Ana', homeCurrency: 'EUR' };

describe('weeklySummaryFacts', () => {
  it('totals the home currency', () => {
    const facts = weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES);

    expect(facts).toMatchObject({
      periodStart: '2026-03-16',
      periodEnd: '2026-03-22',
      currency: 'EUR',
      totalSpent: '60.00',
      totalIncome: '1500.00',
    });
  });

  it('counts every currency but not proposals', () => {
    expect(weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES).transactionCount).toBe(7);
  });

  it('lists other currencies apart', () => {
    expect(weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES).otherCurrencies).toEqual([
      { currency: 'USD', totalSpent: '49.99', totalIncome: '0.00', transactionCount: 2 },
      { currency: 'JPY', totalSpent: '1200', totalIncome: '0', transactionCount: 1 },
    ]);
  });

  it('counts converted transactions in the home currency', () => {
    const converted = transaction({
      amountMinor: 2000,
      currency: 'USD',
      category: 'Shopping',
      conversion: {
        status: 'converted',
        homeCurrency: 'EUR',
        amountMinor: 1840,
        rate: '0.92',
        provider: 'frankfurter',
        providerUpdatedAt: '2026-03-18',
        rateDate: '2026-03-18',
        convertedAtEpochMs: 1_774_000_000_000,
      },
    });
    const facts = weeklySummaryFacts(USER, WEEK, [...THREE_CURRENCIES, converted]);

    expect(facts.totalSpent).toBe('78.40');
    expect(facts.transactionCount).toBe(8);
    expect(facts.otherCurrencies?.[0]).toEqual({
      currency: 'USD',
      totalSpent: '49.99',
      totalIncome: '0.00',
      transactionCount: 2,
    });
  });

  it('ranks home-currency categories after refunds', () => {
    expect(weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES).topCategories).toEqual([
      { category: 'Food & Dining', amount: '35.20' },
      { category: 'Transportation', amount: '24.80' },
    ]);
  });

  it('summarizes an empty week', () => {
    const facts = weeklySummaryFacts({ homeCurrency: 'BRL' }, WEEK, []);

    expect(facts).toEqual({
      periodStart: '2026-03-16',
      periodEnd: '2026-03-22',
      currency: 'BRL',
      totalSpent: '0.00',
      totalIncome: '0.00',
      transactionCount: 0,
      topCategories: [],
    });
  });

  it('fits the weekly-summary template', () => {
    const facts = weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES);

    expect(() => validateTemplateData('weekly-summary', 'email', facts)).not.toThrow();
  });
});

describe('three-currency weekly summary', () => {
  const data = {
    ...weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES),
    insights: ['Food & Dining was your largest category: 35.20 EUR, 59% of your spending.'],
  };

  it('renders every currency in the e-mail text', () => {
    const { text } = renderEmail('weekly-summary', data);

    expect(text).toContain('Spent: 60.00 EUR');
    expect(text).toContain('- USD: spent 49.99 USD, income 0.00 USD (2 transactions)');
    expect(text).toContain('- JPY: spent 1200 JPY, income 0 JPY (1 transaction)');
    expect(text).toContain('7 transactions recorded.');
    expect(text).toContain('Highlights:');
  });

  it('renders every currency in the e-mail html', () => {
    const { html } = renderEmail('weekly-summary', data);

    expect(html).toContain('<strong>60.00 EUR</strong>');
    expect(html).toContain('<li>USD: spent 49.99 USD, income 0.00 USD (2 transactions)</li>');
    expect(html).toContain('<li>JPY: spent 1200 JPY, income 0 JPY (1 transaction)</li>');
    expect(html).toContain('<li>Food &amp; Dining was your largest category');
  });

  it('renders every currency in push and sms', () => {
    expect(renderPush('weekly-summary', data).body).toBe(
      'You spent 60.00 EUR, 49.99 USD and 1200 JPY from 2026-03-16 to 2026-03-22.',
    );
    expect(renderSms('weekly-summary', data)).toBe(
      'Financy: you spent 60.00 EUR, 49.99 USD and 1200 JPY from 2026-03-16 to 2026-03-22 ' +
        '(7 transactions recorded).',
    );
  });

  it('rejects an overlong insight', () => {
    expect(() =>
      renderEmail('weekly-summary', { ...data, insights: ['x'.repeat(MAX_INSIGHT_LENGTH + 1)] }),
    ).toThrow('data.insights[0]');
  });
});

describe('PlainSummaryInsights', () => {
  const facts: WeeklySummaryFacts = weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES);

  it('names the largest category and the net', async () => {
    await expect(new PlainSummaryInsights().generate(facts)).resolves.toEqual([
      'Food & Dining was your largest category: 35.20 EUR, 59% of your spending.',
      'You earned 1440.00 EUR more than you spent.',
    ]);
  });

  it('nudges after an empty week', async () => {
    const insights = await new PlainSummaryInsights().generate(weeklySummaryFacts(USER, WEEK, []));

    expect(insights).toEqual([
      'No transactions were recorded this week. Write to the bot whenever you spend or earn money.',
    ]);
  });

  it('reports overspending', async () => {
    const insights = await new PlainSummaryInsights().generate({
      ...facts,
      totalSpent: '200.00',
      totalIncome: '150.5',
    });

    expect(insights).toContain('You spent 49.50 EUR more than you earned.');
  });
});

describe('FallbackSummaryInsights', () => {
  const facts = weeklySummaryFacts(USER, WEEK, THREE_CURRENCIES);
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };

  it('uses the primary generator', async () => {
    const ai: SummaryInsights = { name: 'ai', generate: async () => ['From the model.'] };

    await expect(selectSummaryInsights(ai, logger).generate(facts)).resolves.toEqual(['From the model.']);
  });

  it('falls back when the primary fails', async () => {
    const ai: SummaryInsights = {
      name: 'ai',
      generate: async () => {
        throw new Error('model unavailable');
      },
    };

    const insights = await new FallbackSummaryInsights(ai, new PlainSummaryInsights(), logger).generate(
      facts,
    );

    expect(insights[0]).toContain('Food & Dining was your largest category');
    expect(warnings).toEqual(['Summary insights failed, so the fallback writes them']);
  });

  it('falls back when the primary returns nothing', async () => {
    const ai: SummaryInsights = { name: 'ai', generate: async () => [] };

    const insights = await selectSummaryInsights(ai, logger).generate(facts);

    expect(insights).toHaveLength(2);
  });

  it('selects plain without an AI generator', () => {
    expect(selectSummaryInsights(undefined, logger).name).toBe('plain');
  });
});

describe('acceptedInsights', () => {
  it('trims, shortens and caps insights', () => {
    const accepted = acceptedInsights(['  one\n two ', '', 'y'.repeat(400), 'three', 'four']);

    expect(accepted).toHaveLength(3);
    expect(accepted[0]).toBe('one two');
    expect(accepted[1]).toHaveLength(MAX_INSIGHT_LENGTH);
    expect(accepted[1]!.endsWith('…')).toBe(true);
    expect(accepted[2]).toBe('three');
  });
});
