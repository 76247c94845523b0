import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ProcessorConfig } from '../../lib/config';
import { createFunctionLogger } from '../../lib/observability/function-logger';
import { createFunctionTracer, tracingWith } from '../../lib/observability/powertools-tracing';
import {
  createProcessorDependencies,
  type ProcessorDependencyOverrides,
} from '../../lib/processor/create-dependencies';
import { processInboundRecord } from '../../lib/processor/process-record';
import { createTelegramSecretsLoader } from '../../lib/secrets/telegram-secrets';

/** Service name of the function's logs, traces and metrics. */
export const PROCESSOR_SERVICE = 'message-processor';

/** Time kept free at the end of an invocation for the batch response, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and the local stack. */
export interface ProcessorHandlerOverrides extends Omit<ProcessorDependencyOverrides, 'tracing'> {
  logger?: Logger;
  /**
   * Tracer for the handler, the AWS clients, each record and each Telegram call.
   * @default a Powertools Tracer, which traces only inside Lambda
   */
  tracer?: Tracer;
}

/**
 * Wires the message processor: Powertools tracing, logging and FIFO partial batch responses. A failed
 * record fails only itself and the later records of its own chat, which must wait to keep the chat's
 * order. Metrics go to `overrides.metrics`, which the Lambda entry point sets to a Powertools sink.
 */
export function createProcessorHandler(config: ProcessorConfig, overrides: ProcessorHandlerOverrides = {}) {
  const logger = overrides.logger ?? createFunctionLogger(PROCESSOR_SERVICE);
  const tracer = overrides.tracer ?? createFunctionTracer(PROCESSOR_SERVICE);
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const secretsProvider = new SecretsProvider({
    awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})),
  });
  const dependencies = createProcessorDependencies(config, logger, budgetMs, {
    ...overrides,
    dynamodb: tracer.captureAWSv3Client(overrides.dynamodb ?? new DynamoDBClient({})),
    sqs: tracer.captureAWSv3Client(overrides.sqs ?? new SQSClient({})),
    loadSecrets: overrides.loadSecrets ?? createTelegramSecretsLoader(config.secrets, secretsProvider),
    tracing: tracingWith(tracer),
  });

  const handler = middy<SQSEvent, SQSBatchResponse>()
    // The batch response lists only SQS message ids of failed records, so it stays in the trace.
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      invocation = context;
      const processor = new SqsFifoPartialProcessorAsync();

      try {
        return await processPartialResponse(
          event,
          (record: SQSRecord) => processInboundRecord(record, dependencies),
          processor,
          {
            context,
            skipGroupOnError: true,
            throwOnFullBatchFailure: false,
          },
        );
      } finally {
        // The AI cost of this invocation, 0 when the local parser answered alone.
        dependencies.ai?.meter.flush();
      }
    });

  // The local stack and tests stop the offline OCR worker when they stop; Lambda never calls this.
  return Object.assign(handler, { close: async () => dependencies.ai?.close?.() });
}
