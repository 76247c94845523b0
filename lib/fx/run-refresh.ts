import type { ResilienceLogger } from '../resilience/logger';
import { FxRefreshFailedError } from './errors';
import type { FxRefresher, FxRefreshResult, ProviderReport } from './refresh';

/**
 * Runs one refresh, logs each provider's outcome and a summary, and returns the result. Configuration and
 * quota failures log at ERROR with `alert: true`, so a metric filter on that field can page the operator.
 * Transient failures log at WARN. Logs carry provider names, outcomes, error types and counts, never the
 * API key or a request URL.
 * @throws {FxRefreshFailedError} when no provider gave a usable rate, so the invocation fails.
 */
export async function runFxRefresh(
  refresher: FxRefresher,
  logger: ResilienceLogger,
): Promise<FxRefreshResult> {
  const result = await refresher.refresh();

  for (const report of result.providers) {
    logProviderOutcome(logger, result.baseCurrency, report);
  }

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
