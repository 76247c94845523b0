import { FxSnapshotConflictError } from '../../lib/fx/errors';
import { FxRequestCounter } from '../../lib/fx/http';
import { DynamoFxRateStore, type StoredRate } from '../../lib/fx/rate-store';
import { FxRefresher } from '../../lib/fx/refresh';
import type { RateProvider } from '../../lib/fx/types';
import { createFxTables, type FxTables } from '../support/fx-tables';
import { MemoryFxRateStore } from '../support/memory-fx-rate-store';

const NOW_MS = Date.parse('2024-06-06T10:00:00Z');

function rate(value: string, fetchedAtEpochMs = NOW_MS): StoredRate {
  return { rate: value, provider: 'frankfurter', providerUpdatedAt: '2024-06-06', fetchedAtEpochMs };
}

describe('DynamoFxRateStore', () => {
  let tables: FxTables;
  let store: DynamoFxRateStore;

  beforeEach(async () => {
    tables = await createFxTables('fx-store');
    store = new DynamoFxRateStore(tables.client, tables.ratesTable);
  });

  afterEach(() => {
    tables.destroy();
  });

  it('writes the latest rates and the copy of their UTC day', async () => {
    const written = await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.92') }, updatedAtEpochMs: NOW_MS },
      0,
    );

    expect(written.version).toBe(1);
    expect(await store.getLatest('USD')).toEqual(written);
    expect(await store.getDay('USD', '2024-06-06')).toEqual(written);
  });

  it('keeps rates as decimal strings', async () => {
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.1000000000000000000001') }, updatedAtEpochMs: NOW_MS },
      0,
    );

    expect((await store.getLatest('USD'))?.rates.EUR?.rate).toBe('0.1000000000000000000001');
  });

  it('rejects a write based on an outdated version', async () => {
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.92') }, updatedAtEpochMs: NOW_MS },
      0,
    );

    await expect(
      store.saveLatest({ baseCurrency: 'USD', rates: { EUR: rate('0.93') }, updatedAtEpochMs: NOW_MS }, 0),
    ).rejects.toBeInstanceOf(FxSnapshotConflictError);
    expect((await store.getLatest('USD'))?.rates.EUR?.rate).toBe('0.92');
  });

  it('keeps base currencies apart', async () => {
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.92') }, updatedAtEpochMs: NOW_MS },
      0,
    );

    expect(await store.getLatest('EUR')).toBeUndefined();
  });

  it('stores, lists and deletes provider statuses', async () => {
    const status = {
      provider: 'exchangerate-api' as const,
      errorType: 'invalid-key',
      fix: 'put a valid key',
      firstFailedAtEpochMs: NOW_MS,
      lastFailedAtEpochMs: NOW_MS,
      retryAfterEpochMs: NOW_MS + 86_400_000,
      configurationFingerprint: 'abc',
    };
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.92') }, updatedAtEpochMs: NOW_MS },
      0,
    );
    await store.putProviderStatus('USD', status);

    const listed = await store.getProviderStatuses('USD');
    await store.deleteProviderStatus('USD', 'exchangerate-api');

    expect(listed.get('exchangerate-api')).toMatchObject(status);
    expect(listed.size).toBe(1);
    expect((await store.getProviderStatuses('USD')).size).toBe(0);
  });
});

describe('FxRefresher concurrent writes', () => {
  function providerGiving(rates: Record<string, string>): RateProvider {
    return {
      id: 'frankfurter',
      fetchLatest: async (request) => ({
        provider: 'frankfurter',
        base: request.base,
        providerUpdatedAt: '2024-06-06',
        rates: new Map(Object.entries(rates).filter(([code]) => request.currencies.includes(code))),
        rejected: new Map(),
      }),
      configurationFingerprint: async () => 'fingerprint',
    };
  }

  it('merges a rate that another refresh wrote between its read and its write', async () => {
    const store = new MemoryFxRateStore();
    await store.saveLatest(
      {
        baseCurrency: 'USD',
        rates: { EUR: rate('0.91', NOW_MS - 3_600_000) },
        updatedAtEpochMs: NOW_MS - 3_600_000,
      },
      0,
    );
    // The first write attempt finds that another instance stored a newer ARS rate in the meantime.
    const original = store.saveLatest.bind(store);
    let attempts = 0;
    store.saveLatest = async (snapshot, expectedVersion) => {
      attempts += 1;
      if (attempts === 1) {
        await original(
          {
            baseCurrency: 'USD',
            rates: { ...snapshot.rates, ARS: rate('900', NOW_MS + 1) },
            updatedAtEpochMs: NOW_MS + 1,
          },
          expectedVersion,
        );
      }
      return original(snapshot, expectedVersion);
    };
    const refresher = new FxRefresher({
      providers: [providerGiving({ EUR: '0.92' })],
      store,
      counter: new FxRequestCounter(),
      baseCurrency: 'USD',
      currencies: ['EUR', 'ARS'],
      now: () => NOW_MS,
    });

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    expect(attempts).toBe(2);
    expect(result.version).toBe(3);
    expect(stored?.rates.EUR?.rate).toBe('0.92');
    expect(stored?.rates.ARS?.rate).toBe('900');
  });
});
