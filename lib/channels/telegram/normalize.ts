import type { CallbackQuery, Message, User as TelegramUser, Update } from '@grammyjs/types';
import { parseCommand } from '../../inbound/command';
import type { ChatEvent, Sender } from '../../processor/chat-event';
import type { MediaReference } from '../channel';
import { MAX_DOWNLOAD_BYTES } from './errors';

/**
 * Telegram's service accounts: 777000 posts channel messages forwarded into linked groups,
 * 1087968824 (GroupAnonymousBot) speaks for anonymous group admins and 136817688 (Channel_Bot) for
 * users writing as a channel. Spending is never booked to them.
 */
const SERVICE_USER_IDS = new Set([777000, 1087968824, 136817688]);

function sender(user: TelegramUser): Sender {
  return {
    channel: 'telegram',
    externalId: String(user.id),
    languageCode: user.language_code,
    displayName: user.first_name,
  };
}

function sentAt(message: Message): Date {
  // A forwarded bank alert happened when the original was sent, not when it was forwarded.
  const origin = (message as Message & { forward_origin?: { date?: unknown } }).forward_origin;
  const seconds = typeof origin?.date === 'number' ? origin.date : message.date;

  return new Date(seconds * 1_000);
}

function mediaKind(
  message: Message,
): 'voice' | 'audio' | 'video-note' | 'photo' | 'document' | 'other' | undefined {
  if (message.voice !== undefined) return 'voice';
  if (message.audio !== undefined) return 'audio';
  if (message.video_note !== undefined) return 'video-note';
  if (message.photo !== undefined) return 'photo';
  if (message.document !== undefined) return 'document';
  if (message.video !== undefined || message.sticker !== undefined || message.animation !== undefined)
    return 'other';
  if (message.location !== undefined || message.contact !== undefined || message.poll !== undefined)
    return 'other';

  return undefined;
}

/**
 * The file of a media message. For a photo that is the largest size (by width × height) that the Bot API
 * lets bots download, because the first sizes are thumbnails (shared/cases TG-03).
 */
function mediaReference(message: Message): MediaReference | undefined {
  if (message.photo !== undefined) {
    // Read defensively: the webhook checks the update's shape, not every photo size in it.
    const sizes = Array.isArray(message.photo) ? message.photo : [];
    const largest = sizes
      .filter(
        (size) =>
          typeof size?.file_id === 'string' &&
          Number.isFinite(size.width * size.height) &&
          (typeof size.file_size !== 'number' || size.file_size <= MAX_DOWNLOAD_BYTES),
      )
      .reduce<(typeof message.photo)[number] | undefined>(
        (best, size) =>
          best === undefined || size.width * size.height > best.width * best.height ? size : best,
        undefined,
      );
    return largest === undefined
      ? undefined
      : {
          id: largest.file_id,
          ...(typeof largest.file_unique_id === 'string' ? { uniqueId: largest.file_unique_id } : {}),
          mimeType: 'image/jpeg',
          sizeBytes: typeof largest.file_size === 'number' ? largest.file_size : undefined,
        };
  }
  const file = message.voice ?? message.audio ?? message.video_note ?? message.document;
  if (typeof file?.file_id !== 'string') {
    return undefined;
  }
  const named = file as { mime_type?: string; file_name?: string };

  return {
    id: file.file_id,
    ...(typeof file.file_unique_id === 'string' ? { uniqueId: file.file_unique_id } : {}),
    mimeType:
      typeof named.mime_type === 'string'
        ? named.mime_type
        : message.voice !== undefined
          ? 'audio/ogg'
          : undefined,
    sizeBytes: typeof file.file_size === 'number' ? file.file_size : undefined,
    fileName: typeof named.file_name === 'string' ? named.file_name : undefined,
  };
}

function fromMessage(eventKey: string, message: Message, edited: boolean): ChatEvent {
  const from = message.from;
  if (
    from === undefined ||
    message.sender_chat !== undefined ||
    SERVICE_USER_IDS.has(from.id) ||
    from.is_bot
  ) {
    return { type: 'ignored', eventKey, reason: 'no person behind the message' };
  }

  const base = {
    eventKey,
    sender: sender(from),
    chatId: String(message.chat.id),
    messageId: message.message_id,
  };
  const text = message.text ?? message.caption;
  const kind = mediaKind(message);
  if (edited) {
    return text === undefined || kind !== undefined
      ? { type: 'ignored', eventKey, reason: 'edited message without text' }
      : { ...base, type: 'edited-text', text, sentAt: sentAt(message) };
  }
  if (kind !== undefined) {
    const media = mediaReference(message);
    return {
      ...base,
      type: 'media',
      mediaKind: kind,
      sentAt: sentAt(message),
      ...(media === undefined ? {} : { media }),
      ...(message.caption === undefined ? {} : { caption: message.caption }),
      ...(typeof message.media_group_id === 'string' ? { mediaGroupId: message.media_group_id } : {}),
    };
  }
  if (text === undefined) {
    return { type: 'ignored', eventKey, reason: 'service message' };
  }

  const command = message.text === undefined ? undefined : parseCommand(message.text);
  if (command !== undefined) {
    return { ...base, type: 'command', ...command, sentAt: sentAt(message) };
  }

  const forwarded = (message as Message & { forward_origin?: unknown }).forward_origin !== undefined;

  return { ...base, type: 'text', text, sentAt: sentAt(message), forwarded };
}

function fromCallbackQuery(eventKey: string, query: CallbackQuery): ChatEvent {
  const base = { eventKey, sender: sender(query.from), actionId: query.id, data: query.data ?? '' };
  if (query.message !== undefined) {
    const chatId = String(query.message.chat.id);
    return { ...base, type: 'action', chatId, target: { chatId, messageId: query.message.message_id } };
  }
  if (query.inline_message_id !== undefined) {
    return {
      ...base,
      type: 'action',
      chatId: String(query.from.id),
      target: { inlineMessageId: query.inline_message_id },
    };
  }

  return { type: 'ignored', eventKey, reason: 'callback query without message or inline_message_id' };
}

/**
 * Turns a Telegram update into a channel-neutral {@link ChatEvent}. Never assumes a field that the Bot API
 * marks optional: an edit, a channel post or a member update has no `message`, and a channel post has no `from`.
 */
export function normalizeTelegramUpdate(update: Update): ChatEvent {
  const eventKey = `telegram:${update.update_id}`;
  if (update.message !== undefined) {
    return fromMessage(eventKey, update.message, false);
  }
  if (update.edited_message !== undefined) {
    return fromMessage(eventKey, update.edited_message, true);
  }
  if (update.callback_query !== undefined) {
    return fromCallbackQuery(eventKey, update.callback_query);
  }
  if (update.my_chat_member !== undefined) {
    const member = update.my_chat_member;
    if (member.chat.type !== 'private') {
      return { type: 'ignored', eventKey, reason: `bot membership changed in a ${member.chat.type} chat` };
    }
    const status = member.new_chat_member.status;

    return {
      type: 'membership',
      eventKey,
      sender: sender(member.from),
      chatId: String(member.chat.id),
      blocked: status === 'kicked' || status === 'left',
    };
  }

  return { type: 'ignored', eventKey, reason: 'update type not handled' };
}
