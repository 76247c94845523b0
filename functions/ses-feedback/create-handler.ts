import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import type { SesFeedbackConfig } from '../../lib/config';
import { resilienceLoggerOf } from '../../lib/notify/create-dependencies';
import { type FeedbackSummary, processSesFeedbackEvent } from '../../lib/notify/feedback/process-feedback';
import { DynamoSuppressionStore } from '../../lib/notify/suppression-store';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { DISCARDING_METRICS, type MetricsSink } from '../../lib/observability/metric-names';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';
import { createDocumentClient } from '../../lib/store/clients';

/** Service name of the function's logs, traces and metrics. */
export const SES_FEEDBACK_SERVICE = 'ses-feedback';

/** Optional overrides, for tests and the local stack. */
export interface SesFeedbackHandlerOverrides {
  logger?: Logger;
  /**
   * Destination of the SesFeedback and AddressesSuppressed metrics. The Lambda entry point passes a
   * Powertools sink.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Tracer for the handler, the DynamoDB client and each SNS record.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
  dynamodb?: DynamoDBClient;
  now?: () => number;
}

/**
 * Wires the SES feedback function, which the SES feedback topic invokes: Powertools tracing and logging
 * through middy, then one call into lib/notify. A thrown error makes Lambda retry the event, which is safe
 * because the suppression table counts each soft bounce once per feedback id. Log lines about a record carry
 * a `correlationId`: the notification's, when SES returned the e-mail's tags, or else the SES message id.
 */
export function createSesFeedbackHandler(
  config: SesFeedbackConfig,
  overrides: SesFeedbackHandlerOverrides = {},
) {
  const logger = overrides.logger ?? createFunctionLogger(SES_FEEDBACK_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(SES_FEEDBACK_SERVICE);
  const dynamodb = tracer.captureAWSv3Client(overrides.dynamodb ?? new DynamoDBClient({}));
  const dependencies = {
    suppressions: new DynamoSuppressionStore({
      client: createDocumentClient(dynamodb),
      tableName: config.suppressionsTable,
      now: overrides.now,
    }),
    transientBounceLimit: config.transientBounceLimit,
    logger: resilienceLoggerOf(logger),
    metrics: overrides.metrics ?? DISCARDING_METRICS,
    tracing: tracingWith(tracer),
  };

  return (
    middy<SNSEvent, FeedbackSummary>()
      // The summary contains only counts per outcome, so it stays in the trace.
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((event) => processSesFeedbackEvent(event, dependencies))
  );
}
