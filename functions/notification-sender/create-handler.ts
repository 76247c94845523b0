import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { NotificationSenderConfig } from '../../lib/config';
import {
  createNotificationDependencies,
  type NotificationDependencyOverrides,
} from '../../lib/notify/create-dependencies';
import { processNotificationRecord } from '../../lib/notify/process-notification';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { DISCARDING_METRICS, type MetricsSink } from '../../lib/observability/metric-names';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';

/** Service name of the function's logs, traces and metrics. */
export const NOTIFICATION_SENDER_SERVICE = 'notification-sender';

/** Time kept free at the end of an invocation for the batch response, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and the local stack. */
export interface NotificationSenderHandlerOverrides extends Omit<NotificationDependencyOverrides, 'tracing'> {
  logger?: Logger;
  /**
   * Destination of the notification metrics and the resilience layer's metrics. The Lambda entry point
   * passes a Powertools sink.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Tracer for the handler, the AWS clients, each record and each provider call.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
}

/**
 * Wires the notification sender: Powertools tracing, logging and partial batch responses on the standard
 * notification queue. Records are processed one after another, so the token buckets hand out their waits
 * in queue order, and a failed record fails only itself. While a record runs, its log lines carry the
 * notification's `correlationId`.
 */
export function createNotificationSenderHandler(
  config: NotificationSenderConfig,
  overrides: NotificationSenderHandlerOverrides = {},
) {
  const logger = overrides.logger ?? createFunctionLogger(NOTIFICATION_SENDER_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(NOTIFICATION_SENDER_SERVICE);
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const secretsProvider =
    overrides.secretsProvider ??
    new SecretsProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})) });
  const dependencies = createNotificationDependencies(
    config,
    logger,
    overrides.metrics ?? DISCARDING_METRICS,
    budgetMs,
    {
      ...overrides,
      dynamodb: tracer.captureAWSv3Client(overrides.dynamodb ?? new DynamoDBClient({})),
      ses: tracer.captureAWSv3Client(overrides.ses ?? new SESv2Client({ maxAttempts: 1 })),
      sns: tracer.captureAWSv3Client(overrides.sns ?? new SNSClient({ maxAttempts: 1 })),
      sqs: tracer.captureAWSv3Client(overrides.sqs ?? new SQSClient({})),
      secretsProvider,
      tracing: tracingWith(tracer),
    },
  );

  return (
    middy<SQSEvent, SQSBatchResponse>()
      // The batch response lists only SQS message ids of failed records, so it stays in the trace.
      .use(captureLambdaHandler(tracer))
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
      })
  );
}
