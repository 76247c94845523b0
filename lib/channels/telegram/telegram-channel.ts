import type { InlineKeyboardMarkup } from '@grammyjs/types';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import type {
  ActionButton,
  ChatChannel,
  DownloadedMedia,
  MediaReference,
  MessageTarget,
  OutgoingMessage,
  SentMessage,
} from '../channel';
import { MediaTooLargeError, MediaUnavailableError, RecipientBlockedError } from '../channel';
import type { TelegramApiClient } from './api-client';
import {
  MAX_DOWNLOAD_BYTES,
  TelegramBlockedError,
  TelegramFileTooLargeError,
  TelegramRequestError,
} from './errors';

/** Mime types of the file extensions Telegram gives photos, voice notes and common documents. */
const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
};

/** The mime type of a Telegram file path by its extension, or `application/octet-stream`. */
function mimeTypeOf(filePath: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(filePath)?.[1]?.toLowerCase() ?? '';

  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/** Breaker key of the Bot API: one dependency, since every method shares Telegram's servers. */
const DEPENDENCY = 'telegram';

/** Returns true when an edit failed because the message is gone or can no longer be edited. */
function isUneditable(error: unknown): boolean {
  return (
    error instanceof TelegramRequestError &&
    /message to edit not found|message can't be edited|MESSAGE_ID_INVALID/i.test(error.description)
  );
}

function keyboard(buttons: ActionButton[][] | undefined): InlineKeyboardMarkup | undefined {
  if (buttons === undefined) {
    return undefined;
  }

  return {
    inline_keyboard: buttons.map((row) =>
      row.map((button) => ({ text: button.label, callback_data: button.action })),
    ),
  };
}

/**
 * Rate limits of a message to a chat: the bot-wide limit, then the per-chat limit (private chats have
 * positive ids, groups negative ones).
 */
function messageRateLimits(chatId: string) {
  const perChat = chatId.startsWith('-')
    ? rateLimitsFor('telegram:group', chatId)
    : rateLimitsFor('telegram:chat', chatId);

  return [...rateLimitsFor('telegram:bot'), ...perChat];
}

/**
 * {@link ChatChannel} on the Telegram Bot API, sending HTML messages. Every call goes through the
 * resilience layer: the circuit breaker, the bot and chat token buckets, and retries with backoff that
 * honour `retry_after`. Each attempt is traced as `telegram.<method>` without the request URL, which
 * contains the bot token. A wait that does not fit `budgetMs()`, the time left in the invocation, throws an
 * error that carries the delay, so the processor gives the record back to the queue for that long.
 */
export class TelegramChannel implements ChatChannel {
  constructor(
    private readonly client: TelegramApiClient,
    private readonly resilience: ResilientCaller,
    private readonly budgetMs: () => number = () => 0,
  ) {}

  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    try {
      // A send is not idempotent: after a timeout or 5xx it may have been delivered, so the layer
      // retries it only after errors that prove it was not (429, refused connection).
      const parts = await this.resilience.call(
        {
          dependency: DEPENDENCY,
          operation: 'sendMessage',
          rateLimits: messageRateLimits(chatId),
          idempotent: false,
          budgetMs: this.budgetMs(),
        },
        () =>
          this.client.sendMessage(chatId, message.text, {
            parseMode: 'HTML',
            replyMarkup: keyboard(message.buttons),
          }),
      );

      return { messageId: parts[parts.length - 1]!.message_id };
    } catch (error) {
      throw this.#translate(error, chatId);
    }
  }

  async edit(target: MessageTarget, message: OutgoingMessage): Promise<void> {
    const editTarget =
      'inlineMessageId' in target
        ? { inlineMessageId: target.inlineMessageId }
        : { chatId: target.chatId, messageId: Number(target.messageId) };
    const rateLimits = 'chatId' in target ? messageRateLimits(target.chatId) : rateLimitsFor('telegram:bot');
    try {
      // Editing to the same content twice is harmless, so edits retry like idempotent calls.
      await this.resilience.call(
        {
          dependency: DEPENDENCY,
          operation: 'editMessageText',
          rateLimits,
          idempotent: true,
          budgetMs: this.budgetMs(),
        },
        () =>
          this.client.editMessageText(editTarget, message.text, {
            parseMode: 'HTML',
            replyMarkup: keyboard(message.buttons) ?? { inline_keyboard: [] },
          }),
      );
    } catch (error) {
      if ('chatId' in target && isUneditable(error)) {
        // The user deleted the message, or it is too old to edit: show the result as a new message.
        await this.send(target.chatId, message);
        return;
      }
      throw this.#translate(error, 'chatId' in target ? target.chatId : 'inline');
    }
  }

  async acknowledge(actionId: string, notice?: string): Promise<void> {
    await this.resilience.call(
      {
        dependency: DEPENDENCY,
        operation: 'answerCallbackQuery',
        rateLimits: rateLimitsFor('telegram:bot'),
        idempotent: true,
        budgetMs: this.budgetMs(),
      },
      () => this.client.answerCallbackQuery(actionId, notice === undefined ? {} : { text: notice }),
    );
  }

  /**
   * Downloads a file with getFile and the file URL, both through the resilience layer. The Bot API serves
   * files up to 20 MB, so the limit is the smaller of that and `maxBytes`, checked on the announced size
   * before any request and again on the bytes read.
   */
  async downloadMedia(media: MediaReference, maxBytes: number): Promise<DownloadedMedia> {
    const limit = Math.min(maxBytes, MAX_DOWNLOAD_BYTES);
    if (media.sizeBytes !== undefined && media.sizeBytes > limit) {
      throw new MediaTooLargeError(media.sizeBytes, limit);
    }

    const call = <T>(operation: string, run: () => Promise<T>) =>
      this.resilience.call(
        {
          dependency: DEPENDENCY,
          operation,
          rateLimits: rateLimitsFor('telegram:bot'),
          idempotent: true,
          budgetMs: this.budgetMs(),
        },
        run,
      );
    try {
      const file = await call('getFile', () => this.client.getFile(media.id));
      if (file.file_size !== undefined && file.file_size > limit) {
        throw new MediaTooLargeError(file.file_size, limit);
      }
      if (file.file_path === undefined) {
        throw new TelegramRequestError('getFile', 400, `file ${media.id} has no file_path to download`);
      }
      const bytes = await call('downloadFile', () => this.client.downloadFile(file.file_path!));
      if (bytes.byteLength > limit) {
        throw new MediaTooLargeError(bytes.byteLength, limit);
      }

      return { bytes: new Uint8Array(bytes), mimeType: media.mimeType ?? mimeTypeOf(file.file_path) };
    } catch (error) {
      if (error instanceof TelegramFileTooLargeError) {
        throw new MediaTooLargeError(error.sizeBytes, limit, { cause: error });
      }
      if (error instanceof TelegramRequestError) {
        // A 4xx from getFile or the download: the file id is unknown or no longer served.
        throw new MediaUnavailableError(media.id, { cause: error });
      }
      throw error;
    }
  }

  #translate(error: unknown, chatId: string): unknown {
    return error instanceof TelegramBlockedError
      ? new RecipientBlockedError(chatId, { cause: error })
      : error;
  }
}
