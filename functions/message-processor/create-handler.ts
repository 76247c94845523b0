import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { ProcessorConfig } from '../../lib/config';
import {
  createProcessorDependencies,
  type ProcessorDependencyOverrides,
} from '../../lib/processor/create-dependencies';
import { processInboundRecord } from '../../lib/processor/process-record';

/** Time kept free at the end of an invocation for the batch response, in milliseconds. */
const END_OF_INVOCATION_RESERVE_MS = 5_000;

/** Optional overrides, for tests and the local stack. */
export interface ProcessorHandlerOverrides extends ProcessorDependencyOverrides {
  logger?: Logger;
}

/**
 * Wires the message processor: Powertools logging and FIFO partial batch responses. A failed record
 * fails only itself and the later records of its own chat, which must wait to keep the chat's order.
 */
export function createProcessorHandler(config: ProcessorConfig, overrides: ProcessorHandlerOverrides = {}) {
  const logger = overrides.logger ?? new Logger({ serviceName: 'message-processor' });
  let invocation: Context | undefined;
  const budgetMs = () =>
    Math.max(0, (invocation?.getRemainingTimeInMillis() ?? 0) - END_OF_INVOCATION_RESERVE_MS);
  const dependencies = createProcessorDependencies(config, logger, budgetMs, overrides);

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      invocation = context;
      const processor = new SqsFifoPartialProcessorAsync();

      return processPartialResponse(
        event,
        (record: SQSRecord) => processInboundRecord(record, dependencies),
        processor,
        {
          context,
          skipGroupOnError: true,
          throwOnFullBatchFailure: false,
        },
      );
    });
}
