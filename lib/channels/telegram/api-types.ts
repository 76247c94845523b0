import type {
  ApiMethods,
  ForceReply,
  InlineKeyboardMarkup,
  Opts,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from '@grammyjs/types';
import type { ParseMode } from './text';

/** Types of the Bot API client's methods and options. */

/** Name of a Bot API method, for example `sendMessage`. */
export type TelegramMethod = keyof ApiMethods<unknown>;

/** Parameters of a Bot API method (`{}` for methods without parameters). */
export type TelegramParams<M extends TelegramMethod> = Opts<unknown>[M];

/** Result of a Bot API method. */
export type TelegramResult<M extends TelegramMethod> = ReturnType<ApiMethods<unknown>[M]>;

/** Logger shape that Powertools Logger satisfies. */
export interface TelegramLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Settings of a {@link TelegramApiClient}. */
export interface TelegramApiClientOptions {
  /** Bot token. It appears only in request URLs, never in errors or log lines. */
  token: string;
  /** Bot API server, default `https://api.telegram.org`. Tests and local runs pass the fake server's URL. */
  baseUrl?: string;
  fetch?: typeof fetch;
  logger?: TelegramLogger;
  /** Waits before a rate-limited retry. Tests inject it to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in epoch milliseconds that measures how much of a call's budget is spent, default `Date.now`. */
  now?: () => number;
  /** Maximum time in ms for one HTTP request, default 10 000. getUpdates adds its long-poll timeout. */
  requestTimeoutMs?: number;
}

/** Per-call settings. */
export interface CallOptions {
  /**
   * Time in ms that the caller can still wait, default 0. A 429 whose `retry_after` fits the
   * remaining budget is waited out and retried once, and any other 429 throws TelegramRateLimitError.
   */
  budgetMs?: number;
  /** Overrides the client's request timeout in ms. */
  timeoutMs?: number;
}

/** Reply markup that sendMessage accepts. */
export type SendReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** Options of {@link TelegramApiClient.sendMessage}. */
export interface SendMessageOptions {
  /** Keyboard for the message. A split message carries it on its last part. */
  replyMarkup?: SendReplyMarkup;
  parseMode?: ParseMode;
  /** Message that the first part replies to. The send still succeeds if that message was deleted. */
  replyToMessageId?: number;
  budgetMs?: number;
}

/** Options of {@link TelegramApiClient.editMessageText}. */
export interface EditMessageTextOptions {
  replyMarkup?: InlineKeyboardMarkup;
  parseMode?: ParseMode;
  budgetMs?: number;
}

/** Message to edit: a chat message, or a message sent through inline mode. */
export type EditTarget = { chatId: number | string; messageId: number } | { inlineMessageId: string };
