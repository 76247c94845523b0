/**
 * Exchange rates: providers with validation and fallback, a DynamoDB rate store, an hourly refresh, and a
 * reader that serves fresh or briefly stale rates and never an invented one.
 */

export { createFxApiKeyLoader, type FxApiKeyLoader } from './api-key';
export { convertMinorUnits } from './convert';
export {
  createFxRefreshDependencies,
  type FxRefreshDependencies,
  type FxRefreshDependencyOverrides,
} from './create-dependencies';
export { FxDecimal } from './decimal';
export {
  FxApiKeyFormatError,
  type FxApiKeyProblem,
  type FxFailureClass,
  FxInvalidResponseError,
  FxProviderConfigurationError,
  FxProviderError,
  FxProviderUnavailableError,
  FxQuotaExceededError,
  FxRateExpiredError,
  FxRateMissingError,
  FxRateUnavailableError,
  FxRefreshFailedError,
  FxSnapshotConflictError,
} from './errors';
export {
  FetchFxHttpClient,
  type FxHttpClient,
  type FxHttpRequest,
  type FxHttpResponse,
  FxRequestCounter,
  ResilientFxHttpClient,
} from './http';
export { mergeRates } from './merge';
export { CurrencyApiProvider } from './providers/currency-api';
export { ExchangerateApiProvider } from './providers/exchangerate-api';
export { FrankfurterProvider } from './providers/frankfurter';
export {
  type FxRate,
  FxRateReader,
  type FxRateReaderOptions,
  type RateFreshness,
  type RateLeg,
} from './rate-reader';
export {
  DynamoFxRateStore,
  type FxRateStore,
  type ProviderStatus,
  type RateSnapshot,
  type StoredRate,
  utcDay,
} from './rate-store';
export {
  FxRefresher,
  type FxRefresherOptions,
  type FxRefreshResult,
  type KeptRate,
  type ProviderOutcome,
  type ProviderReport,
} from './refresh';
export { runFxRefresh } from './run-refresh';
export type { CurrencyRejection, FxProviderId, ProviderRates, RateProvider, RateRequest } from './types';
