import type { Update } from '@grammyjs/types';

/** The SQS message body the webhook functions write and the processor reads. */
export interface InboundEnvelope {
  version: 1;
  channel: 'telegram';
  /** Telegram's `update_id`, also the FIFO deduplication id and the idempotency key. */
  updateId: number;
  /** When the webhook accepted the update, epoch milliseconds. */
  receivedAtEpochMs: number;
  update: Update;
}

/** Raised when an SQS record body is not an {@link InboundEnvelope}. Such a record can never succeed. */
export class InvalidEnvelopeError extends Error {
  override readonly name = 'InvalidEnvelopeError';
}

/** Parses and checks an SQS record body. */
export function parseEnvelope(body: string): InboundEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidEnvelopeError(`SQS record body is not JSON (${body.length} characters).`);
  }

  const envelope = value as Partial<InboundEnvelope>;
  if (
    envelope?.version !== 1 ||
    envelope.channel !== 'telegram' ||
    !Number.isSafeInteger(envelope.updateId)
  ) {
    throw new InvalidEnvelopeError(
      'SQS record body is not a version 1 Telegram envelope with an integer updateId.',
    );
  }
  if (typeof envelope.update !== 'object' || envelope.update === null) {
    throw new InvalidEnvelopeError(`Envelope of update ${envelope.updateId} has no update object.`);
  }

  return envelope as InboundEnvelope;
}
