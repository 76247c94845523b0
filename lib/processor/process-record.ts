import type { SQSRecord } from 'aws-lambda';
import { envelopeId, type InboundEnvelope, parseEnvelope } from '../inbound/envelope';
import { normalizeEnvelope } from '../inbound/normalize';
import { METRICS } from '../observability/metric-names';
import { AlbumStillCollectingError } from './albums/errors';
import { requestedDelayMs } from './deferral';
import type { ProcessorDependencies } from './dependencies';
import { handleEvent } from './handle-event';

async function deferOrLog(
  record: SQSRecord,
  delayMs: number,
  error: unknown,
  dependencies: ProcessorDependencies,
): Promise<void> {
  try {
    const seconds = await dependencies.deferrer!.defer(record, delayMs);
    const details = {
      messageId: record.messageId,
      delaySeconds: seconds,
      receiveCount: record.attributes?.ApproximateReceiveCount,
    };
    if (error instanceof AlbumStillCollectingError) {
      // The normal course of an album, not a problem.
      dependencies.logger.info('Deferred the album: its photos may still be arriving', details);
    } else {
      dependencies.logger.warn(
        'Deferred the record: a dependency asked to wait longer than the invocation can',
        details,
      );
    }
  } catch (error) {
    // The record still fails, so SQS retries it after the queue's visibility timeout instead.
    dependencies.logger.error('Could not defer the record; SQS retries it after the visibility timeout', {
      messageId: record.messageId,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
  }
}

/** Name of the trace subsegment around one record. */
export const RECORD_SUBSEGMENT = '### processInboundRecord';

function recordFinished(envelope: InboundEnvelope, dependencies: ProcessorDependencies): void {
  const dimensions = { channel: envelope.channel };
  dependencies.metrics.record(METRICS.updatesProcessed, dimensions);
  dependencies.metrics.record(
    METRICS.processingLag,
    dimensions,
    Math.max(0, dependencies.now() - envelope.receivedAtEpochMs),
    'Milliseconds',
  );
}

/**
 * Processes one SQS record from the inbound queue. An error fails this record, and the batch processor
 * also fails the later records of the same chat to keep its order. SQS delivers them again and, after
 * the queue's receive count, moves them to the dead-letter queue.
 *
 * While the record runs, log lines carry its `updateId`, `channel` and `correlationId`, and a trace
 * subsegment annotated with the same ids wraps it.
 */
export async function processInboundRecord(
  record: SQSRecord,
  dependencies: ProcessorDependencies,
): Promise<void> {
  const logger = dependencies.logger;
  let envelope: InboundEnvelope;
  try {
    envelope = parseEnvelope(record.body);
  } catch (error) {
    logger.error('Invalid inbound record; it stays on the queue until it reaches the dead-letter queue', {
      messageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    throw error;
  }

  const ids = {
    updateId: envelopeId(envelope),
    channel: envelope.channel,
    correlationId: envelope.correlationId,
  };
  logger.appendKeys(ids);
  try {
    await dependencies.tracing.inSubsegment(
      RECORD_SUBSEGMENT,
      () => handleEvent(normalizeEnvelope(envelope), dependencies, envelope.correlationId),
      { annotations: ids },
    );
    recordFinished(envelope, dependencies);
  } catch (error) {
    const delayMs = requestedDelayMs(error);
    if (delayMs !== undefined && dependencies.deferrer !== undefined) {
      await deferOrLog(record, delayMs, error, dependencies);
      throw error;
    }
    logger.error('Processing failed; SQS will retry the record', {
      messageId: record.messageId,
      receiveCount: record.attributes?.ApproximateReceiveCount,
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    throw error;
  } finally {
    logger.removeKeys([...Object.keys(ids), 'userId']);
  }
}
