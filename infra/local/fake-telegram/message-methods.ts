import type { InlineKeyboardMarkup, Message, User } from '@grammyjs/types';
import { badRequest } from './api-error';
import type { MethodContext } from './context';
import type { ChatRecord, FakeState, StoredMessage } from './state';
import {
  type Params,
  readBoolean,
  readFormattedText,
  readInlineKeyboard,
  readInteger,
  readJson,
  readString,
} from './validation';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a ' +
  'current content and reply markup of the message';

/** Chat actions accepted by sendChatAction, per its docs. */
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export function sendMessage(params: Params, { state, now }: MethodContext): Message {
  const record = state.chat(params.chat_id);
  state.assertCanSend(record);
  const content = readFormattedText(params);
  const replyMarkup = readInlineKeyboard(params);
  const replyTo = readReplyTarget(params, record);

  const stored = state.addBotMessage(record, { ...content, replyMarkup }, now);
  const message = toMessage(stored, record, state);
  if (replyTo !== undefined) {
    Object.assign(message, { reply_to_message: toMessage(replyTo, record, state) });
  }

  return message;
}

export function editMessageText(params: Params, { state, now }: MethodContext): Message | true {
  const target = findEditTarget(params, state);
  const content = readFormattedText(params);
  const replyMarkup = readInlineKeyboard(params);

  return applyEdit(target, { ...content, replyMarkup }, state, now);
}

export function editMessageReplyMarkup(params: Params, { state, now }: MethodContext): Message | true {
  const target = findEditTarget(params, state);
  const replyMarkup = readInlineKeyboard(params);

  return applyEdit(
    target,
    { text: target.stored.text, entities: target.stored.entities, replyMarkup },
    state,
    now,
  );
}

export function deleteMessage(params: Params, { state }: MethodContext): true {
  const record = state.chat(params.chat_id);
  const messageId = readInteger(params, 'message_id');
  if (messageId === undefined) {
    throw badRequest('message identifier is not specified');
  }

  if (!record.messages.delete(messageId)) {
    throw badRequest('message to delete not found');
  }

  return true;
}

export function answerCallbackQuery(params: Params, { state, now }: MethodContext): true {
  state.answerCallbackQuery(readString(params, 'callback_query_id') ?? '', now);
  return true;
}

export function sendChatAction(params: Params, { state }: MethodContext): true {
  const record = state.chat(params.chat_id);
  state.assertCanSend(record);
  if (!CHAT_ACTIONS.has(readString(params, 'action') ?? '')) {
    throw badRequest('wrong parameter action in request');
  }

  return true;
}

interface EditTarget {
  stored: StoredMessage;
  record: ChatRecord | undefined;
}

function findEditTarget(params: Params, state: FakeState): EditTarget {
  const inlineMessageId = readString(params, 'inline_message_id');
  if (inlineMessageId !== undefined && inlineMessageId !== '') {
    const stored = state.inlineMessage(inlineMessageId);
    if (stored === undefined) {
      throw badRequest('MESSAGE_ID_INVALID');
    }

    return { stored, record: undefined };
  }

  const record = state.chat(params.chat_id);
  const messageId = readInteger(params, 'message_id');
  if (messageId === undefined) {
    throw badRequest('message identifier is not specified');
  }

  const stored = record.messages.get(messageId);
  if (stored === undefined) {
    throw badRequest('message to edit not found');
  }

  if (!stored.fromBot) {
    throw badRequest("message can't be edited");
  }

  return { stored, record };
}

function applyEdit(
  target: EditTarget,
  content: Pick<StoredMessage, 'text' | 'entities' | 'replyMarkup'>,
  state: FakeState,
  now: number,
): Message | true {
  const { stored, record } = target;
  const unchanged =
    content.text === stored.text &&
    canonicalJson(content.entities) === canonicalJson(stored.entities) &&
    canonicalJson(content.replyMarkup) === canonicalJson(stored.replyMarkup);
  if (unchanged) {
    throw badRequest(NOT_MODIFIED);
  }

  Object.assign(stored, content, { editDate: Math.floor(now / 1000) });
  return record === undefined ? true : toMessage(stored, record, state);
}

/** Finds the message named by reply_parameters or the older reply_to_message_id. */
function readReplyTarget(params: Params, record: ChatRecord): StoredMessage | undefined {
  const replyParameters = readJson(params, 'reply_parameters', "can't parse reply parameters JSON object");
  const fromObject =
    typeof replyParameters === 'object' && replyParameters !== null ? (replyParameters as Params) : undefined;
  const messageId = fromObject
    ? readInteger(fromObject, 'message_id')
    : readInteger(params, 'reply_to_message_id');
  if (messageId === undefined) {
    return undefined;
  }

  const found = record.messages.get(messageId);
  const allowMissing = readBoolean(fromObject ?? params, 'allow_sending_without_reply');
  if (found === undefined && !allowMissing) {
    throw badRequest('message to be replied not found');
  }

  return found;
}

/** Builds the Message object that Telegram returns for a stored message. */
function toMessage(stored: StoredMessage, record: ChatRecord, state: FakeState): Message {
  const bot: User = {
    id: state.bot.id,
    is_bot: true,
    first_name: state.bot.first_name,
    username: state.bot.username,
  };
  const chat = record.chat;
  const user: User | undefined =
    chat.type === 'private' ? { id: chat.id, is_bot: false, first_name: chat.first_name } : undefined;

  const message: Record<string, unknown> = {
    message_id: stored.messageId,
    from: stored.fromBot ? bot : user,
    chat,
    date: stored.date,
    text: stored.text,
  };
  if (stored.editDate !== undefined) {
    message.edit_date = stored.editDate;
  }

  if (stored.entities.length > 0) {
    message.entities = stored.entities;
  }

  if (stored.replyMarkup !== undefined) {
    message.reply_markup = stored.replyMarkup satisfies InlineKeyboardMarkup;
  }

  return message as unknown as Message;
}

/** JSON with sorted object keys, so equal content compares equal whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))
      : item,
  );
}
