import { RecipientBlockedError } from '../channels/channel';
import { correlationIdFrom } from '../notify/preferences/destinations';
import { readAlbum } from './albums/read-album';
import type { ChatEvent, DeliveryStatusEvent } from './chat-event';
import type { ProcessorDependencies } from './dependencies';
import { handleAction } from './handlers/action';
import { handleCommand } from './handlers/command';
import type { HandlerContext } from './handlers/context';
import { handleMedia } from './handlers/media';
import { handleEditedText, handleText } from './handlers/text';
import { ReplySession } from './reply-session';

/** Raised when another invocation is processing the same event; the record is retried later. */
export class EventInProgressError extends Error {
  override readonly name = 'EventInProgressError';

  constructor(readonly eventKey: string) {
    super(`Event ${eventKey} is being processed by another invocation; the record will be retried.`);
  }
}

/**
 * How long a claim protects an event from concurrent processing. Longer than the processor's timeout,
 * so a claim only expires when its holder is gone.
 */
const CLAIM_LEASE_SECONDS = 90;

async function recordDeliveryStatus(
  event: DeliveryStatusEvent,
  dependencies: ProcessorDependencies,
): Promise<void> {
  const outcome = (await dependencies.deliveries?.record(event)) ?? 'not-tracked';
  const details = {
    eventKey: event.eventKey,
    status: event.status,
    outcome,
    errorCodes: event.errors.map((error) => error.code),
  };
  if (event.status === 'failed') {
    dependencies.logger.warn('Outbound message was not delivered', details);
  } else {
    dependencies.logger.info('Recorded delivery status', details);
  }
}

async function dispatch(
  event: Exclude<ChatEvent, { type: 'ignored' }>,
  dependencies: ProcessorDependencies,
  fresh: boolean,
  correlationId: string,
): Promise<void> {
  if (event.type === 'membership') {
    const user = await dependencies.users.findByIdentity(
      `${event.sender.channel}:${event.sender.externalId}`,
    );
    if (user !== undefined) {
      await dependencies.users.setStatus(user.userId, event.blocked ? 'inactive' : 'active');
    }
    dependencies.logger.info('Bot membership changed', {
      eventKey: event.eventKey,
      blocked: event.blocked,
      knownUser: user !== undefined,
    });
    return;
  }
  if (event.type === 'delivery-status') {
    await recordDeliveryStatus(event, dependencies);
    return;
  }

  const { user, created } = await dependencies.users.findOrCreate({
    identity: `${event.sender.channel}:${event.sender.externalId}`,
    languageCode: event.sender.languageCode,
    displayName: event.sender.displayName,
    country: event.sender.country,
  });
  // Every later line of this record names the user, so on-call can find a user's messages in the logs.
  dependencies.logger.appendKeys({ userId: user.userId });
  if (created) {
    dependencies.logger.info('Created user', { eventKey: event.eventKey });
  }
  if (user.status === 'inactive') {
    // Writing to the bot again means the user unblocked it.
    await dependencies.users.setStatus(user.userId, 'active');
  }

  const channel = await dependencies.channel(event.sender.channel);
  // Before any reply: a channel with a reply window (WhatsApp) reopens it from this message's time. An
  // album event is the processor's own, not a message from the user.
  if (event.type !== 'album') {
    await channel.userActive?.(event.chatId, 'sentAt' in event ? event.sentAt : new Date(dependencies.now()));
  }
  const context: HandlerContext = {
    dependencies,
    user,
    correlationId,
    reply: new ReplySession(channel, dependencies.idempotency, event.eventKey, fresh),
  };
  try {
    switch (event.type) {
      case 'text':
        await handleText(event, context);
        return;
      case 'edited-text':
        await handleEditedText(event, context);
        return;
      case 'command':
        await handleCommand(event, context);
        return;
      case 'action':
        await handleAction(event, context);
        return;
      case 'media':
        await handleMedia(event, channel, context);
        return;
      case 'album':
        await readAlbum(event, channel, context);
        return;
    }
  } catch (error) {
    if (!(error instanceof RecipientBlockedError)) {
      throw error;
    }
    // Blocking is permanent until the user writes again: retrying would only fill the dead-letter queue.
    await dependencies.users.setStatus(user.userId, 'inactive');
    dependencies.logger.info('User blocked the bot; marked inactive', {
      eventKey: event.eventKey,
      userId: user.userId,
    });
  }
}

/**
 * Processes one event exactly once in effect: the event key is claimed in DynamoDB first, a completed
 * event is skipped, and a failed one is released so the SQS retry can process it again.
 *
 * `correlationId` is the webhook's id for the request that delivered the event. Notifications that the
 * event causes carry it on, with characters other than letters, digits, _ and - replaced by -. Without
 * one (an envelope from before correlation ids), the event key serves.
 */
export async function handleEvent(
  event: ChatEvent,
  dependencies: ProcessorDependencies,
  correlationId?: string,
): Promise<void> {
  if (event.type === 'ignored') {
    dependencies.logger.info('Ignored update', { eventKey: event.eventKey, reason: event.reason });
    return;
  }

  const claimKey = `event:${event.eventKey}`;
  const { outcome: claim, fresh } = await dependencies.idempotency.claimWithDetails(
    claimKey,
    CLAIM_LEASE_SECONDS,
  );
  if (claim === 'completed') {
    dependencies.logger.info('Skipped duplicate delivery', { eventKey: event.eventKey });
    return;
  }
  if (claim === 'in-progress') {
    throw new EventInProgressError(event.eventKey);
  }

  try {
    // Notifications and SES tags accept only letters, digits, _ and -, and API Gateway request ids can end
    // in '=', so the id is passed on in that alphabet.
    await dispatch(event, dependencies, fresh, correlationIdFrom(correlationId ?? event.eventKey));
  } catch (error) {
    await dependencies.idempotency.release(claimKey);
    throw error;
  }

  await dependencies.idempotency.complete(claimKey);
}
