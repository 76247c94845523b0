import type { InlineKeyboardMarkup, MessageEntity, Update } from '@grammyjs/types';

/** Failure to inject: an HTTP response, a request that never gets a response, or a reset connection. */
export type InjectedFailure = { status: number; body: object } | 'timeout' | 'reset';

/** Outcome of a request. `timeout` requests are recorded when they arrive. */
export type RecordedResponse = { status: number; body: unknown } | 'timeout' | 'reset';

/** One request to the fake. */
export interface RecordedCall {
  /** Bot API method with Telegram's spelling, or `file` for downloads. Unknown names are kept as sent. */
  method: string;
  /** Query, form and JSON parameters merged, as received (form values stay strings). */
  params: Record<string, unknown>;
  /** Arrival time in epoch milliseconds. */
  at: number;
  response: RecordedResponse;
}

/** A bot message as a Telegram client currently shows it. */
export interface FakeMessage {
  /** Chat of the message, or `undefined` for a message sent through inline mode. */
  chatId: number | undefined;
  messageId: number | undefined;
  inlineMessageId: string | undefined;
  /** Text after entity parsing, without markup. */
  text: string;
  entities: MessageEntity[];
  replyMarkup: InlineKeyboardMarkup | undefined;
  /** Unix time in seconds. */
  date: number;
  editDate: number | undefined;
}

/** Webhook settings as stored by setWebhook, including the secret that getWebhookInfo hides. */
export interface FakeWebhook {
  url: string;
  secretToken: string | undefined;
  allowedUpdates: string[] | undefined;
  maxConnections: number;
}

/** Settings of {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** TCP port on 127.0.0.1, default 0 (any free port). */
  port?: number;
  /** Bot token in the `<bot id>:<secret>` form, default a random one. */
  token?: string;
  /** Username that getMe reports, default `financy_local_bot`. */
  botUsername?: string;
}

/** A running fake Bot API server. */
export interface FakeTelegram {
  /** Base URL, for example `http://127.0.0.1:41234`, to pass as the client's baseUrl. */
  url: string;
  token: string;
  /** Every request since start or the last reset, in the order the fake responded to them. */
  calls: RecordedCall[];
  /** Bot messages as currently shown, after edits and deletes, in sending order. */
  messages(chatId?: number): FakeMessage[];
  /** Calls `listener` for every recorded call, for example to print replies in a terminal chat. */
  on(event: 'call', listener: (call: RecordedCall) => void): void;
  off(event: 'call', listener: (call: RecordedCall) => void): void;
  /**
   * Queues an update for getUpdates. A missing `update_id` is assigned. User messages become
   * known to the chat, and callback queries can be answered for 15 s from now.
   */
  pushUpdate(update: Update | Omit<Update, 'update_id'>): Update;
  /**
   * Records the chats, user messages and callback queries of an update delivered by webhook, as Telegram
   * would have them, without queueing the update for getUpdates.
   */
  observeUpdate(update: Update): void;
  /**
   * Returns the message id that the chat's next message gets. Telegram numbers the user's and the bot's
   * messages of a private chat in one sequence, so a client that sends as the user takes its ids here.
   */
  nextMessageId(chatId: number): number;
  /** Registers a callback query id so that answerCallbackQuery accepts it, as if tapped at `receivedAt`. */
  registerCallbackQuery(id: string, options?: { receivedAt?: number }): void;
  /** Registers a message sent through inline mode so that editMessageText can target it. */
  addInlineMessage(options: { inlineMessageId?: string; text: string }): string;
  /** Stores a file for getFile and the file download endpoint. */
  addFile(options: { fileId?: string; bytes: Buffer; fileName?: string }): {
    file_id: string;
    file_unique_id: string;
    file_size: number;
    file_path: string;
  };
  /** Returns `response` to the next `times` (default 1) requests for `method` instead of handling them. */
  failNext(method: string, response: InjectedFailure, times?: number): void;
  /** Makes sends to the chat fail with 403 "Forbidden: bot was blocked by the user". */
  blockChat(chatId: number): void;
  /** Returns the stored webhook, or `undefined` when none is set. */
  webhook(): FakeWebhook | undefined;
  /** Forgets calls, messages, updates, files, webhook, blocks and injected failures. Keeps URL and token. */
  reset(): void;
  /** Closes the server and every open connection, including hanging requests. */
  stop(): Promise<void>;
}
