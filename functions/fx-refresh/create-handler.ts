import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { FxRefreshConfig } from '../../lib/config';
import {
  createFxRefreshDependencies,
  type FxRefreshDependencyOverrides,
} from '../../lib/fx/create-dependencies';
import type { FxRefreshResult } from '../../lib/fx/refresh';
import { runFxRefresh } from '../../lib/fx/run-refresh';

/** Time kept free at the end of an invocation for the final write and logs, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and local runs. */
export interface FxRefreshHandlerOverrides extends FxRefreshDependencyOverrides {
  logger?: Logger;
}

/**
 * Wires the FX refresh function: Powertools logging through middy, then one refresh. The invocation fails
 * when no provider gave a usable rate or the rate store cannot be reached, and succeeds otherwise.
 */
export function createFxRefreshHandler(config: FxRefreshConfig, overrides: FxRefreshHandlerOverrides = {}) {
  const logger = overrides.logger ?? new Logger({ serviceName: 'fx-refresh' });
  let invocation: Context | undefined;
  const remainingMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const { refresher } = createFxRefreshDependencies(config, logger, remainingMs, overrides);

  return middy<ScheduledEvent, FxRefreshResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((_event, context) => {
      invocation = context;
      return runFxRefresh(refresher, logger);
    });
}
