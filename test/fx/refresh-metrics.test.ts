import { FxRefreshFailedError } from '../../lib/fx/errors';
import type { FxRefresher, FxRefreshResult, ProviderReport } from '../../lib/fx/refresh';
import { runFxRefresh } from '../../lib/fx/run-refresh';
import { METRICS } from '../../lib/observability/metric-names';
import { SILENT_LOGGER } from '../../lib/resilience/logger';
import { StoreError } from '../../lib/store/errors';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

const FETCHED_AT_MS = Date.parse('2026-03-18T12:00:00Z');
const HOUR_MS = 3_600_000;

function report(overrides: Partial<ProviderReport> & Pick<ProviderReport, 'provider'>): ProviderReport {
  return { outcome: 'used', requests: 1, currencies: [], rejected: {}, ...overrides };
}

function result(overrides: Partial<FxRefreshResult> = {}): FxRefreshResult {
  return {
    status: 'complete',
    baseCurrency: 'USD',
    fetchedAtEpochMs: FETCHED_AT_MS,
    updated: ['EUR', 'BRL'],
    keptLastGood: [],
    unavailable: [],
    providers: [
      report({ provider: 'exchangerate-api', outcome: 'failed', requests: 2, errorType: 'http-503' }),
      report({ provider: 'frankfurter', currencies: ['EUR', 'BRL'] }),
      report({ provider: 'currency-api', outcome: 'not-needed', requests: 0 }),
    ],
    requests: 3,
    version: 7,
    ...overrides,
  };
}

/** A refresher that returns `outcome`, or throws it when it is an error. */
function refresherOf(outcome: FxRefreshResult | Error): FxRefresher {
  const refresh = async () => {
    if (outcome instanceof Error) {
      throw outcome;
    }
    return outcome;
  };

  return { refresh } as unknown as FxRefresher;
}

/** Starts runFxRefresh on `outcome` with a recorder and a clock at `nowMs`. */
function start(outcome: FxRefreshResult | Error, nowMs = FETCHED_AT_MS + 2_000) {
  const metrics = new RecordingMetrics();
  const invocation = runFxRefresh(refresherOf(outcome), SILENT_LOGGER, { metrics, now: () => nowMs });

  return { metrics, invocation };
}

describe('runFxRefresh metrics', () => {
  it('counts the requests of each provider by outcome', async () => {
    const { metrics, invocation } = start(result());
    await invocation;

    expect(metrics.named(METRICS.fxProviderRequests)).toEqual([
      {
        name: 'FxProviderRequests',
        dimensions: { provider: 'exchangerate-api', outcome: 'failed' },
        value: 2,
        unit: 'Count',
      },
      {
        name: 'FxProviderRequests',
        dimensions: { provider: 'frankfurter', outcome: 'used' },
        value: 1,
        unit: 'Count',
      },
      {
        name: 'FxProviderRequests',
        dimensions: { provider: 'currency-api', outcome: 'not-needed' },
        value: 0,
        unit: 'Count',
      },
    ]);
  });

  it.each(['complete', 'partial'] as const)('counts a %s refresh', async (status) => {
    const { metrics, invocation } = start(result({ status }));
    await invocation;

    expect(metrics.named(METRICS.fxRefreshes)).toEqual([
      { name: 'FxRefreshes', dimensions: { outcome: status }, value: 1, unit: 'Count' },
    ]);
  });

  it('records the age of fresh rates in seconds', async () => {
    const { metrics, invocation } = start(result(), FETCHED_AT_MS + 2_400);
    await invocation;

    expect(metrics.named(METRICS.fxRatesAge)).toEqual([
      { name: 'FxRatesAge', dimensions: {}, value: 2, unit: 'Seconds' },
    ]);
  });

  it('measures the age from the oldest kept rate', async () => {
    const partial = result({
      status: 'partial',
      keptLastGood: [
        { currency: 'ARS', provider: 'currency-api', fetchedAtEpochMs: FETCHED_AT_MS - 3 * HOUR_MS },
        { currency: 'PKR', provider: 'currency-api', fetchedAtEpochMs: FETCHED_AT_MS - HOUR_MS },
      ],
    });

    const { metrics, invocation } = start(partial, FETCHED_AT_MS);
    await invocation;

    expect(metrics.named(METRICS.fxRatesAge).map((point) => point.value)).toEqual([10_800]);
  });

  it('records the age and a failed outcome when no provider gave a rate', async () => {
    const failed = result({
      status: 'failed',
      updated: [],
      keptLastGood: [
        { currency: 'EUR', provider: 'frankfurter', fetchedAtEpochMs: FETCHED_AT_MS - 2 * HOUR_MS },
      ],
    });

    const { metrics, invocation } = start(failed, FETCHED_AT_MS);

    await expect(invocation).rejects.toBeInstanceOf(FxRefreshFailedError);
    expect(metrics.count(METRICS.fxRefreshes, { outcome: 'failed' })).toBe(1);
    expect(metrics.named(METRICS.fxRatesAge).map((point) => point.value)).toEqual([7_200]);
  });

  it('records no age when no rate is stored', async () => {
    const failed = result({ status: 'failed', updated: [], unavailable: ['EUR', 'BRL'] });

    const { metrics, invocation } = start(failed);

    await expect(invocation).rejects.toBeInstanceOf(FxRefreshFailedError);
    expect(metrics.named(METRICS.fxRatesAge)).toEqual([]);
  });

  it('counts an error outcome when the refresh throws', async () => {
    const storeError = new StoreError('GetItem', 'unit-fxRates', {
      cause: new Error('connect ECONNREFUSED'),
    });

    const { metrics, invocation } = start(storeError);

    await expect(invocation).rejects.toBe(storeError);
    expect(metrics.points).toEqual([
      { name: 'FxRefreshes', dimensions: { outcome: 'error' }, value: 1, unit: 'Count' },
    ]);
  });
});
