import { createHash } from 'node:crypto';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { serializeEnvelope, type WhatsAppEnvelope } from '../../inbound/envelope';

/** Maximum entries in one SendMessageBatch call (SQS quota). */
export const SQS_MAX_BATCH_ENTRIES = 10;

/** Maximum bytes of all message bodies in one SendMessageBatch call (SQS quota). */
export const SQS_MAX_BATCH_BYTES = 1_048_576;

/**
 * Maximum envelope size queued, in bytes. 256 KiB is the default MaximumMessageSize of many existing queues, so a
 * body of this size fits any queue. A real WhatsApp item is far smaller: text messages hold at most 4,096
 * characters, which is at most 24 KiB once {@link serializeEnvelope} escapes them.
 */
export const MAX_ENVELOPE_BYTES = 262_144;

/** Pattern of the FIFO group and deduplication ids that SQS accepts: 1 to 128 alphanumeric or punctuation characters. */
const FIFO_ID_PATTERN = /^[!-~]{1,128}$/;

/**
 * Returns `value` when SQS accepts it as a FIFO MessageGroupId or MessageDeduplicationId, and otherwise
 * the SHA-256 of its UTF-8 bytes in hex (64 characters). The result is the same for the same value, so a
 * hashed id still groups and deduplicates.
 */
export function fifoIdOf(value: string): string {
  return FIFO_ID_PATTERN.test(value) ? value : createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Returns the FIFO group of an envelope: the user's wa_id (a message's `from`, a status's `recipient_id`),
 * so each user's items are processed in order. A status without `recipient_id` falls back to the business
 * phone number id.
 */
export function messageGroupIdOf(envelope: WhatsAppEnvelope): string {
  const { item } = envelope;
  const waId = item.kind === 'message' ? item.message.from : item.status.recipient_id;

  return fifoIdOf(waId === undefined || waId === '' ? envelope.phoneNumberId : waId);
}

/** Why an envelope was not sent: its body passes {@link MAX_ENVELOPE_BYTES}, or JSON.stringify threw on it. */
export type UnsendableReason = 'too-large' | 'unserializable';

/** Result of {@link queueWhatsAppEnvelopes}. Every envelope appears in exactly one of the lists. */
export interface WhatsAppQueueResult {
  /** Event ids that SQS accepted, duplicates included. */
  queued: string[];
  /** Event ids that SQS rejected, or that a call that threw carried, with SQS's error code or the error name. */
  failed: Array<{ eventId: string; code: string }>;
  /** Event ids not sent because an earlier batch failed. */
  notSent: string[];
  /** Event ids that can never be sent. A retry of the POST cannot help them. */
  unsendable: Array<{ eventId: string; reason: UnsendableReason }>;
}

interface PreparedEntry {
  eventId: string;
  entry: SendMessageBatchRequestEntry;
  bytes: number;
}

/**
 * Sends envelopes to the FIFO inbound queue with SendMessageBatch, at most 10 entries and 1 MiB a call, in
 * payload order. The deduplication id is the event id, hashed when SQS would reject it, so a POST that Meta
 * delivers again within SQS's 5-minute deduplication window queues nothing twice. The processor's
 * idempotency table covers later deliveries.
 *
 * The batches go out one after another, and the first batch with a failed entry or a thrown error stops
 * the rest. The caller then returns 500 and Meta delivers the whole POST again, which keeps each user's
 * items close to their order.
 */
export async function queueWhatsAppEnvelopes(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  envelopes: readonly WhatsAppEnvelope[],
): Promise<WhatsAppQueueResult> {
  const result: WhatsAppQueueResult = { queued: [], failed: [], notSent: [], unsendable: [] };
  const prepared = prepareEntries(envelopes, result);
  const batches = packBatches(prepared);

  for (const [batchIndex, batch] of batches.entries()) {
    const failedCodes = await sendBatch(sqs, queueUrl, batch);
    for (const { eventId, entry } of batch) {
      const code = failedCodes.get(entry.Id!);
      if (code === undefined) {
        result.queued.push(eventId);
      } else {
        result.failed.push({ eventId, code });
      }
    }
    if (failedCodes.size > 0) {
      result.notSent = batches.slice(batchIndex + 1).flatMap((rest) => rest.map(({ eventId }) => eventId));
      break;
    }
  }

  return result;
}

function prepareEntries(
  envelopes: readonly WhatsAppEnvelope[],
  result: WhatsAppQueueResult,
): PreparedEntry[] {
  const prepared: PreparedEntry[] = [];
  for (const envelope of envelopes) {
    let body: string;
    try {
      body = serializeEnvelope(envelope);
    } catch {
      // JSON.stringify throws RangeError on a value nested deeper than the call stack allows.
      result.unsendable.push({ eventId: envelope.eventId, reason: 'unserializable' });
      continue;
    }
    // serializeEnvelope writes ASCII only, so the length is the byte count.
    if (body.length > MAX_ENVELOPE_BYTES) {
      result.unsendable.push({ eventId: envelope.eventId, reason: 'too-large' });
      continue;
    }

    prepared.push({
      eventId: envelope.eventId,
      bytes: body.length,
      entry: {
        Id: `item-${prepared.length}`,
        MessageBody: body,
        MessageGroupId: messageGroupIdOf(envelope),
        MessageDeduplicationId: fifoIdOf(envelope.eventId),
      },
    });
  }

  return prepared;
}

function packBatches(entries: PreparedEntry[]): PreparedEntry[][] {
  const batches: PreparedEntry[][] = [];
  let current: PreparedEntry[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    if (current.length === SQS_MAX_BATCH_ENTRIES || currentBytes + entry.bytes > SQS_MAX_BATCH_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length > 0) {
    batches.push(current);
  }

  return batches;
}

/** Sends one batch and returns the error code of every entry that SQS did not accept, by entry id. */
async function sendBatch(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: string,
  batch: PreparedEntry[],
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  let response: { Successful?: Array<{ Id?: string }>; Failed?: Array<{ Id?: string; Code?: string }> };
  try {
    response = await sqs.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map(({ entry }) => entry) }),
    );
  } catch (error) {
    const code = error instanceof Error ? error.name : 'Unknown';
    for (const { entry } of batch) {
      failed.set(entry.Id!, code);
    }
    return failed;
  }

  for (const entry of response.Failed ?? []) {
    failed.set(entry.Id ?? '', entry.Code ?? 'Unknown');
  }
  // SQS lists every entry as successful or failed, so an entry in neither list counts as failed.
  const successful = new Set((response.Successful ?? []).map((entry) => entry.Id));
  for (const { entry } of batch) {
    if (!successful.has(entry.Id) && !failed.has(entry.Id!)) {
      failed.set(entry.Id!, 'NoResult');
    }
  }

  return failed;
}
