import { convertMinorUnits } from '../../lib/fx/convert';
import { FxRateExpiredError, FxRateMissingError } from '../../lib/fx/errors';
import { FxRateReader } from '../../lib/fx/rate-reader';
import type { StoredRate } from '../../lib/fx/rate-store';
import { ManualClock } from '../resilience/support';
import { MemoryFxRateStore } from '../support/memory-fx-rate-store';

const MINUTE_MS = 60_000;
const FETCHED_AT_MS = Date.parse('2024-06-06T10:00:00Z');

function rate(
  value: string,
  fetchedAtEpochMs = FETCHED_AT_MS,
  provider: StoredRate['provider'] = 'frankfurter',
): StoredRate {
  return { rate: value, provider, providerUpdatedAt: '2024-06-06', fetchedAtEpochMs };
}

async function storeWith(rates: Record<string, StoredRate>, updatedAtEpochMs = FETCHED_AT_MS) {
  const store = new MemoryFxRateStore();
  await store.saveLatest({ baseCurrency: 'USD', rates, updatedAtEpochMs }, 0);

  return store;
}

describe('FxRateReader freshness windows', () => {
  let clock: ManualClock;
  let store: MemoryFxRateStore;
  let revalidations: number;
  let reader: FxRateReader;

  beforeEach(async () => {
    clock = new ManualClock(FETCHED_AT_MS);
    store = await storeWith({ EUR: rate('0.92'), BRL: rate('5.31') });
    revalidations = 0;
    reader = new FxRateReader({
      store,
      baseCurrency: 'USD',
      now: clock.now,
      revalidate: async () => {
        revalidations += 1;
      },
    });
  });

  it('serves a rate fetched just now as fresh', async () => {
    const result = await reader.getRate('USD', 'EUR');

    expect(result).toMatchObject({ rate: '0.92', freshness: 'fresh', fetchedAtEpochMs: FETCHED_AT_MS });
    expect(revalidations).toBe(0);
  });

  it('serves 60 min old as fresh', async () => {
    clock.advance(60 * MINUTE_MS);

    const result = await reader.getRate('USD', 'EUR');

    expect(result.freshness).toBe('fresh');
    expect(revalidations).toBe(0);
  });

  it('marks 60 min + 1 ms stale', async () => {
    clock.advance(60 * MINUTE_MS + 1);

    const result = await reader.getRate('USD', 'EUR');
    await reader.whenRevalidated();

    expect(result.freshness).toBe('stale');
    expect(result.rate).toBe('0.92');
    expect(revalidations).toBe(1);
  });

  it('serves 90 min old as stale', async () => {
    clock.advance(90 * MINUTE_MS);

    const result = await reader.getRate('USD', 'EUR');

    expect(result.freshness).toBe('stale');
  });

  it('rejects 90 min + 1 ms', async () => {
    clock.advance(90 * MINUTE_MS + 1);

    const failure = reader.getRate('USD', 'EUR');

    await expect(failure).rejects.toBeInstanceOf(FxRateExpiredError);
    await expect(failure).rejects.toThrow(
      'The exchange rate from USD to EUR was last fetched at 2024-06-06T10:00:00.000Z, more than 90 minutes ago',
    );
  });

  it('still starts a refresh when the rate has expired', async () => {
    clock.advance(2 * 60 * MINUTE_MS);

    await expect(reader.getRate('USD', 'EUR')).rejects.toBeInstanceOf(FxRateExpiredError);
    await reader.whenRevalidated();

    expect(revalidations).toBe(1);
  });

  it('serves the refreshed rate as fresh once the refresh has stored it', async () => {
    clock.advance(70 * MINUTE_MS);
    reader = new FxRateReader({
      store,
      baseCurrency: 'USD',
      now: clock.now,
      revalidate: async () => {
        await store.saveLatest(
          { baseCurrency: 'USD', rates: { EUR: rate('0.93', clock.nowMs) }, updatedAtEpochMs: clock.nowMs },
          1,
        );
      },
    });

    const stale = await reader.getRate('USD', 'EUR');
    await reader.whenRevalidated();
    const fresh = await reader.getRate('USD', 'EUR');

    expect(stale).toMatchObject({ rate: '0.92', freshness: 'stale' });
    expect(fresh).toMatchObject({ rate: '0.93', freshness: 'fresh' });
  });

  it('starts at most one refresh per minute while the rate stays stale', async () => {
    clock.advance(61 * MINUTE_MS);

    await reader.getRate('USD', 'EUR');
    await reader.whenRevalidated();
    clock.advance(30_000);
    await reader.getRate('USD', 'EUR');
    await reader.whenRevalidated();
    clock.advance(30_000);
    await reader.getRate('USD', 'EUR');
    await reader.whenRevalidated();

    expect(revalidations).toBe(2);
  });

  it('keeps serving the stale rate when the refresh fails', async () => {
    const warnings: string[] = [];
    reader = new FxRateReader({
      store,
      baseCurrency: 'USD',
      now: clock.now,
      revalidate: async () => {
        throw new Error('no provider answered');
      },
      logger: {
        debug: () => {},
        info: () => {},
        warn: (message) => warnings.push(message),
        error: () => {},
      },
    });
    clock.advance(75 * MINUTE_MS);

    const result = await reader.getRate('EUR', 'USD');
    await reader.whenRevalidated();

    expect(result.freshness).toBe('stale');
    expect(warnings).toEqual(['Refresh of stale exchange rates failed']);
  });

  it('measures a cross rate from its older leg', async () => {
    store = await storeWith({
      EUR: rate('0.92', FETCHED_AT_MS),
      BRL: rate('5.31', FETCHED_AT_MS - 50 * MINUTE_MS),
    });
    reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });
    clock.advance(11 * MINUTE_MS);

    const result = await reader.getRate('EUR', 'BRL');

    expect(result.freshness).toBe('stale');
    expect(result.fetchedAtEpochMs).toBe(FETCHED_AT_MS - 50 * MINUTE_MS);
  });
});

describe('FxRateReader cross rates', () => {
  let reader: FxRateReader;

  beforeEach(async () => {
    const store = await storeWith({ EUR: rate('0.92'), BRL: rate('5.31'), JPY: rate('156.7') });
    reader = new FxRateReader({ store, baseCurrency: 'USD', now: () => FETCHED_AT_MS });
  });

  it('divides through the base with decimal arithmetic', async () => {
    const result = await reader.getRate('EUR', 'BRL');

    expect(result.rate).toBe('5.7717391304347826087');
    expect(result.legs.map((leg) => leg.currency)).toEqual(['EUR', 'BRL']);
  });

  it('inverts a rate to the base', async () => {
    const result = await reader.getRate('BRL', 'USD');

    expect(result.rate).toBe('0.18832391713747645951');
  });

  it('returns the stored rate from the base exactly', async () => {
    expect((await reader.getRate('usd', 'jpy')).rate).toBe('156.7');
  });

  it('returns 1 for the same currency without reading the store', async () => {
    expect(await reader.getRate('ARS', 'ARS')).toMatchObject({ rate: '1', legs: [] });
  });

  it('rejects a currency without a stored rate', async () => {
    const failure = reader.getRate('EUR', 'ARS');

    await expect(failure).rejects.toBeInstanceOf(FxRateMissingError);
    await expect(failure).rejects.toThrow(
      'No exchange rate from EUR to ARS: no rate for ARS against USD is stored.',
    );
  });

  it('rejects every pair when nothing is stored', async () => {
    reader = new FxRateReader({ store: new MemoryFxRateStore(), baseCurrency: 'USD' });

    await expect(reader.getRate('USD', 'EUR')).rejects.toThrow('no rate has been stored yet');
  });
});

describe('FxRateReader snapshot cache', () => {
  it('reads the store once per minute while rates are fresh', async () => {
    const clock = new ManualClock(FETCHED_AT_MS);
    const store = await storeWith({ EUR: rate('0.92') });
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });

    await reader.getRate('USD', 'EUR');
    clock.advance(59_999);
    await reader.getRate('EUR', 'USD');
    const readsWithinMinute = store.latestReads;
    clock.advance(1);
    await reader.getRate('USD', 'EUR');

    expect(readsWithinMinute).toBe(1);
    expect(store.latestReads).toBe(2);
  });

  it('reads the store again before calling a cached rate stale', async () => {
    const clock = new ManualClock(FETCHED_AT_MS + 60 * MINUTE_MS);
    const store = await storeWith({ EUR: rate('0.92') });
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });
    await reader.getRate('USD', 'EUR');
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.925', clock.nowMs) }, updatedAtEpochMs: clock.nowMs },
      1,
    );
    clock.advance(1);

    const result = await reader.getRate('USD', 'EUR');

    expect(result).toMatchObject({ rate: '0.925', freshness: 'fresh' });
  });
});

describe('FxRateReader historical rates', () => {
  const DAY_MS = 86_400_000;

  it('serves the rate stored for an earlier UTC day', async () => {
    const store = await storeWith({ EUR: rate('0.91', FETCHED_AT_MS - DAY_MS) }, FETCHED_AT_MS - DAY_MS);
    await store.saveLatest(
      { baseCurrency: 'USD', rates: { EUR: rate('0.92') }, updatedAtEpochMs: FETCHED_AT_MS },
      1,
    );
    const reader = new FxRateReader({
      store,
      baseCurrency: 'USD',
      now: () => FETCHED_AT_MS + 30 * MINUTE_MS,
    });

    const yesterday = await reader.getRate('USD', 'EUR', FETCHED_AT_MS - DAY_MS + 3 * 60 * MINUTE_MS);
    const earlierToday = await reader.getRate('USD', 'EUR', FETCHED_AT_MS - 5 * 60 * MINUTE_MS);

    expect(yesterday).toMatchObject({ rate: '0.91', freshness: 'historical' });
    expect(earlierToday).toMatchObject({ rate: '0.92', freshness: 'fresh' });
  });

  it('rejects a day without stored rates', async () => {
    const store = await storeWith({ EUR: rate('0.92') });
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: () => FETCHED_AT_MS });

    await expect(reader.getRate('USD', 'EUR', Date.parse('2024-06-01T12:00:00Z'))).rejects.toThrow(
      'No exchange rate from USD to EUR: no rates were stored on 2024-06-01.',
    );
  });

  it('rejects a day whose copy only kept a rate from long before', async () => {
    const store = new MemoryFxRateStore();
    await store.saveLatest(
      {
        baseCurrency: 'USD',
        rates: { EUR: rate('0.92', Date.parse('2024-06-03T12:00:00Z')), BRL: rate('5.31') },
        updatedAtEpochMs: Date.parse('2024-06-05T12:00:00Z'),
      },
      0,
    );
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: () => FETCHED_AT_MS });

    await expect(reader.getRate('USD', 'EUR', Date.parse('2024-06-05T13:00:00Z'))).rejects.toBeInstanceOf(
      FxRateMissingError,
    );
  });
});

describe('convertMinorUnits', () => {
  it.each([
    [1250, 'EUR', 'JPY', '162.5', 2031],
    [1250, 'EUR', 'JPY', '162.52', 2032],
    [100_000, 'JPY', 'USD', '0.0063816209317166560306', 63_816],
    [5, 'USD', 'BHD', '0.376', 19],
    [123_456_789_012_345, 'USD', 'BRL', '5.31', 655_555_549_655_552],
  ])('converts %d %s to %s at %s', (amount, from, to, rateValue, expected) => {
    expect(convertMinorUnits(amount, from, to, rateValue)).toBe(expected);
  });

  it('rounds half to even once, at the end', () => {
    // 0.25 USD at 1 = 0.25, rounded to 0 decimals of JPY: 0 (half to even), not 1.
    expect(convertMinorUnits(25, 'USD', 'JPY', '1')).toBe(0);
    expect(convertMinorUnits(150, 'USD', 'JPY', '1')).toBe(2);
  });
});
