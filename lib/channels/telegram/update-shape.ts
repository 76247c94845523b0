import type { Update } from '@grammyjs/types';

/** Update fields defined by the Bot API. An update carries exactly one of them next to `update_id`. */
export const TELEGRAM_UPDATE_TYPES = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

/** Update types the processor acts on. Others are acknowledged with 200 and dropped at the webhook. */
export const PROCESSED_UPDATE_TYPES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;

/** A processed update type. */
export type ProcessedUpdateType = (typeof PROCESSED_UPDATE_TYPES)[number];

/** Result of checking a webhook body. */
export type UpdateCheck =
  | { outcome: 'accepted'; update: Update; type: ProcessedUpdateType; updateId: number; groupId: string }
  | { outcome: 'ignored'; updateId: number; type: string }
  | { outcome: 'invalid'; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function checkChat(value: unknown): string | undefined {
  if (!isObject(value) || !isInteger(value.id) || typeof value.type !== 'string') {
    return 'chat must be an object with an integer id and a type';
  }

  return undefined;
}

function checkMessage(value: unknown): string | undefined {
  if (!isObject(value)) {
    return 'message must be an object';
  }
  if (!isInteger(value.message_id) || !isInteger(value.date)) {
    return 'message must have integer message_id and date';
  }
  if (value.from !== undefined && (!isObject(value.from) || !isInteger(value.from.id))) {
    return 'message.from must be an object with an integer id';
  }
  if (value.text !== undefined && typeof value.text !== 'string') {
    return 'message.text must be a string';
  }
  if (value.caption !== undefined && typeof value.caption !== 'string') {
    return 'message.caption must be a string';
  }

  return checkChat(value.chat);
}

function checkCallbackQuery(value: unknown): string | undefined {
  if (
    !isObject(value) ||
    typeof value.id !== 'string' ||
    !isObject(value.from) ||
    !isInteger(value.from.id)
  ) {
    return 'callback_query must have a string id and a from object with an integer id';
  }
  if (value.data !== undefined && typeof value.data !== 'string') {
    return 'callback_query.data must be a string';
  }
  if (value.message !== undefined) {
    const problem = checkMessage(value.message);
    if (problem !== undefined) {
      return `callback_query.${problem}`;
    }
  }

  return undefined;
}

function checkChatMemberUpdate(value: unknown): string | undefined {
  if (
    !isObject(value) ||
    !isObject(value.new_chat_member) ||
    typeof value.new_chat_member.status !== 'string'
  ) {
    return 'my_chat_member must have new_chat_member with a status';
  }
  if (!isObject(value.from) || !isInteger(value.from.id)) {
    return 'my_chat_member.from must be an object with an integer id';
  }

  return checkChat(value.chat);
}

/**
 * Checks that a parsed JSON body is a Telegram Update and decides what to do with it.
 * Unknown or unhandled update types are `ignored`, so a Bot API addition never makes the webhook fail.
 * The SQS FIFO group is the chat, so one chat's updates are processed in order.
 */
export function checkTelegramUpdate(body: unknown): UpdateCheck {
  if (!isObject(body)) {
    return { outcome: 'invalid', reason: 'body must be a JSON object' };
  }
  if (!isInteger(body.update_id) || body.update_id < 0) {
    return { outcome: 'invalid', reason: 'update_id must be a non-negative integer' };
  }

  const updateId = body.update_id;
  const present = TELEGRAM_UPDATE_TYPES.filter((type) => body[type] !== undefined);
  if (present.length > 1) {
    return { outcome: 'invalid', reason: `an update carries one type, found ${present.join(', ')}` };
  }

  const type = present[0];
  if (type === undefined || !(PROCESSED_UPDATE_TYPES as readonly string[]).includes(type)) {
    return { outcome: 'ignored', updateId, type: type ?? 'unknown' };
  }

  const processedType = type as ProcessedUpdateType;
  const payload = body[processedType];
  const problem =
    processedType === 'callback_query'
      ? checkCallbackQuery(payload)
      : processedType === 'my_chat_member'
        ? checkChatMemberUpdate(payload)
        : checkMessage(payload);
  if (problem !== undefined) {
    return { outcome: 'invalid', reason: problem };
  }

  const update = body as unknown as Update;

  return {
    outcome: 'accepted',
    update,
    type: processedType,
    updateId,
    groupId: groupIdOf(update, processedType),
  };
}

function groupIdOf(update: Update, type: ProcessedUpdateType): string {
  switch (type) {
    case 'message':
      return String(update.message!.chat.id);
    case 'edited_message':
      return String(update.edited_message!.chat.id);
    case 'my_chat_member':
      return String(update.my_chat_member!.chat.id);
    case 'callback_query': {
      // A button under an inline-mode message has no `message`; the user's id is their private chat id.
      const query = update.callback_query!;
      return String(query.message?.chat.id ?? query.from.id);
    }
  }
}
