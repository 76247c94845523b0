import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FxProviderId, FxRefreshConfig } from '../config';
import { DISCARDING_METRICS, type MetricsSink } from '../observability/metric-names';
import type { Tracing } from '../observability/tracing';
import type { CircuitBreakerSettings } from '../resilience/circuit-breaker';
import { createDynamoResilientCaller, withDefaultOperation } from '../resilience/dynamo-caller';
import type { ResilienceLogger } from '../resilience/logger';
import type { ResilientCaller } from '../resilience/resilient-call';
import { createDocumentClient } from '../store/clients';
import { createFxApiKeyLoader, type FxApiKeyLoader } from './api-key';
import { FetchFxHttpClient, type FxHttpClient, FxRequestCounter, ResilientFxHttpClient } from './http';
import { CurrencyApiProvider } from './providers/currency-api';
import { ExchangerateApiProvider } from './providers/exchangerate-api';
import { FrankfurterProvider } from './providers/frankfurter';
import { DynamoFxRateStore, type FxRateStore } from './rate-store';
import { FxRefresher } from './refresh';
import type { RateProvider } from './types';

/** Optional overrides of {@link createFxRefreshDependencies}, for tests and local runs. */
export interface FxRefreshDependencyOverrides {
  dynamodb?: DynamoDBClient;
  fetch?: typeof fetch;
  loadApiKey?: FxApiKeyLoader;
  now?: () => number;
  /** Sleep used for rate-limit waits and retry delays. */
  sleep?: (ms: number) => Promise<void>;
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /**
   * Destination of the resilience layer's metrics, each with the call's `dependency` (`fx:<provider>`).
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Tracing of each provider request, in a subsegment named `fx:<provider>.latest`.
   * @default NO_TRACING
   */
  tracing?: Tracing;
}

/** Dependencies of the refresh function. */
export interface FxRefreshDependencies {
  refresher: FxRefresher;
  store: FxRateStore;
  resilience: ResilientCaller;
  counter: FxRequestCounter;
}

/**
 * Time one provider call may take, retries and waits included: two attempts of at most 5 s each with a
 * backoff of up to 1 s between them.
 */
const PROVIDER_CALL_BUDGET_MS = 12_000;

/**
 * Builds the refresher from configuration: one provider per configured id, in the configured order, each
 * sending its requests through the shared resilience layer. `remainingMs` returns the time left in the
 * invocation, which caps each call's budget.
 */
export function createFxRefreshDependencies(
  config: FxRefreshConfig,
  logger: ResilienceLogger,
  remainingMs: () => number,
  overrides: FxRefreshDependencyOverrides = {},
): FxRefreshDependencies {
  const client = createDocumentClient(overrides.dynamodb);
  const now = overrides.now ?? Date.now;
  const metrics = overrides.metrics ?? DISCARDING_METRICS;
  const resilience = createDynamoResilientCaller({
    client,
    tableName: config.resilienceTable,
    logger,
    now,
    sleep: overrides.sleep,
    breakerSettings: overrides.breakerSettings,
    metrics,
    tracing: overrides.tracing,
  });
  // Every provider request fetches the latest rates, which names the operation of each trace subsegment.
  const latestRatesCaller = withDefaultOperation(resilience, 'latest');
  const counter = new FxRequestCounter();
  const http: FxHttpClient = new ResilientFxHttpClient({
    inner: new FetchFxHttpClient(config.requestTimeoutMs, overrides.fetch),
    caller: latestRatesCaller,
    counter,
    budgetMs: () => Math.min(PROVIDER_CALL_BUDGET_MS, remainingMs()),
  });
  const loadApiKey =
    overrides.loadApiKey ??
    (config.exchangerateApiKey === undefined ? undefined : createFxApiKeyLoader(config.exchangerateApiKey));
  const providers = config.providers.map((id) => createProvider(id, config, http, now, loadApiKey));
  const store = new DynamoFxRateStore(client, config.ratesTable);

  return {
    refresher: new FxRefresher({
      providers,
      store,
      counter,
      baseCurrency: config.baseCurrency,
      currencies: config.currencies,
      now,
      logger,
    }),
    store,
    resilience,
    counter,
  };
}

function createProvider(
  id: FxProviderId,
  config: FxRefreshConfig,
  http: FxHttpClient,
  now: () => number,
  loadApiKey: FxApiKeyLoader | undefined,
): RateProvider {
  const baseUrl = config.baseUrls[id];
  switch (id) {
    case 'exchangerate-api':
      if (loadApiKey === undefined) {
        // loadFxRefreshConfig sets the key source whenever this provider is configured.
        throw new TypeError('exchangerate-api is configured without an API key source.');
      }
      return new ExchangerateApiProvider({ baseUrl, apiKey: loadApiKey, http, now });
    case 'frankfurter':
      return new FrankfurterProvider({ baseUrl, http, now });
    case 'currency-api':
      return new CurrencyApiProvider({ baseUrl, http, now });
  }
}
