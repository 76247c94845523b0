import type { Transaction, TransactionConversion } from '../../lib/domain/transaction';
import { FxRateReader } from '../../lib/fx/rate-reader';
import { convertForSummary } from '../../lib/processor/conversion';
import { renderBalance } from '../../lib/processor/summaries';
import { DynamoTransactionStore } from '../../lib/store/transaction-store';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { CapturingLogger } from '../support/capturing-logger';
import { MemoryFxRateStore } from '../support/memory-fx-rate-store';

const NOW_MS = Date.parse('2026-12-04T15:00:00Z');

const CONVERTED: TransactionConversion = {
  status: 'converted',
  homeCurrency: 'USD',
  amountMinor: 1562,
  rate: '1.25',
  provider: 'frankfurter',
  providerUpdatedAt: '2026-12-04',
  rateDate: '2026-12-04',
  convertedAtEpochMs: NOW_MS,
};

const PENDING: TransactionConversion = {
  status: 'pending',
  homeCurrency: 'USD',
  reason: 'FxRateMissingError',
  attemptedAtEpochMs: NOW_MS,
};

let local: LocalTables;
let store: DynamoTransactionStore;
let counter = 0;

function transaction(overrides: Partial<Transaction> = {}): Transaction {
  counter += 1;

  return {
    userId: `conversion-user-${counter}`,
    transactionId: `t${counter}`,
    kind: 'expense',
    amountMinor: 1250,
    currency: 'EUR',
    date: '2026-12-04',
    description: 'lunch',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: '11110001', messageId: counter },
    createdAtEpochMs: NOW_MS,
    updatedAtEpochMs: NOW_MS,
    ...overrides,
  };
}

beforeAll(async () => {
  local = await createLocalTables('conversions');
  store = new DynamoTransactionStore({
    client: local.client,
    tableName: local.tables.transactions,
    now: () => NOW_MS + 60_000,
  });
});

afterAll(() => {
  local?.destroy();
});

describe('DynamoTransactionStore conversions', () => {
  it('stores a conversion with the transaction', async () => {
    const created = transaction({ conversion: CONVERTED });
    await store.create(created);

    const stored = await store.get(created.userId, created.transactionId);

    expect(stored).toMatchObject({ amountMinor: 1250, currency: 'EUR', conversion: CONVERTED });
  });

  it('reads a legacy item without conversion', async () => {
    const legacy = transaction();
    await store.create(legacy);

    const [listed] = await store.listByDate(legacy.userId, '2026-12-01', '2026-12-31');

    expect(listed?.conversion).toBeUndefined();
    expect(listed?.amountMinor).toBe(1250);
  });

  it('replaces a pending conversion', async () => {
    const pending = transaction({ conversion: PENDING });
    await store.create(pending);

    const updated = await store.saveConversion(pending, CONVERTED);

    expect(updated?.conversion).toEqual(CONVERTED);
    expect((await store.get(pending.userId, pending.transactionId))?.conversion).toEqual(CONVERTED);
  });

  it('keeps updatedAtEpochMs on conversion', async () => {
    const pending = transaction({ conversion: PENDING });
    await store.create(pending);

    const updated = await store.saveConversion(pending, CONVERTED);

    expect(updated?.updatedAtEpochMs).toBe(NOW_MS);
  });

  it.each([
    ['amount', { amountMinor: 2000 }],
    ['currency', { currency: 'GBP' }],
    ['date', { date: '2026-12-05' }],
  ])('rejects conversion after %s edit', async (_field, changes) => {
    const original = transaction({ conversion: PENDING });
    await store.create(original);
    await store.update(original.userId, original.transactionId, changes);

    const result = await store.saveConversion(original, CONVERTED);

    expect(result).toBeUndefined();
    expect((await store.get(original.userId, original.transactionId))?.conversion).toBeUndefined();
  });

  it('rejects conversion of a deleted transaction', async () => {
    const deleted = transaction();
    await store.create(deleted);
    await store.delete(deleted.userId, deleted.transactionId);

    const result = await store.saveConversion(deleted, CONVERTED);

    expect(result).toBeUndefined();
    expect(await store.get(deleted.userId, deleted.transactionId)).toBeUndefined();
  });

  it.each([
    ['amount', { amountMinor: 2000 }],
    ['currency', { currency: 'GBP' }],
    ['date', { date: '2026-12-05' }],
  ])('removes conversion on %s edit', async (_field, changes) => {
    const converted = transaction({ conversion: CONVERTED });
    await store.create(converted);

    const updated = await store.update(converted.userId, converted.transactionId, changes);

    expect(updated?.conversion).toBeUndefined();
    expect(updated).toMatchObject(changes);
  });

  it.each([
    ['category', { category: 'Travel' as const }],
    ['status', { status: 'confirmed' as const }],
    ['description', { description: 'dinner' }],
  ])('keeps conversion on %s change', async (_field, changes) => {
    const converted = transaction({ conversion: CONVERTED });
    await store.create(converted);

    const updated = await store.update(converted.userId, converted.transactionId, changes);

    expect(updated?.conversion).toEqual(CONVERTED);
  });
});

describe('convertForSummary on DynamoDB', () => {
  const DECEMBER = { month: '2026-12', firstDay: '2026-12-01', lastDay: '2026-12-31' };

  async function readerWith(chfPerUsd: string) {
    const rates = new MemoryFxRateStore();
    await rates.saveLatest(
      {
        baseCurrency: 'USD',
        rates: {
          CHF: {
            rate: chfPerUsd,
            provider: 'frankfurter',
            providerUpdatedAt: '2026-12-04',
            fetchedAtEpochMs: NOW_MS,
          },
        },
        updatedAtEpochMs: NOW_MS,
      },
      0,
    );

    return new FxRateReader({ store: rates, baseCurrency: 'USD', now: () => NOW_MS });
  }

  it('stores a retried pending conversion', async () => {
    const pending = transaction({ currency: 'CHF', amountMinor: 300, conversion: PENDING });
    await store.create(pending);

    await convertForSummary([pending], 'USD', {
      rates: await readerWith('0.8'),
      now: () => NOW_MS,
      logger: new CapturingLogger('test'),
      transactions: store,
    });

    // 3.00 CHF / 0.8 = 3.75 USD.
    expect((await store.get(pending.userId, pending.transactionId))?.conversion).toMatchObject({
      status: 'converted',
      amountMinor: 375,
      rate: '1.25',
      rateDate: '2026-12-04',
    });
  });

  it('keeps the stored amount when rates change', async () => {
    const pending = transaction({ currency: 'CHF', amountMinor: 300, conversion: PENDING });
    await store.create(pending);
    const dependencies = { now: () => NOW_MS, logger: new CapturingLogger('test'), transactions: store };
    await convertForSummary([pending], 'USD', { ...dependencies, rates: await readerWith('0.8') });

    const listed = await store.listByDate(pending.userId, DECEMBER.firstDay, DECEMBER.lastDay);
    const again = await convertForSummary(listed, 'USD', { ...dependencies, rates: await readerWith('0.5') });

    expect(renderBalance(again, DECEMBER, 'USD')).toContain('Spent: <b>3.75 USD</b>');
  });
});
