import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { NotificationSenderConfig } from '../../lib/config';
import {
  createNotificationDependencies,
  type NotificationDependencyOverrides,
} from '../../lib/notify/create-dependencies';
import { type NotifyMetricsSink, powertoolsNotifyMetrics } from '../../lib/notify/metrics';
import { processNotificationRecord } from '../../lib/notify/process-notification';
import { METRIC_NAMESPACE } from '../../lib/observability/metric-names';

/** Time kept free at the end of an invocation for the batch response, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and the local stack. */
export interface NotificationSenderHandlerOverrides extends NotificationDependencyOverrides {
  logger?: Logger;
  metrics?: NotifyMetricsSink;
}

/**
 * Wires the notification sender: Powertools logging and metrics, and partial batch responses on the
 * standard notification queue. Records are processed one after another, so the token buckets hand out
 * their waits in queue order. A failed record fails only itself.
 */
export function createNotificationSenderHandler(
  config: NotificationSenderConfig,
  overrides: NotificationSenderHandlerOverrides = {},
) {
  const logger = overrides.logger ?? new Logger({ serviceName: 'notification-sender' });
  const metrics =
    overrides.metrics ??
    powertoolsNotifyMetrics(new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'notification-sender' }));
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const dependencies = createNotificationDependencies(config, logger, metrics, budgetMs, overrides);

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      invocation = context;
      const processor = new BatchProcessor(EventType.SQS);

      return processPartialResponse(
        event,
        async (record: SQSRecord) => {
          await processNotificationRecord(record, dependencies);
        },
        processor,
        { context, processInParallel: false, throwOnFullBatchFailure: false },
      );
    });
}
