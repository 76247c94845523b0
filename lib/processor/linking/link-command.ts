import { channelsOf } from '../../domain/user';
import { en } from '../../messages/en';
import type { CommandEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { issueLinkCode } from './issue-code';
import { formatLinkCode, normalizeLinkCode } from './link-codes';
import { type RedeemResult, redeemLinkCode } from './redeem-code';

/**
 * Handles `/link`. Without an argument it issues a code for this account. With a code from another channel
 * it links the sender's account into the account that issued the code. Log lines name users and outcomes,
 * never a code or its hash.
 */
export async function handleLinkCommand(event: CommandEvent, context: HandlerContext): Promise<void> {
  const args = event.args.trim();
  if (args === '') {
    await issue(event, context);
    return;
  }

  const code = normalizeLinkCode(args);
  if (code === undefined) {
    context.dependencies.logger.info('Link code rejected as malformed', {
      eventKey: event.eventKey,
      length: args.length,
    });
    await context.reply.send(event.chatId, { text: en.linkCodeMalformed() });
    return;
  }
  await redeem(event, code, context);
}

async function issue(event: CommandEvent, context: HandlerContext): Promise<void> {
  const { dependencies, reply, user } = context;
  // A retry of this event whose code reply already went out must keep that code: the reply is not sent
  // again, so a new code would never reach the user.
  if (user.linkCode?.requestId === event.eventKey) {
    const sent = await dependencies.idempotency.getMarker(reply.nextMarkerKey());
    if (sent !== undefined) {
      dependencies.logger.info('Link code already sent for this event', { eventKey: event.eventKey });
      return;
    }
  }

  const result = await issueLinkCode(user, event.sender.channel, event.eventKey, {
    users: dependencies.users,
    now: () => dependencies.now(),
  });
  dependencies.logger.info('Link code requested', { eventKey: event.eventKey, outcome: result.status });
  switch (result.status) {
    case 'issued':
      await reply.send(event.chatId, {
        text: en.linkCodeIssued(formatLinkCode(result.code), result.expiresInMinutes, result.otherChannels),
      });
      return;
    case 'limit-reached':
      await reply.send(event.chatId, { text: en.linkCodeLimitReached(result.maxCodes) });
      return;
    case 'all-linked':
      await reply.send(event.chatId, { text: en.linkAllChannelsLinked(channelsOf(user)) });
      return;
  }
}

async function redeem(event: CommandEvent, code: string, context: HandlerContext): Promise<void> {
  const { dependencies, reply, user } = context;
  const result = await redeemLinkCode(user, code, event.eventKey, {
    users: dependencies.users,
    transactions: dependencies.transactions,
    now: () => dependencies.now(),
  });
  dependencies.logger.info('Link code redeemed', {
    eventKey: event.eventKey,
    outcome: result.status,
    ...(result.status === 'linked'
      ? { linkedUserId: result.user.userId, movedTransactions: result.movedTransactions }
      : {}),
  });
  await reply.send(event.chatId, { text: redeemReply(result) });
}

function redeemReply(result: RedeemResult): string {
  switch (result.status) {
    case 'linked':
      return en.linked(channelsOf(result.user), result.user);
    case 'not-found':
      return en.linkCodeNotFound();
    case 'expired':
      return en.linkCodeExpired();
    case 'same-user':
      return en.linkSameAccount();
    case 'channel-taken':
      return en.linkChannelTaken(result.channel);
    case 'too-many-attempts':
      return en.linkAttemptsUsedUp(result.retryAfterMinutes);
    case 'code-taken':
      return en.linkCodeTaken();
  }
}
