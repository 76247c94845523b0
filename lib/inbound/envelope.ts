import type { Update } from '@grammyjs/types';

/** The SQS message body the webhook functions write and the processor reads. */
export interface InboundEnvelope {
  version: 1;
  channel: 'telegram';
  /** Telegram's `update_id`, also the FIFO deduplication id and the idempotency key. */
  updateId: number;
  /** When the webhook accepted the update, epoch milliseconds. */
  receivedAtEpochMs: number;
  /**
   * Id of the webhook request that accepted the update (API Gateway's request id). Every function that
   * handles the update logs it as `correlationId` and annotates its trace with it. Absent in envelopes
   * written before it existed.
   */
  correlationId?: string;
  update: Update;
}

/**
 * Serializes an envelope as pure ASCII JSON: every character above U+007E becomes a `\uXXXX` escape.
 * SQS rejects message bodies with characters outside its allowed Unicode ranges, and emulators disagree
 * with AWS about characters beyond the Basic Multilingual Plane (emoji), so an escaped body passes
 * everywhere. `JSON.parse` restores the original text.
 */
export function serializeEnvelope(envelope: InboundEnvelope): string {
  return JSON.stringify(envelope).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
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
  if (envelope.correlationId !== undefined && typeof envelope.correlationId !== 'string') {
    throw new InvalidEnvelopeError(
      `Envelope of update ${envelope.updateId} has a correlationId of type ${typeof envelope.correlationId}; expected a string.`,
    );
  }

  return envelope as InboundEnvelope;
}
