import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { WeeklySummaryConfig } from '../../lib/config';
import { correlationIdFrom } from '../../lib/notify/preferences/destinations';
import {
  createWeeklySummaryDependencies,
  type WeeklySummaryDependencyOverrides,
} from '../../lib/notify/summary/create-dependencies';
import { runWeeklySummary, type WeeklySummaryResult } from '../../lib/notify/summary/run-weekly-summary';

/** Service name of the function's logs. */
export const WEEKLY_SUMMARY_SERVICE = 'weekly-summary';

/** Time kept free at the end of an invocation for the final log line, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and local runs. */
export interface WeeklySummaryHandlerOverrides extends WeeklySummaryDependencyOverrides {
  logger?: Logger;
}

/**
 * Returns the instant the run summarizes from. That is the scheduled event's `time`, so Lambda's retry of
 * the same event computes the same weeks, or the clock when the event has no valid time.
 */
export function referenceTimeOf(event: Partial<Pick<ScheduledEvent, 'time'>>, now: () => number): Date {
  const scheduled = typeof event.time === 'string' ? Date.parse(event.time) : Number.NaN;

  return new Date(Number.isNaN(scheduled) ? now() : scheduled);
}

/**
 * Wires the weekly summary function: Powertools logging through middy, then one run over the opted-in
 * users. The invocation fails when the run is incomplete, so Lambda retries the event.
 */
export function createWeeklySummaryHandler(
  config: WeeklySummaryConfig,
  overrides: WeeklySummaryHandlerOverrides = {},
) {
  const logger = overrides.logger ?? new Logger({ serviceName: WEEKLY_SUMMARY_SERVICE });
  const now = overrides.now ?? Date.now;
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const dependencies = createWeeklySummaryDependencies(config, logger, budgetMs, overrides);

  return middy<ScheduledEvent, WeeklySummaryResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event, context) => {
      invocation = context;
      const correlationId = correlationIdFrom(`weekly-summary-${event.id ?? randomUUID()}`);
      logger.appendKeys({ correlationId });

      return runWeeklySummary({ referenceTime: referenceTimeOf(event, now), correlationId }, dependencies);
    });
}
