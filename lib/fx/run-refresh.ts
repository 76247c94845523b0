import {
  DISCARDING_METRICS,
  type FxProviderOutcome,
  type FxRefreshOutcome,
  METRICS,
  type MetricsSink,
} from '../observability/metric-names';
import type { ResilienceLogger } from '../resilience/logger';
import { FxRefreshFailedError } from './errors';
import type { FxRefresher, FxRefreshResult, ProviderReport } from './refresh';

/** Options of {@link runFxRefresh}. */
export interface FxRefreshRunOptions {
  /**
   * Receives FxProviderRequests, FxRefreshes and FxRatesAge.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /** Clock in epoch milliseconds, which FxRatesAge is measured with. Default `Date.now`. */
  now?: () => number;
}

/**
 * Runs one refresh, logs each provider's outcome and a summary, records the FX metrics, and returns the
 * result. Configuration and quota failures log at ERROR with `alert: true`, so a metric filter on that
 * field can page the operator. Transient failures log at WARN. Logs carry provider names, outcomes, error
 * types and counts, never the API key or a request URL.
 * @throws {FxRefreshFailedError} when no provider gave a usable rate, so the invocation fails.
 * @throws the refresher's error when it could not run, for example when the rate table is unreachable.
 */
export async function runFxRefresh(
  refresher: FxRefresher,
  logger: ResilienceLogger,
  options: FxRefreshRunOptions = {},
): Promise<FxRefreshResult> {
  const metrics = options.metrics ?? DISCARDING_METRICS;
  let result: FxRefreshResult;
  try {
    result = await refresher.refresh();
  } catch (error) {
    recordRefreshOutcome(metrics, 'error');
    throw error;
  }

  for (const report of result.providers) {
    logProviderOutcome(logger, result.baseCurrency, report);
  }
  recordRefreshMetrics(metrics, result, (options.now ?? Date.now)());

  const summary = {
    status: result.status,
    baseCurrency: result.baseCurrency,
    updatedCount: result.updated.length,
    keptLastGoodCount: result.keptLastGood.length,
    keptLastGood: result.keptLastGood.map(({ currency }) => currency),
    unavailable: result.unavailable,
    requests: result.requests,
    version: result.version,
  };
  if (result.status === 'failed') {
    logger.error('FX refresh got no usable rate, so the stored rates were kept', summary);
    throw new FxRefreshFailedError(
      result.baseCurrency,
      result.providers.map(({ provider, outcome, errorType }) => ({ provider, outcome, errorType })),
    );
  }
  if (result.status === 'partial') {
    logger.warn('FX refresh finished without some currencies', summary);
  } else {
    logger.info('FX refresh finished', summary);
  }

  return result;
}

function logProviderOutcome(logger: ResilienceLogger, baseCurrency: string, report: ProviderReport): void {
  const fields = {
    provider: report.provider,
    baseCurrency,
    outcome: report.outcome,
    failureClass: report.failureClass,
    errorType: report.errorType,
    requests: report.requests,
    currencyCount: report.currencies.length,
    rejected: report.rejected,
    fix: report.fix,
    retryAfter:
      report.retryAfterEpochMs === undefined ? undefined : new Date(report.retryAfterEpochMs).toISOString(),
  };

  if (report.outcome === 'failed' && report.failureClass !== 'transient') {
    logger.error('FX provider needs operator action', { ...fields, alert: true, error: report.message });
  } else if (report.outcome === 'failed') {
    logger.warn('FX provider failed, trying the next one', { ...fields, error: report.message });
  } else if (report.outcome === 'disabled') {
    logger.warn('FX provider skipped until its configuration is fixed', fields);
  } else {
    logger.info('FX provider outcome', fields);
  }
}

function recordRefreshOutcome(metrics: MetricsSink, outcome: FxRefreshOutcome): void {
  metrics.record(METRICS.fxRefreshes, { outcome });
}

function recordRefreshMetrics(metrics: MetricsSink, result: FxRefreshResult, nowMs: number): void {
  for (const report of result.providers) {
    const outcome: FxProviderOutcome = report.outcome;
    metrics.record(METRICS.fxProviderRequests, { provider: report.provider, outcome }, report.requests);
  }
  recordRefreshOutcome(metrics, result.status);

  const ageSeconds = oldestRateAgeSeconds(result, nowMs);
  if (ageSeconds !== undefined) {
    metrics.record(METRICS.fxRatesAge, {}, ageSeconds, 'Seconds');
  }
}

/**
 * Returns the seconds since the stalest stored rate was fetched: the rates of this refresh were fetched at
 * its start, and every kept rate carries its own fetch time. Returns undefined when no rate is stored.
 */
function oldestRateAgeSeconds(result: FxRefreshResult, nowMs: number): number | undefined {
  const fetchedAtEpochMs = result.keptLastGood.map((rate) => rate.fetchedAtEpochMs);
  if (result.updated.length > 0) {
    fetchedAtEpochMs.push(result.fetchedAtEpochMs);
  }
  if (fetchedAtEpochMs.length === 0) {
    return undefined;
  }

  return Math.max(0, Math.round((nowMs - Math.min(...fetchedAtEpochMs)) / 1_000));
}
