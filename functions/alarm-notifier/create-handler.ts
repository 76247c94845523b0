import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import type { AlarmNotifierConfig } from '../../lib/config';
import { type AlarmForwardingSummary, forwardAlarmEvent } from '../../lib/notify/alarms/forward-alarm';
import { resilienceLoggerOf } from '../../lib/notify/create-dependencies';
import { SqsNotificationQueue } from '../../lib/notify/preferences/notification-queue';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { createFunctionTracer } from '../../lib/observability/powertools-tracing';

/** Service name of the function's logs and traces. */
export const ALARM_NOTIFIER_SERVICE = 'alarm-notifier';

/** Optional overrides, for tests and the local stack. */
export interface AlarmNotifierHandlerOverrides {
  logger?: Logger;
  sqs?: SQSClient;
  /**
   * Tracer for the handler and the SQS client.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
}

/**
 * Wires the alarm notifier, which the alarm topic invokes: Powertools tracing and logging through middy,
 * then one call into lib/notify that queues a Slack alert per alarm. A thrown error makes Lambda retry the
 * event, which is safe because the notification sender sends each alarm state change once.
 */
export function createAlarmNotifierHandler(
  config: AlarmNotifierConfig,
  overrides: AlarmNotifierHandlerOverrides = {},
) {
  const logger = overrides.logger ?? createFunctionLogger(ALARM_NOTIFIER_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(ALARM_NOTIFIER_SERVICE);
  const dependencies = {
    queue: new SqsNotificationQueue({
      sqs: tracer.captureAWSv3Client(overrides.sqs ?? new SQSClient({})),
      queueUrl: config.notificationQueueUrl,
    }),
    routing: { stage: config.stage, fxRefreshFunctionNames: config.fxRefreshFunctionNames },
    slackWebhook: config.slackWebhook,
    logger: resilienceLoggerOf(logger),
  };

  return (
    middy<SNSEvent, AlarmForwardingSummary>()
      // The summary holds only counts, so it stays in the trace.
      .use(captureLambdaHandler(tracer))
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler((event) => forwardAlarmEvent(event, dependencies))
  );
}
