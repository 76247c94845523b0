import type { Transaction, TransactionConversion } from '../../../lib/domain/transaction';
import { FxRateReader } from '../../../lib/fx/rate-reader';
import type { StoredRate } from '../../../lib/fx/rate-store';
import { convertForSummary, convertTransaction, type RateSource } from '../../../lib/processor/conversion';
import { StoreError } from '../../../lib/store/errors';
import { ManualClock } from '../../resilience/support';
import { CapturingLogger } from '../../support/capturing-logger';
import { MemoryFxRateStore } from '../../support/memory-fx-rate-store';

const NOW_MS = Date.parse('2026-12-04T15:00:00Z');
const MINUTE_MS = 60_000;

function rate(value: string, overrides: Partial<StoredRate> = {}): StoredRate {
  return {
    rate: value,
    provider: 'frankfurter',
    providerUpdatedAt: '2026-12-04',
    fetchedAtEpochMs: NOW_MS,
    ...overrides,
  };
}

/** Units per 1 USD: 1 EUR = 1.25 USD, 1 USD = 160 JPY, 1 USD = 0.307 KWD. */
const LATEST_RATES = { EUR: rate('0.8'), JPY: rate('160'), KWD: rate('0.307') };

let sequence = 0;

function transaction(overrides: Partial<Transaction> = {}): Transaction {
  sequence += 1;

  return {
    userId: 'user-1',
    transactionId: `t${sequence}`,
    kind: 'expense',
    amountMinor: 1250,
    currency: 'EUR',
    date: '2026-12-04',
    description: 'lunch',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: sequence },
    createdAtEpochMs: NOW_MS,
    updatedAtEpochMs: NOW_MS,
    ...overrides,
  };
}

async function setUp(rates: Record<string, StoredRate> = LATEST_RATES) {
  const clock = new ManualClock(NOW_MS);
  const store = new MemoryFxRateStore();
  await store.saveLatest({ baseCurrency: 'USD', rates, updatedAtEpochMs: NOW_MS }, 0);
  const lines: string[] = [];
  const reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });
  const dependencies = { rates: reader, now: clock.now, logger: new CapturingLogger('test', lines) };

  return { clock, store, lines, reader, dependencies };
}

function converted(conversion: TransactionConversion | undefined) {
  if (conversion?.status !== 'converted') {
    throw new Error(`expected a converted amount, got ${JSON.stringify(conversion)}`);
  }

  return conversion;
}

describe('convertTransaction', () => {
  it('stores rate, provider and date', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction(), 'USD', dependencies);

    expect(conversion).toEqual({
      status: 'converted',
      homeCurrency: 'USD',
      amountMinor: 1562,
      rate: '1.25',
      provider: 'frankfurter',
      providerUpdatedAt: '2026-12-04',
      rateDate: '2026-12-04',
      convertedAtEpochMs: NOW_MS,
    });
  });

  it.each([
    // 12.50 EUR × 1.25 = 15.625 USD: the half goes to the even cent.
    [1250, 1562],
    // 13.50 EUR × 1.25 = 16.875 USD.
    [1350, 1688],
    // 0.01 EUR × 1.25 = 0.0125 USD.
    [1, 1],
    [0, 0],
  ])('rounds %i EUR cents half to even as %i USD cents', async (amountMinor, expected) => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction({ amountMinor }), 'USD', dependencies);

    expect(converted(conversion).amountMinor).toBe(expected);
  });

  it.each([
    // 1000 JPY / 160 = 6.25 USD.
    [1000, 625],
    // 999 JPY / 160 = 6.24375 USD.
    [999, 624],
    // 1 JPY / 160 = 0.00625 USD.
    [1, 1],
  ])('converts %i JPY to %i USD cents', async (amountMinor, expected) => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(
      transaction({ currency: 'JPY', amountMinor }),
      'USD',
      dependencies,
    );

    expect(converted(conversion).amountMinor).toBe(expected);
  });

  it('converts USD cents to whole yen', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(
      transaction({ currency: 'USD', amountMinor: 1234 }),
      'JPY',
      dependencies,
    );

    // 12.34 USD × 160 = 1974.4 JPY.
    expect(converted(conversion)).toMatchObject({ amountMinor: 1974, rate: '160' });
  });

  it.each([
    // 10.00 USD × 0.307 = 3.070 KWD.
    [1000, 3070],
    // 0.50 USD × 0.307 = 0.1535 KWD: the half goes to the even fils.
    [50, 154],
    // 1.50 USD × 0.307 = 0.4605 KWD.
    [150, 460],
  ])('converts %i USD cents to %i fils', async (amountMinor, expected) => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(
      transaction({ currency: 'USD', amountMinor }),
      'KWD',
      dependencies,
    );

    expect(converted(conversion).amountMinor).toBe(expected);
  });

  it('converts a cross rate through the base', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction({ amountMinor: 1250 }), 'KWD', dependencies);

    // 0.307 / 0.8 = 0.38375 KWD per EUR; 12.50 EUR = 4.796875 KWD.
    expect(converted(conversion)).toMatchObject({ amountMinor: 4797, rate: '0.38375' });
  });

  it('dates a cross rate by its older leg', async () => {
    const { dependencies } = await setUp({
      EUR: rate('0.8', { provider: 'frankfurter', providerUpdatedAt: '2026-12-03' }),
      JPY: rate('160', { provider: 'currency-api', providerUpdatedAt: '2026-12-04T00:00:00Z' }),
    });

    const conversion = await convertTransaction(transaction(), 'JPY', dependencies);

    expect(converted(conversion)).toMatchObject({
      amountMinor: 2500,
      rate: '200',
      provider: 'frankfurter+currency-api',
      providerUpdatedAt: '2026-12-03',
      rateDate: '2026-12-03',
    });
  });

  it('marks a currency without rate pending', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(
      transaction({ currency: 'CHF', amountMinor: 300 }),
      'USD',
      dependencies,
    );

    expect(conversion).toEqual({
      status: 'pending',
      homeCurrency: 'USD',
      reason: 'FxRateMissingError',
      attemptedAtEpochMs: NOW_MS,
    });
  });

  it('marks an expired rate pending', async () => {
    const { clock, dependencies } = await setUp();
    clock.advance(91 * MINUTE_MS);

    const conversion = await convertTransaction(transaction(), 'USD', dependencies);

    expect(conversion).toMatchObject({ status: 'pending', reason: 'FxRateExpiredError' });
  });

  it('uses a stale rate within the window', async () => {
    const { clock, dependencies } = await setUp();
    clock.advance(89 * MINUTE_MS);

    const conversion = await convertTransaction(transaction(), 'USD', dependencies);

    expect(converted(conversion).amountMinor).toBe(1562);
  });

  it('uses the rates stored on a past date', async () => {
    const clock = new ManualClock(NOW_MS);
    const store = new MemoryFxRateStore();
    const december1 = Date.parse('2026-12-01T18:00:00Z');
    await store.saveLatest(
      {
        baseCurrency: 'USD',
        rates: { EUR: rate('0.9', { providerUpdatedAt: '2026-12-01', fetchedAtEpochMs: december1 }) },
        updatedAtEpochMs: december1,
      },
      0,
    );
    await store.saveLatest({ baseCurrency: 'USD', rates: LATEST_RATES, updatedAtEpochMs: NOW_MS }, 1);
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });

    const conversion = await convertTransaction(
      transaction({ amountMinor: 1000, date: '2026-12-01' }),
      'USD',
      { rates: reader, now: clock.now, logger: new CapturingLogger('test') },
    );

    // 10.00 EUR / 0.9 = 11.111… USD.
    expect(converted(conversion)).toMatchObject({
      amountMinor: 1111,
      rate: '1.1111111111111111111',
      rateDate: '2026-12-01',
    });
  });

  it('falls back to latest without day rates', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction({ date: '2026-11-20' }), 'USD', dependencies);

    expect(converted(conversion)).toMatchObject({ amountMinor: 1562, rateDate: '2026-12-04' });
  });

  it('skips the home currency', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction({ currency: 'USD' }), 'USD', dependencies);

    expect(conversion).toBeUndefined();
  });

  it('skips without rate source', async () => {
    const conversion = await convertTransaction(transaction(), 'USD', {
      now: () => NOW_MS,
      logger: new CapturingLogger('test'),
    });

    expect(conversion).toBeUndefined();
  });

  it('marks a failed rate read pending', async () => {
    const lines: string[] = [];
    const failing: RateSource = {
      getRate: async () => {
        throw new StoreError('GetItem', 'fx-rates', { cause: new Error('connection reset') });
      },
    };

    const conversion = await convertTransaction(transaction(), 'USD', {
      rates: failing,
      now: () => NOW_MS,
      logger: new CapturingLogger('test', lines),
    });

    expect(conversion).toMatchObject({ status: 'pending', reason: 'StoreError' });
    expect(lines.map((line) => JSON.parse(line).message)).toContain('Reading the exchange rate failed');
  });

  it('marks an out-of-range result pending', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(
      transaction({ amountMinor: Number.MAX_SAFE_INTEGER }),
      'USD',
      dependencies,
    );

    expect(conversion).toMatchObject({ status: 'pending', reason: 'AmountOutOfRange' });
  });

  it('marks a fractional amount pending', async () => {
    const { dependencies } = await setUp();

    const conversion = await convertTransaction(transaction({ amountMinor: 12.5 }), 'USD', dependencies);

    expect(conversion).toMatchObject({ status: 'pending', reason: 'InvalidAmount' });
  });
});

describe('convertForSummary', () => {
  function recordingStore() {
    const saved: Array<{ transactionId: string; conversion: TransactionConversion }> = [];

    return {
      saved,
      async saveConversion(basis: Transaction, conversion: TransactionConversion) {
        saved.push({ transactionId: basis.transactionId, conversion });
        return { ...basis, conversion };
      },
    };
  }

  const pendingUsd: TransactionConversion = {
    status: 'pending',
    homeCurrency: 'USD',
    reason: 'FxRateMissingError',
    attemptedAtEpochMs: NOW_MS - 3_600_000,
  };

  it('converts and stores a pending conversion', async () => {
    const { dependencies } = await setUp();
    const transactions = recordingStore();
    const pendingEuro = transaction({ conversion: pendingUsd });

    const [result] = await convertForSummary([pendingEuro], 'USD', { ...dependencies, transactions });

    expect(converted(result?.conversion).amountMinor).toBe(1562);
    expect(transactions.saved).toEqual([
      { transactionId: pendingEuro.transactionId, conversion: result?.conversion },
    ]);
  });

  it('converts a legacy transaction', async () => {
    const { dependencies } = await setUp();
    const transactions = recordingStore();

    const [result] = await convertForSummary([transaction({ currency: 'JPY', amountMinor: 1000 })], 'USD', {
      ...dependencies,
      transactions,
    });

    expect(converted(result?.conversion).amountMinor).toBe(625);
    expect(transactions.saved).toHaveLength(1);
  });

  it('keeps stored conversions', async () => {
    // Today's rate differs from the stored one, which must stay.
    const { dependencies } = await setUp({ EUR: rate('0.5') });
    const transactions = recordingStore();
    const stored: TransactionConversion = {
      status: 'converted',
      homeCurrency: 'USD',
      amountMinor: 1562,
      rate: '1.25',
      provider: 'frankfurter',
      providerUpdatedAt: '2026-12-03',
      rateDate: '2026-12-03',
      convertedAtEpochMs: NOW_MS - 86_400_000,
    };
    const already = transaction({ conversion: stored });

    const [result] = await convertForSummary([already], 'USD', { ...dependencies, transactions });

    expect(result?.conversion).toEqual(stored);
    expect(transactions.saved).toEqual([]);
  });

  it('converts again for a new home currency', async () => {
    const { dependencies } = await setUp();
    const transactions = recordingStore();
    const inUsd = await convertTransaction(transaction(), 'USD', dependencies);

    const [result] = await convertForSummary([transaction({ conversion: inUsd })], 'JPY', {
      ...dependencies,
      transactions,
    });

    expect(converted(result?.conversion)).toMatchObject({ homeCurrency: 'JPY', amountMinor: 2500 });
    expect(transactions.saved).toHaveLength(1);
  });

  it('keeps pending without rate and stores nothing', async () => {
    const { dependencies } = await setUp();
    const transactions = recordingStore();

    const [result] = await convertForSummary(
      [transaction({ currency: 'CHF', conversion: pendingUsd })],
      'USD',
      { ...dependencies, transactions },
    );

    expect(result?.conversion).toMatchObject({ status: 'pending', homeCurrency: 'USD' });
    expect(transactions.saved).toEqual([]);
  });

  it('leaves unconfirmed proposals alone', async () => {
    const { dependencies } = await setUp();
    const transactions = recordingStore();

    const [result] = await convertForSummary([transaction({ status: 'pending' })], 'USD', {
      ...dependencies,
      transactions,
    });

    expect(result?.conversion).toBeUndefined();
    expect(transactions.saved).toEqual([]);
  });

  it('returns input without rate source', async () => {
    const transactions = recordingStore();
    const input = [transaction()];

    const result = await convertForSummary(input, 'USD', {
      now: () => NOW_MS,
      logger: new CapturingLogger('test'),
      transactions,
    });

    expect(result).toBe(input);
  });

  it('reads each date rate once', async () => {
    const { reader } = await setUp();
    let reads = 0;
    const counting: RateSource = {
      getRate: (from, to, atEpochMs) => {
        reads += 1;
        return reader.getRate(from, to, atEpochMs);
      },
    };
    const month = Array.from({ length: 25 }, (_, index) =>
      transaction({ amountMinor: 100 + index, date: index % 2 === 0 ? '2026-12-04' : '2026-12-05' }),
    );

    const result = await convertForSummary(month, 'USD', {
      rates: counting,
      now: () => NOW_MS,
      logger: new CapturingLogger('test'),
      transactions: recordingStore(),
    });

    expect(reads).toBe(2);
    expect(result.every((entry) => entry.conversion?.status === 'converted')).toBe(true);
  });

  it('keeps the input order', async () => {
    const { dependencies } = await setUp();
    const month = [transaction({ currency: 'USD' }), transaction(), transaction({ currency: 'CHF' })];

    const result = await convertForSummary(month, 'USD', { ...dependencies, transactions: recordingStore() });

    expect(result.map((entry) => entry.transactionId)).toEqual(month.map((entry) => entry.transactionId));
  });
});
