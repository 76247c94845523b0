import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { ScheduledEvent } from 'aws-lambda';
import { createFxRefreshHandler, FX_REFRESH_SERVICE } from '../../functions/fx-refresh/create-handler';
import {
  FX_PROVIDER_IDS,
  type FxRefreshConfig,
  fxBaseUrlVariable,
  loadFxRefreshConfig,
} from '../../lib/config';
import type { FxRefreshResult } from '../../lib/fx/refresh';
import type { MetricsSink } from '../../lib/observability/metric-names';
import { SAMPLE_USD_RATES } from './fake-fx/sample-rates';
import { startFakeFx } from './fake-fx/server';
import type { FakeFx } from './fake-fx/types';
import { localLambdaContext } from './lambda-context';

/**
 * Default time between local refreshes: one hour, as often as the deployed schedule, which runs at minute 0
 * of every hour.
 */
export const FX_REFRESH_INTERVAL_MS = 3_600_000;

/** Lambda timeout of a local fx-refresh invocation, in seconds. */
const FX_REFRESH_TIMEOUT_SECONDS = 60;

/** The outcome of one local refresh: the function's result, or the error it threw. */
export type LocalFxRefreshOutcome = { result: FxRefreshResult } | { error: unknown };

/** Options of {@link startLocalFxRefresh}. */
export interface LocalFxRefreshOptions {
  /** Table of the stored rates. */
  ratesTable: string;
  /** Table of the circuit breakers and token buckets. */
  resilienceTable: string;
  /**
   * ISO 4217 code that the rates are quoted against.
   * @default 'USD'
   */
  baseCurrency?: string;
  /**
   * Extra FX_* variables, such as FX_CURRENCIES or FX_PROVIDERS, which replace the local defaults.
   * @default every currency that the fake providers serve, from every provider in the default order
   */
  environment?: Record<string, string>;
  /**
   * Time between refreshes after the first one, in milliseconds.
   * @default FX_REFRESH_INTERVAL_MS, one hour
   */
  intervalMs?: number;
  metrics: MetricsSink;
  /** @default a Powertools logger writing to stdout */
  logger?: Logger;
  /** @default a Powertools tracer, which does nothing outside Lambda */
  tracer?: Tracer;
  /** Called after every refresh, the first included. */
  onRefresh?: (outcome: LocalFxRefreshOutcome) => void;
}

/** fx-refresh running on a timer against the fake FX providers. */
export interface LocalFxRefresh {
  /** The fake providers, each in the `healthy` scenario until `setBehaviour` changes it. */
  readonly fake: FakeFx;
  readonly ratesTable: string;
  readonly baseCurrency: string;
  /** The outcome of the refresh that ran at start. */
  readonly firstOutcome: LocalFxRefreshOutcome;
  /** Runs one refresh now, or waits for the one that is running, and returns its outcome. */
  refresh(): Promise<LocalFxRefreshOutcome>;
  stop(): Promise<void>;
}

/**
 * Starts the fake FX providers on 127.0.0.1 and runs the fx-refresh handler against them: once before it
 * returns, then every `intervalMs`. A failed refresh is reported to `onRefresh` and logged by the function,
 * and the timer keeps running.
 */
export async function startLocalFxRefresh(options: LocalFxRefreshOptions): Promise<LocalFxRefresh> {
  const fake = await startFakeFx();
  const baseCurrency = (options.baseCurrency ?? 'USD').toUpperCase();
  const environment: Record<string, string> = {
    FX_RATES_TABLE: options.ratesTable,
    RESILIENCE_TABLE: options.resilienceTable,
    FX_PROVIDERS: FX_PROVIDER_IDS.join(','),
    FX_BASE_CURRENCY: baseCurrency,
    FX_CURRENCIES: Object.keys(SAMPLE_USD_RATES)
      .filter((code) => code !== baseCurrency)
      .join(','),
    FX_EXCHANGERATE_API_KEY: fake.apiKey,
  };
  for (const provider of FX_PROVIDER_IDS) {
    environment[fxBaseUrlVariable(provider)] = fake.baseUrls[provider];
  }

  let config: FxRefreshConfig;
  let handler: ReturnType<typeof createFxRefreshHandler>;
  try {
    config = loadFxRefreshConfig({ ...environment, ...options.environment });
    handler = createFxRefreshHandler(config, {
      logger: options.logger,
      tracer: options.tracer,
      metrics: options.metrics,
    });
  } catch (error) {
    await fake.stop();
    throw error;
  }

  let running: Promise<LocalFxRefreshOutcome> | undefined;
  const refresh = (): Promise<LocalFxRefreshOutcome> => {
    running ??= invoke(handler).then((outcome) => {
      running = undefined;
      options.onRefresh?.(outcome);
      return outcome;
    });

    return running;
  };

  const firstOutcome = await refresh();
  const timer = setInterval(() => void refresh(), options.intervalMs ?? FX_REFRESH_INTERVAL_MS);
  // The schedule alone does not keep the process running; the servers and the terminal chat do.
  timer.unref();

  return {
    fake,
    ratesTable: config.ratesTable,
    baseCurrency: config.baseCurrency,
    firstOutcome,
    refresh,
    async stop() {
      clearInterval(timer);
      await running;
      await fake.stop();
    },
  };
}

async function invoke(handler: ReturnType<typeof createFxRefreshHandler>): Promise<LocalFxRefreshOutcome> {
  try {
    const result = await handler(
      scheduledEvent(),
      localLambdaContext(FX_REFRESH_SERVICE, FX_REFRESH_TIMEOUT_SECONDS),
    );
    return { result };
  } catch (error) {
    return { error };
  }
}

/** Builds the event that an EventBridge schedule sends. The handler does not read it. */
function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/financy-local-fx-refresh-hourly'],
    detail: {},
  };
}
