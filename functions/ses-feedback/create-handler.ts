import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import type { SesFeedbackConfig } from '../../lib/config';
import { resilienceLoggerOf } from '../../lib/notify/create-dependencies';
import { type FeedbackSummary, processSesFeedbackEvent } from '../../lib/notify/feedback/process-feedback';
import { type NotifyMetricsSink, powertoolsNotifyMetrics } from '../../lib/notify/metrics';
import { DynamoSuppressionStore } from '../../lib/notify/suppression-store';
import { METRIC_NAMESPACE } from '../../lib/observability/metric-names';
import { createDocumentClient } from '../../lib/store/clients';

/** Optional overrides, for tests and the local stack. */
export interface SesFeedbackHandlerOverrides {
  logger?: Logger;
  metrics?: NotifyMetricsSink;
  dynamodb?: DynamoDBClient;
  now?: () => number;
}

/**
 * Wires the SES feedback function, which the SES feedback topic invokes: Powertools logging and metrics,
 * then one call into lib/notify. A thrown error makes Lambda retry the event, which is safe because the
 * suppression table counts each soft bounce once per feedback id.
 */
export function createSesFeedbackHandler(
  config: SesFeedbackConfig,
  overrides: SesFeedbackHandlerOverrides = {},
) {
  const logger = overrides.logger ?? new Logger({ serviceName: 'ses-feedback' });
  const metrics =
    overrides.metrics ??
    powertoolsNotifyMetrics(new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'ses-feedback' }));
  const dependencies = {
    suppressions: new DynamoSuppressionStore({
      client: createDocumentClient(overrides.dynamodb),
      tableName: config.suppressionsTable,
      now: overrides.now,
    }),
    transientBounceLimit: config.transientBounceLimit,
    logger: resilienceLoggerOf(logger),
    metrics,
  };

  return middy<SNSEvent, FeedbackSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler((event) => processSesFeedbackEvent(event, dependencies));
}
