import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { FxRefreshConfig } from '../../lib/config';
import { createFxApiKeyLoader } from '../../lib/fx/api-key';
import {
  createFxRefreshDependencies,
  type FxRefreshDependencyOverrides,
} from '../../lib/fx/create-dependencies';
import type { FxRefreshResult } from '../../lib/fx/refresh';
import { runFxRefresh } from '../../lib/fx/run-refresh';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { DISCARDING_METRICS } from '../../lib/observability/metric-names';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';

/** Service name of the function's logs, traces and metrics. */
export const FX_REFRESH_SERVICE = 'fx-refresh';

/** Time kept free at the end of an invocation for the final write and logs, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and local runs. */
export interface FxRefreshHandlerOverrides extends Omit<FxRefreshDependencyOverrides, 'tracing'> {
  logger?: Logger;
  /**
   * Tracer for the handler, the AWS clients and each provider request.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
}

/**
 * Wires the FX refresh function: Powertools tracing and logging through middy, then one refresh. The
 * invocation fails when no provider gave a usable rate or the rate store cannot be reached, and succeeds
 * otherwise. `overrides.metrics`, which the Lambda entry point sets to a Powertools sink, receives the FX
 * metrics and the resilience layer's metrics.
 */
export function createFxRefreshHandler(config: FxRefreshConfig, overrides: FxRefreshHandlerOverrides = {}) {
  const logger = overrides.logger ?? createFunctionLogger(FX_REFRESH_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(FX_REFRESH_SERVICE);
  const metrics = overrides.metrics ?? DISCARDING_METRICS;
  let invocation: Context | undefined;
  const remainingMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const loadApiKey =
    overrides.loadApiKey ??
    (config.exchangerateApiKey === undefined
      ? undefined
      : createFxApiKeyLoader(
          config.exchangerateApiKey,
          new SecretsProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})) }),
        ));
  const { refresher } = createFxRefreshDependencies(config, logger, remainingMs, {
    ...overrides,
    dynamodb: tracer.captureAWSv3Client(overrides.dynamodb ?? new DynamoDBClient({})),
    loadApiKey,
    metrics,
    tracing: tracingWith(tracer),
  });

  return (
    middy<ScheduledEvent, FxRefreshResult>()
      // The result contains currency codes, counts and provider outcomes with error messages that mask the API
      // key, so it stays in the trace.
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((_event, context) => {
        invocation = context;
        return runFxRefresh(refresher, logger, { metrics, now: overrides.now });
      })
  );
}
