import { startFakeFx } from '../../infra/local/fake-fx/server';
import type { FakeFx, FakeFxBehaviour, FakeFxProvider } from '../../infra/local/fake-fx/types';
import { loadFxRefreshConfig } from '../../lib/config';
import { createFxRefreshDependencies, type FxRefreshDependencies } from '../../lib/fx/create-dependencies';
import { FxRateReader } from '../../lib/fx/rate-reader';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import { ManualClock } from '../resilience/support';
import { fxEnvironment } from '../support/fx-environment';
import { createFxTables, type FxTables } from '../support/fx-tables';
import errorEnvelopes from './fixtures/fx-error-envelopes.json';
import missingNullEmptySwapped from './fixtures/fx-missing-null-empty-swapped.json';

// The fixtures date their rates 2024-06-05; providers reject data more than seven days old.
const START_MS = Date.parse('2024-06-06T00:30:00Z');
const HOUR_MS = 3_600_000;

let fake: FakeFx;
let clock: ManualClock;
let tables: FxTables;

beforeAll(async () => {
  clock = new ManualClock(START_MS);
  fake = await startFakeFx({ now: () => clock.nowMs });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(async () => {
  clock.nowMs = START_MS;
  tables = await createFxTables('fx-refresh');
  answer({ 'exchangerate-api': 'healthy', frankfurter: 'healthy', 'currency-api': 'healthy' });
});

afterEach(() => {
  tables.destroy();
});

function answer(behaviours: Partial<Record<FakeFxProvider, FakeFxBehaviour>>): void {
  for (const [provider, behaviour] of Object.entries(behaviours)) {
    fake.setBehaviour(provider as FakeFxProvider, behaviour);
  }
}

function dependencies(environment: Record<string, string> = {}): FxRefreshDependencies {
  const config = loadFxRefreshConfig(fxEnvironment(tables, fake, environment));

  return createFxRefreshDependencies(config, SILENT_LOGGER, () => 60_000, {
    dynamodb: tables.dynamodb,
    now: clock.now,
    sleep: clock.sleep,
  });
}

function requestsTo(provider: FakeFxProvider, since: number): number {
  return fake.requests.slice(since).filter((request) => request.provider === provider).length;
}

describe('FxRefresher with healthy providers', () => {
  it('calls only the primary when it gives every currency', async () => {
    const since = fake.requests.length;
    const { refresher, store } = dependencies();

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    expect(result.status).toBe('complete');
    expect(result.providers.map(({ provider, outcome, requests }) => [provider, outcome, requests])).toEqual([
      ['exchangerate-api', 'used', 1],
      ['frankfurter', 'not-needed', 0],
      ['currency-api', 'not-needed', 0],
    ]);
    expect(requestsTo('frankfurter', since) + requestsTo('currency-api', since)).toBe(0);
    expect(stored?.rates).toEqual({
      EUR: {
        rate: '0.92',
        provider: 'exchangerate-api',
        providerUpdatedAt: '2024-06-06T00:00:01.000Z',
        fetchedAtEpochMs: START_MS,
      },
      BRL: {
        rate: '5.31',
        provider: 'exchangerate-api',
        providerUpdatedAt: '2024-06-06T00:00:01.000Z',
        fetchedAtEpochMs: START_MS,
      },
      PKR: {
        rate: '278.1',
        provider: 'exchangerate-api',
        providerUpdatedAt: '2024-06-06T00:00:01.000Z',
        fetchedAtEpochMs: START_MS,
      },
      ARS: {
        rate: '899.5',
        provider: 'exchangerate-api',
        providerUpdatedAt: '2024-06-06T00:00:01.000Z',
        fetchedAtEpochMs: START_MS,
      },
    });
  });

  it('writes a copy for the UTC day of the refresh', async () => {
    const { refresher, store } = dependencies();

    await refresher.refresh();
    const day = await store.getDay('USD', '2024-06-06');

    expect(day?.rates.EUR?.rate).toBe('0.92');
    expect(await store.getDay('USD', '2024-06-05')).toBeUndefined();
  });
});

describe('FxRefresher fallback on error envelopes', () => {
  const expected: Record<string, [string, string]> = {
    'quota-reached': ['quota', 'quota-reached'],
    'invalid-key': ['permanent', 'invalid-key'],
    'inactive-account': ['permanent', 'inactive-account'],
    'unsupported-code': ['permanent', 'unsupported-code'],
    missing_access_key: ['permanent', 'missing_access_key'],
    html: ['transient', 'http-503'],
  };
  const cases = errorEnvelopes.responses.map((response) => {
    const body = response.body as { 'error-type'?: string; error?: { type?: string } } | string;
    const key = typeof body === 'string' ? 'html' : (body['error-type'] ?? body.error?.type ?? 'unknown');

    return [key, response.http_status ?? 200, response.body] as const;
  });

  it.each(cases)('falls back when the primary answers %s', async (key, status, body) => {
    answer({ 'exchangerate-api': { status, body } });
    const { refresher, store } = dependencies();

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    const [failureClass, errorType] = expected[key]!;
    expect(result.status).toBe('complete');
    expect(result.providers[0]).toMatchObject({
      provider: 'exchangerate-api',
      outcome: 'failed',
      failureClass,
      errorType,
    });
    expect(result.providers[1]).toMatchObject({
      provider: 'frankfurter',
      outcome: 'used',
      currencies: ['EUR', 'BRL'],
    });
    expect(result.providers[2]).toMatchObject({
      provider: 'currency-api',
      outcome: 'used',
      currencies: ['PKR', 'ARS'],
    });
    expect(Object.values(stored?.rates ?? {}).map((rate) => rate.provider)).not.toContain('exchangerate-api');
  });

  it('retries a quota failure next hour', async () => {
    answer({ 'exchangerate-api': 'quota-reached' });
    const { refresher } = dependencies();

    const first = await refresher.refresh();
    clock.advance(HOUR_MS);
    const since = fake.requests.length;
    const second = await refresher.refresh();

    expect(first.providers[0]?.fix).toContain('quota');
    expect(second.providers[0]).toMatchObject({ outcome: 'failed', errorType: 'quota-reached', requests: 1 });
    expect(requestsTo('exchangerate-api', since)).toBe(1);
  });

  it('retries a timeout once, then falls back', async () => {
    answer({ 'exchangerate-api': 'timeout' });
    const { refresher } = dependencies();

    const result = await refresher.refresh();

    expect(result.providers[0]).toMatchObject({
      outcome: 'failed',
      failureClass: 'transient',
      errorType: 'timeout',
      requests: 2,
    });
    expect(result.status).toBe('complete');
  });

  it('stops calling a provider whose circuit opened', async () => {
    answer({ 'exchangerate-api': 'html-503' });
    const { refresher } = dependencies();

    for (let run = 0; run < 3; run += 1) {
      await refresher.refresh();
      clock.advance(10_000);
    }
    const since = fake.requests.length;
    const result = await refresher.refresh();

    expect(result.providers[0]).toMatchObject({ outcome: 'failed', errorType: 'circuit-open', requests: 0 });
    expect(requestsTo('exchangerate-api', since)).toBe(0);
    expect(result.status).toBe('complete');
  });
});

describe('FxRefresher per-currency fallback', () => {
  const [absent, nullRate] = missingNullEmptySwapped.responses;

  it('takes a currency missing at the primary from the provider that has it', async () => {
    answer({ 'exchangerate-api': { status: 200, body: absent!.body } });
    const { refresher, store } = dependencies();

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    expect(result.status).toBe('complete');
    expect(result.providers.map(({ outcome, currencies }) => [outcome, currencies])).toEqual([
      ['used', ['EUR', 'BRL', 'PKR']],
      ['unused', []],
      ['used', ['ARS']],
    ]);
    expect(result.providers[0]?.rejected).toEqual({ ARS: 'missing' });
    expect(result.providers[1]?.rejected).toEqual({ ARS: 'missing' });
    expect(stored?.rates.ARS).toMatchObject({ rate: '899.5', provider: 'currency-api' });
    expect(stored?.rates.EUR).toMatchObject({
      provider: 'exchangerate-api',
      providerUpdatedAt: '2024-06-05T23:00:00.000Z',
    });
  });

  it('takes a currency null at the primary from the next provider', async () => {
    answer({ frankfurter: { status: 200, body: nullRate!.body } });
    const { refresher, store } = dependencies({ FX_PROVIDERS: 'frankfurter,currency-api' });

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    expect(result.providers[0]).toMatchObject({
      currencies: ['EUR', 'BRL', 'ARS'],
      rejected: { PKR: 'null' },
    });
    expect(result.providers[1]).toMatchObject({ currencies: ['PKR'] });
    expect(stored?.rates.PKR).toMatchObject({ rate: '278.1', provider: 'currency-api' });
    expect(stored?.rates.ARS).toMatchObject({ rate: '899.5', provider: 'frankfurter' });
  });

  it('keeps last good rate with its time', async () => {
    const { refresher, store } = dependencies();
    await refresher.refresh();
    clock.advance(HOUR_MS);
    answer({ 'exchangerate-api': 'currency-missing', 'currency-api': 'html-503' });

    const result = await refresher.refresh();
    const stored = await store.getLatest('USD');

    expect(result.status).toBe('partial');
    expect(result.updated).toEqual(['EUR', 'BRL', 'PKR']);
    expect(result.keptLastGood).toEqual([
      { currency: 'ARS', provider: 'exchangerate-api', fetchedAtEpochMs: START_MS },
    ]);
    expect(stored?.rates.ARS).toMatchObject({ rate: '899.5', fetchedAtEpochMs: START_MS });
    expect(stored?.rates.EUR?.fetchedAtEpochMs).toBe(START_MS + HOUR_MS);
  });

  it('serves the kept rate as stale while the refreshed ones are fresh', async () => {
    const { refresher, store } = dependencies();
    await refresher.refresh();
    clock.advance(HOUR_MS);
    answer({ 'exchangerate-api': 'currency-missing', 'currency-api': 'html-503' });
    await refresher.refresh();
    clock.advance(60_000);
    const reader = new FxRateReader({ store, baseCurrency: 'USD', now: clock.now });

    const eur = await reader.getRate('USD', 'EUR');
    const ars = await reader.getRate('EUR', 'ARS');
    clock.advance(30 * 60_000);
    const expired = reader.getRate('USD', 'ARS');

    expect(eur.freshness).toBe('fresh');
    expect(ars).toMatchObject({
      freshness: 'stale',
      fetchedAtEpochMs: START_MS,
      rate: '977.71739130434782609',
    });
    await expect(expired).rejects.toThrow('more than 90 minutes ago');
  });

  it('reports a currency that no provider ever gave as unavailable', async () => {
    answer({ 'exchangerate-api': 'currency-missing', 'currency-api': 'currency-missing' });
    const { refresher } = dependencies();

    const result = await refresher.refresh();

    expect(result.status).toBe('partial');
    expect(result.unavailable).toEqual(['ARS']);
  });
});

describe('FxRefresher never overwrites stored rates with unusable data', () => {
  it.each([
    [
      'quota, HTML 503 and empty rates',
      { 'exchangerate-api': 'quota-reached', frankfurter: 'html-503', 'currency-api': 'empty-rates' },
    ],
    [
      'a swapped base, a timeout and a missing key',
      { 'exchangerate-api': 'base-swapped', frankfurter: 'timeout', 'currency-api': 'missing-access-key' },
    ],
    [
      'an HTML 200 page, an empty body and null rates',
      {
        'exchangerate-api': 'html-200',
        frankfurter: { status: 200, body: missingNullEmptySwapped.responses[2]!.body },
        'currency-api': { status: 200, body: {} },
      },
    ],
  ] as const)('keeps every rate when the providers answer %s', async (_label, failures) => {
    const { refresher, store } = dependencies();
    await refresher.refresh();
    const before = await store.getLatest('USD');
    clock.advance(HOUR_MS);
    answer(failures as Partial<Record<FakeFxProvider, FakeFxBehaviour>>);

    const result = await refresher.refresh();
    const after = await store.getLatest('USD');

    expect(result.status).toBe('failed');
    expect(result.updated).toEqual([]);
    expect(result.keptLastGood.map(({ currency }) => currency)).toEqual(['EUR', 'BRL', 'PKR', 'ARS']);
    expect(after).toEqual(before);
  });

  it('writes nothing when the first refresh gets no usable rate', async () => {
    answer({ 'exchangerate-api': 'empty-rates', frankfurter: 'empty-rates', 'currency-api': 'empty-rates' });
    const { refresher, store } = dependencies();

    const result = await refresher.refresh();

    expect(result).toMatchObject({ status: 'failed', unavailable: ['EUR', 'BRL', 'PKR', 'ARS'] });
    expect(await store.getLatest('USD')).toBeUndefined();
  });
});

describe('FxRefresher configuration failures', () => {
  it('disables a provider with an invalid key until the key changes', async () => {
    const revoked = dependencies({ FX_EXCHANGERATE_API_KEY: 'revoked-key' });

    const first = await revoked.refresher.refresh();
    clock.advance(HOUR_MS);
    const since = fake.requests.length;
    const second = await revoked.refresher.refresh();
    const skippedRequests = requestsTo('exchangerate-api', since);
    clock.advance(HOUR_MS);
    const fixed = await dependencies().refresher.refresh();
    const statuses = await revoked.store.getProviderStatuses('USD');

    expect(first.providers[0]).toMatchObject({
      outcome: 'failed',
      failureClass: 'permanent',
      errorType: 'invalid-key',
      retryAfterEpochMs: START_MS + 24 * HOUR_MS,
    });
    expect(second.providers[0]).toMatchObject({ outcome: 'disabled', errorType: 'invalid-key', requests: 0 });
    expect(skippedRequests).toBe(0);
    expect(second.status).toBe('complete');
    expect(fixed.providers[0]).toMatchObject({ outcome: 'used', requests: 1 });
    expect(statuses.size).toBe(0);
  });

  it('tries a disabled provider again after a day without a configuration change', async () => {
    answer({ 'exchangerate-api': 'inactive-account' });
    const { refresher } = dependencies();
    await refresher.refresh();

    clock.advance(24 * HOUR_MS - 1);
    const stillDisabled = await refresher.refresh();
    clock.advance(1);
    const retried = await refresher.refresh();

    expect(stillDisabled.providers[0]?.outcome).toBe('disabled');
    expect(retried.providers[0]).toMatchObject({
      outcome: 'failed',
      errorType: 'inactive-account',
      requests: 1,
    });
  });

  it('disables a provider that silently replaces the base', async () => {
    answer({ frankfurter: { status: 200, body: missingNullEmptySwapped.responses[3]!.body } });
    const { refresher } = dependencies({ FX_PROVIDERS: 'frankfurter,currency-api' });

    const result = await refresher.refresh();

    expect(result.providers[0]).toMatchObject({
      outcome: 'failed',
      failureClass: 'permanent',
      errorType: 'base-mismatch',
    });
    expect(result.providers[0]?.fix).toContain('FX_BASE_CURRENCY');
  });
});
