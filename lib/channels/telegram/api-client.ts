/** Typed Telegram Bot API client: method calls, message sending and editing, and file downloads. */
import type { File, Message, Update, UserFromGetMe } from '@grammyjs/types';
import type {
  CallOptions,
  EditMessageTextOptions,
  EditTarget,
  SendMessageOptions,
  TelegramApiClientOptions,
  TelegramLogger,
  TelegramMethod,
  TelegramParams,
  TelegramResult,
} from './api-types';
import {
  errorFromResponse,
  isApiSuccess,
  isExpiredQueryError,
  isNotModifiedError,
  isParseEntitiesError,
  MAX_DOWNLOAD_BYTES,
  networkErrorFrom,
  TelegramApiError,
  TelegramFileTooLargeError,
  TelegramRateLimitError,
} from './errors';
import { readJson, readLimited } from './response-body';
import { assertReplyMarkupData, MAX_MESSAGE_LENGTH, splitMessage } from './text';

export type * from './api-types';

const DEFAULT_BASE_URL = 'https://api.telegram.org';
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Typed Bot API client for one bot.
 *
 * It handles the failures that have a single correct response. It waits out a 429 that fits the
 * caller's budget and resends text once without formatting when Telegram cannot parse it. It splits
 * long texts, and it treats "message is not modified" and expired callback queries as success.
 * Every other failure throws a {@link TelegramApiError} subclass whose `retryable` flag guides the
 * caller's retry policy. The client never retries 5xx or network errors itself.
 */
export class TelegramApiClient {
  private readonly token: string;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly logger: TelegramLogger | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly requestTimeoutMs: number;

  constructor(options: TelegramApiClientOptions) {
    if (!/^\d+:[\w-]+$/.test(options.token)) {
      throw new TypeError(
        'Telegram bot token is invalid; expected the "<bot id>:<secret>" form from BotFather.',
      );
    }

    this.token = options.token;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.logger = options.logger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /**
   * Calls any Bot API method.
   * A 429 is retried once when its delay fits `options.budgetMs`. A text that Telegram cannot
   * parse is resent once without `parse_mode`, with its markup characters shown as they are.
   * @throws TelegramApiError subclasses, see errors.ts.
   */
  async call<M extends TelegramMethod>(
    method: M,
    params: TelegramParams<M>,
    options: CallOptions = {},
  ): Promise<TelegramResult<M>> {
    const deadline = this.now() + (options.budgetMs ?? 0);

    try {
      return await this.callWithinBudget(method, params, deadline, options.timeoutMs);
    } catch (error) {
      if (!isParseEntitiesError(error) || !hasParseMode(params)) {
        throw error;
      }

      this.logger?.warn('Telegram could not parse the formatting; resending once as plain text', {
        method,
        description: error.description,
      });
      const { parse_mode: _dropped, ...plain } = params;
      return this.callWithinBudget(method, plain as TelegramParams<M>, deadline, options.timeoutMs);
    }
  }

  /**
   * Sends `text`, split into several messages when it is longer than 4096 UTF-16 code units.
   * Returns the sent messages in order. If a later part fails, the thrown error lists the parts
   * already delivered in `deliveredMessages`.
   * @throws CallbackDataTooLongError before sending when a button's callback_data is over 64 bytes.
   */
  async sendMessage(
    chatId: number | string,
    text: string,
    options: SendMessageOptions = {},
  ): Promise<Message.TextMessage[]> {
    assertReplyMarkupData(options.replyMarkup);
    const parts = splitMessage(text, MAX_MESSAGE_LENGTH, options.parseMode);
    return this.sendParts(chatId, parts, options);
  }

  /**
   * Replaces a message's text. Content equal to the current one counts as success.
   * A text longer than 4096 code units edits the message with the first part and sends the rest
   * as new messages, with the keyboard on the last one.
   */
  async editMessageText(
    target: EditTarget,
    text: string,
    options: EditMessageTextOptions = {},
  ): Promise<void> {
    assertReplyMarkupData(options.replyMarkup);
    const [first = text, ...rest] = splitMessage(text, MAX_MESSAGE_LENGTH, options.parseMode);
    const targetParams =
      'inlineMessageId' in target
        ? { inline_message_id: target.inlineMessageId }
        : { chat_id: target.chatId, message_id: target.messageId };

    if ('inlineMessageId' in target && rest.length > 0) {
      // NOTE: inline messages have no chat to send the rest to, so the rest of the text is dropped.
      this.logger?.warn('Edit text of an inline message is too long; sending only its first part', {
        inlineMessageId: target.inlineMessageId,
        droppedLength: text.length - first.length,
      });
      rest.length = 0;
    }

    const deadline = this.now() + (options.budgetMs ?? 0);
    try {
      await this.call(
        'editMessageText',
        {
          ...targetParams,
          text: first,
          parse_mode: options.parseMode,
          reply_markup: rest.length === 0 ? options.replyMarkup : undefined,
        },
        { budgetMs: this.remaining(deadline) },
      );
    } catch (error) {
      if (!isNotModifiedError(error)) {
        throw error;
      }

      this.logger?.debug(
        'Telegram reports the message is not modified; treating the edit as done',
        targetParams,
      );
    }

    if (rest.length > 0 && 'chatId' in target) {
      await this.sendParts(target.chatId, rest, { ...options, budgetMs: this.remaining(deadline) });
    }
  }

  /** Calls answerCallbackQuery. An expired or unknown query id is logged and counts as success. */
  async answerCallbackQuery(
    callbackQueryId: string,
    options: { text?: string; showAlert?: boolean } = {},
  ): Promise<void> {
    try {
      await this.call('answerCallbackQuery', {
        callback_query_id: callbackQueryId,
        text: options.text,
        show_alert: options.showAlert,
      });
    } catch (error) {
      if (!isExpiredQueryError(error)) {
        throw error;
      }

      this.logger?.info('Callback query expired before it was answered; the user saw a loading indicator', {
        callbackQueryId,
        description: error.description,
      });
    }
  }

  /** Returns a file's metadata, including the `file_path` that downloadFile needs. */
  async getFile(fileId: string): Promise<File> {
    return this.call('getFile', { file_id: fileId });
  }

  /**
   * Downloads a file from `{baseUrl}/file/bot<token>/<filePath>`.
   * @throws TelegramFileTooLargeError when the file is over 20 MB, before or while reading it.
   */
  async downloadFile(filePath: string, options: { timeoutMs?: number } = {}): Promise<Buffer> {
    const encodedPath = filePath.split('/').map(encodeURIComponent).join('/');
    const timeoutMs = options.timeoutMs ?? this.requestTimeoutMs;
    const response = await this.send(
      'downloadFile',
      `file/bot${this.token}/${encodedPath}`,
      undefined,
      timeoutMs,
    );

    if (!response.ok) {
      const body = await readJson('downloadFile', response, timeoutMs, this.token);
      throw errorFromResponse('downloadFile', response.status, body, undefined);
    }

    const declaredLength = Number(response.headers.get('content-length') ?? '0');
    if (declaredLength > MAX_DOWNLOAD_BYTES) {
      await response.body?.cancel();
      throw new TelegramFileTooLargeError(filePath, declaredLength);
    }

    return readLimited('downloadFile', filePath, response, timeoutMs, this.token);
  }

  /** Long-polls for updates. The HTTP timeout grows by `params.timeout` seconds. */
  async getUpdates(params: TelegramParams<'getUpdates'> = {}): Promise<Update[]> {
    const timeoutMs = this.requestTimeoutMs + (params.timeout ?? 0) * 1000;
    return this.call('getUpdates', params, { timeoutMs });
  }

  /** Sets the webhook URL, secret token and allowed update types. */
  async setWebhook(params: TelegramParams<'setWebhook'>): Promise<true> {
    return this.call('setWebhook', params);
  }

  /** Removes the webhook so that getUpdates works again. */
  async deleteWebhook(params: TelegramParams<'deleteWebhook'> = {}): Promise<true> {
    return this.call('deleteWebhook', params);
  }

  /** Returns the bot's own user, which also checks the token. */
  async getMe(): Promise<UserFromGetMe> {
    return this.call('getMe', {});
  }

  private async sendParts(
    chatId: number | string,
    parts: string[],
    options: SendMessageOptions,
  ): Promise<Message.TextMessage[]> {
    const deadline = this.now() + (options.budgetMs ?? 0);
    const sent: Message.TextMessage[] = [];

    for (const [index, part] of parts.entries()) {
      const isFirst = index === 0;
      const isLast = index === parts.length - 1;
      const replyParameters =
        isFirst && options.replyToMessageId !== undefined
          ? { message_id: options.replyToMessageId, allow_sending_without_reply: true }
          : undefined;

      try {
        const message = await this.call(
          'sendMessage',
          {
            chat_id: chatId,
            text: part,
            parse_mode: options.parseMode,
            reply_markup: isLast ? options.replyMarkup : undefined,
            reply_parameters: replyParameters,
          },
          { budgetMs: this.remaining(deadline) },
        );
        sent.push(message);
      } catch (error) {
        if (error instanceof TelegramApiError) {
          error.deliveredMessages = sent;
        }

        throw error;
      }
    }

    return sent;
  }

  private async callWithinBudget<M extends TelegramMethod>(
    method: M,
    params: TelegramParams<M>,
    deadline: number,
    timeoutMs = this.requestTimeoutMs,
  ): Promise<TelegramResult<M>> {
    try {
      return await this.request(method, params, timeoutMs);
    } catch (error) {
      if (!(error instanceof TelegramRateLimitError) || error.retryAfterSeconds === undefined) {
        throw error;
      }

      const waitMs = error.retryAfterSeconds * 1000;
      const budgetMs = this.remaining(deadline);
      if (waitMs > budgetMs) {
        throw error;
      }

      this.logger?.info('Telegram rate limit hit; waiting before the single retry', {
        method,
        waitMs,
        budgetMs,
      });
      await this.sleep(waitMs);
      return this.request(method, params, timeoutMs);
    }
  }

  private async request<M extends TelegramMethod>(
    method: M,
    params: TelegramParams<M>,
    timeoutMs: number,
  ): Promise<TelegramResult<M>> {
    const response = await this.send(method, `bot${this.token}/${method}`, params, timeoutMs);
    const body = await readJson(method, response, timeoutMs, this.token);

    if (response.ok && isApiSuccess(body)) {
      return body.result as TelegramResult<M>;
    }

    throw errorFromResponse(method, response.status, body, chatIdOf(params));
  }

  private async send(method: string, path: string, params: unknown, timeoutMs: number): Promise<Response> {
    const init: RequestInit =
      params === undefined
        ? { method: 'GET', signal: AbortSignal.timeout(timeoutMs) }
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(params),
            signal: AbortSignal.timeout(timeoutMs),
          };

    try {
      return await this.fetch(`${this.baseUrl}/${path}`, init);
    } catch (error) {
      throw networkErrorFrom(method, error, timeoutMs, this.token);
    }
  }

  private remaining(deadline: number): number {
    return Math.max(0, deadline - this.now());
  }
}

function hasParseMode(params: unknown): params is { parse_mode?: string } {
  return (
    typeof params === 'object' && params !== null && (params as { parse_mode?: unknown }).parse_mode != null
  );
}

function chatIdOf(params: unknown): number | string | undefined {
  const chatId =
    typeof params === 'object' && params !== null ? (params as { chat_id?: unknown }).chat_id : undefined;
  return typeof chatId === 'number' || typeof chatId === 'string' ? chatId : undefined;
}
