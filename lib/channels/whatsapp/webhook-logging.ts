import type { Logger } from '@aws-lambda-powertools/logger';
import type { WhatsAppEnvelope } from '../../inbound/envelope';
import type { WhatsAppPayloadSplit } from './split-payload';
import { MAX_ENVELOPE_BYTES, type WhatsAppQueueResult } from './webhook-queue';

/**
 * Maximum number of ids or skipped parts listed in one log line. The counts next to each list are always complete, so a
 * POST with thousands of items still logs one bounded line per kind of event.
 */
const MAX_LISTED = 20;

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].slice(0, MAX_LISTED);
}

/**
 * Logs what {@link splitWhatsAppPayload} left out: changes of other fields and items for other phone numbers
 * at INFO, malformed parts at WARN. At DEBUG it also logs each item's sender wa_id, which identifies a person
 * and so never appears at INFO.
 */
export function logSplit(logger: Logger, split: WhatsAppPayloadSplit): void {
  if (split.ignoredFields.length > 0) {
    logger.info('Ignored WhatsApp changes of fields other than messages', {
      changes: split.ignoredFields.length,
      fields: unique(split.ignoredFields),
    });
  }

  const foreign = split.skipped.filter((part) => part.reason === 'unknown-phone-number');
  if (foreign.length > 0) {
    logger.info('Ignored WhatsApp items for phone number ids that are not configured', {
      items: foreign.length,
      phoneNumberIds: unique(foreign.map((part) => part.phoneNumberId ?? '')),
      itemIds: unique(foreign.flatMap((part) => (part.itemId === undefined ? [] : [part.itemId]))),
    });
  }

  const malformed = split.skipped.filter((part) => part.reason === 'malformed');
  if (malformed.length > 0) {
    logger.warn('Skipped malformed parts of a WhatsApp webhook POST', {
      parts: malformed.length,
      skipped: malformed.slice(0, MAX_LISTED).map(({ path, problem, phoneNumberId, itemId }) => ({
        path,
        problem,
        phoneNumberId,
        itemId,
      })),
    });
  }

  if (split.envelopes.length > 0) {
    logger.debug('Split WhatsApp webhook POST into items', {
      items: split.envelopes.slice(0, MAX_LISTED).map(({ eventId, item }) => ({
        eventId,
        kind: item.kind,
        waId: item.kind === 'message' ? item.message.from : item.status.recipient_id,
      })),
    });
  }
}

/**
 * Logs the outcome of {@link queueWhatsAppEnvelopes}: ids and counts, never message text or wa_ids. Items
 * that SQS can never take and items that failed are logged at ERROR, the queued ones at INFO.
 */
export function logQueueResult(
  logger: Logger,
  envelopes: readonly WhatsAppEnvelope[],
  result: WhatsAppQueueResult,
  bodyBytes: number,
): void {
  if (result.unsendable.length > 0) {
    logger.error('Skipped WhatsApp items that SQS cannot take', {
      items: result.unsendable.length,
      skipped: result.unsendable.slice(0, MAX_LISTED),
      maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
    });
  }

  if (result.failed.length > 0 || result.notSent.length > 0) {
    logger.error('Could not queue every WhatsApp item, so Meta will deliver the POST again', {
      queued: result.queued.length,
      failed: result.failed.length,
      notSent: result.notSent.length,
      failedItems: result.failed.slice(0, MAX_LISTED),
    });
    return;
  }

  if (result.queued.length > 0) {
    const queuedIds = new Set(result.queued);
    const queued = envelopes.filter((envelope) => queuedIds.has(envelope.eventId));
    logger.info('Queued WhatsApp items', {
      queued: result.queued.length,
      messages: queued.filter((envelope) => envelope.item.kind === 'message').length,
      statuses: queued.filter((envelope) => envelope.item.kind === 'status').length,
      phoneNumberIds: unique(queued.map((envelope) => envelope.phoneNumberId)),
      eventIds: result.queued.slice(0, MAX_LISTED),
      bodyBytes,
    });
  }
}
