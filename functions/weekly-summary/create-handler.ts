import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { WeeklySummaryConfig } from '../../lib/config';
import { correlationIdFrom } from '../../lib/notify/preferences/destinations';
import {
  createWeeklySummaryDependencies,
  type WeeklySummaryDependencyOverrides,
} from '../../lib/notify/summary/create-dependencies';
import { runWeeklySummary, type WeeklySummaryResult } from '../../lib/notify/summary/run-weekly-summary';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';

/** Service name of the function's logs and traces. */
export const WEEKLY_SUMMARY_SERVICE = 'weekly-summary';

/** Time kept free at the end of an invocation for the final log line, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and local runs. */
export interface WeeklySummaryHandlerOverrides extends WeeklySummaryDependencyOverrides {
  logger?: Logger;
  /**
   * Tracer for the handler and the DynamoDB and SQS clients.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
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
 * Wires the weekly summary function: Powertools tracing and logging through middy, then one run over the
 * opted-in users. The invocation fails when the run is incomplete, so Lambda retries the event.
 */
export function createWeeklySummaryHandler(
  config: WeeklySummaryConfig,
  overrides: WeeklySummaryHandlerOverrides = {},
) {
  const logger = overrides.logger ?? createFunctionLogger(WEEKLY_SUMMARY_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(WEEKLY_SUMMARY_SERVICE);
  const tracing = tracingWith(tracer);
  const now = overrides.now ?? Date.now;
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const dependencies = createWeeklySummaryDependencies(config, logger, budgetMs, {
    ...overrides,
    dynamodb: tracer.captureAWSv3Client(overrides.dynamodb ?? new DynamoDBClient({})),
    sqs: tracer.captureAWSv3Client(overrides.sqs ?? new SQSClient({})),
  });

  return (
    middy<ScheduledEvent, WeeklySummaryResult>()
      // The result contains only counts and a status, so it stays in the trace.
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((event, context) => {
        invocation = context;
        const correlationId = correlationIdFrom(`weekly-summary-${event.id ?? randomUUID()}`);
        logger.appendKeys({ correlationId });
        tracing.annotate({ correlationId });

        return runWeeklySummary({ referenceTime: referenceTimeOf(event, now), correlationId }, dependencies);
      })
  );
}
