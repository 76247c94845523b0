import type { WhatsAppTemplates } from '../../config/whatsapp';
import { escapeHtml } from '../../messages/html';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { StoreError } from '../../store/errors';
import type { ChatChannel, MediaReference, MessageTarget, OutgoingMessage, SentMessage } from '../channel';
import { MediaTooLargeError, MediaUnavailableError, RecipientBlockedError } from '../channel';
import { WhatsAppActionIdError, WhatsAppInlineMessageError } from './channel-errors';
import { parseWhatsAppActionId, parseWhatsAppChatId } from './chat-id';
import type { GraphApiClient } from './graph-client';
import { GraphApiError, type GraphErrorKind, WhatsAppMediaTooLargeError } from './graph-errors';
import type { GraphLogger, GraphMediaFile, GraphOutgoingMessage } from './graph-types';
import { renderOutgoingMessage, textMessages } from './interactive';
import type { WhatsAppStateStore } from './state-store';
import { templateReply } from './template';

/** Breaker key of the messages endpoint: sends and read receipts. */
const DEPENDENCY = 'whatsapp';

/**
 * Breaker key of media downloads, apart from messages: a failing media host must not stop replies. Its
 * store failure mode follows `whatsapp` by prefix.
 */
const MEDIA_DEPENDENCY = 'whatsapp:media';

const NO_LOGGER: GraphLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Options of {@link WhatsAppChannel}. */
export interface WhatsAppChannelOptions {
  client: GraphApiClient;
  resilience: ResilientCaller;
  /** Time in ms that calls may still wait (rate limits, Retry-After) in the current invocation. */
  budgetMs: () => number;
  state: WhatsAppStateStore;
  /** Approved template for replies outside the 24-hour customer-service window. */
  templates: WhatsAppTemplates;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Receives ids, codes and sizes, never message text or the access token. */
  logger?: GraphLogger;
}

/** Reason a reply went out as a template. */
type TemplateReason = 'window-state' | 'window-closed-error';

/** A chat parsed from its `<phone_number_id>:<wa_id>` id. */
interface WhatsAppChat {
  chatId: string;
  phoneNumberId: string;
  waId: string;
}

/**
 * {@link ChatChannel} on the WhatsApp Cloud API. Replies go out free-form (text, reply buttons or lists,
 * see {@link renderOutgoingMessage}) while the user's 24-hour customer-service window is open, and as the
 * configured template with the reply's plain text otherwise. The window comes from the state table, and a
 * 131047 error from Meta also switches to the template.
 *
 * Every call goes through the resilience layer under the `whatsapp` breaker with the `whatsapp:messages`
 * buckets of the business number. Sends are not idempotent: after a timeout or a 5xx the message may have
 * been delivered, so only a rate limit or a refused connection is retried. WhatsApp messages cannot be
 * edited, so {@link edit} sends the new content as a new message.
 */
export class WhatsAppChannel implements ChatChannel {
  readonly #client: GraphApiClient;
  readonly #resilience: ResilientCaller;
  readonly #budgetMs: () => number;
  readonly #state: WhatsAppStateStore;
  readonly #templates: WhatsAppTemplates;
  readonly #now: () => number;
  readonly #logger: GraphLogger;

  constructor(options: WhatsAppChannelOptions) {
    this.#client = options.client;
    this.#resilience = options.resilience;
    this.#budgetMs = options.budgetMs;
    this.#state = options.state;
    this.#templates = options.templates;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? NO_LOGGER;
  }

  /**
   * Sends `message`, split into several WhatsApp messages when it does not fit one. Returns the id of the
   * last message sent, which carries the buttons when there are any.
   * @throws RecipientBlockedError when WhatsApp cannot deliver to the user (131026 and related codes).
   */
  async send(chatId: string, message: OutgoingMessage): Promise<SentMessage> {
    const chat = parseChat(chatId);

    return this.#deliver(chat, message.text, renderOutgoingMessage(chat.waId, message));
  }

  /** Sends `message` anew, since WhatsApp messages cannot be edited. */
  async edit(target: MessageTarget, message: OutgoingMessage): Promise<void> {
    if ('inlineMessageId' in target) {
      throw new WhatsAppInlineMessageError(target.inlineMessageId);
    }

    await this.send(target.chatId, message);
  }

  /**
   * Marks the user's button reply read, which is all WhatsApp offers to confirm a press. A failure is
   * logged and ignored. A `notice`, which Telegram shows as a toast, goes out as a text message quoting the
   * reply, to the user the action id names.
   */
  async acknowledge(actionId: string, notice?: string): Promise<void> {
    const action = parseWhatsAppActionId(actionId);
    if (action === undefined) {
      throw new WhatsAppActionIdError(actionId);
    }

    try {
      await this.#resilience.call(
        {
          dependency: DEPENDENCY,
          operation: 'markRead',
          rateLimits: rateLimitsFor('whatsapp:messages', action.phoneNumberId),
          idempotent: true,
          budgetMs: this.#budgetMs(),
        },
        () => this.#client.markRead(action.phoneNumberId, action.messageId),
      );
    } catch (error) {
      this.#logger.warn('Could not mark a WhatsApp button reply read; continuing without it', {
        phoneNumberId: action.phoneNumberId,
        messageId: action.messageId,
        error: errorMessage(error),
      });
    }

    if (notice === undefined || notice.trim() === '') {
      return;
    }
    const chat = parseChat(action.chatId);
    const parts = textMessages(chat.waId, notice).map((part) => ({
      ...part,
      context: { message_id: action.messageId },
    }));
    await this.#deliver(chat, escapeHtml(notice), parts);
  }

  /** Records that the user wrote at `at`, which opens the customer-service window for 24 hours. */
  async userActive(chatId: string, at: Date): Promise<void> {
    const chat = parseChat(chatId);

    await this.#state.recordInbound(chat.phoneNumberId, chat.waId, at);
  }

  /**
   * Downloads a file the user sent, through the resilience layer under the `whatsapp:media` breaker.
   * @throws MediaTooLargeError when the file is larger than `maxBytes`.
   * @throws MediaUnavailableError when the media id expired or is unknown.
   */
  async downloadMedia(reference: MediaReference, maxBytes: number): Promise<GraphMediaFile> {
    try {
      return await this.#resilience.call(
        {
          dependency: MEDIA_DEPENDENCY,
          operation: 'fetchMedia',
          idempotent: true,
          budgetMs: this.#budgetMs(),
        },
        () => this.#client.fetchMedia(reference.id, maxBytes),
      );
    } catch (error) {
      if (error instanceof WhatsAppMediaTooLargeError) {
        throw new MediaTooLargeError(error.sizeBytes, error.limitBytes, { cause: error });
      }
      if (isGraphError(error, 'media') || isGraphError(error, 'invalid-request')) {
        // An expired or unknown media id: Meta keeps media for a limited time only.
        throw new MediaUnavailableError(reference.id, { cause: error });
      }
      throw error;
    }
  }

  /**
   * Sends `parts` in order while the window is open, or the reply `html` as a template when the window
   * state or a 131047 error from Meta shows it closed. Returns the id of the last message sent.
   */
  async #deliver(chat: WhatsAppChat, html: string, parts: GraphOutgoingMessage[]): Promise<SentMessage> {
    if (!(await this.#windowOpen(chat))) {
      return this.#sendTemplate(chat, html, 'window-state');
    }

    let messageId: string | undefined;
    try {
      for (const part of parts) {
        messageId = await this.#sendOne(chat, part);
      }
    } catch (error) {
      if (isGraphError(error, 'window-closed')) {
        return this.#sendTemplate(chat, html, 'window-closed-error');
      }
      throw translate(error, chat.chatId);
    }

    return { messageId: messageId! };
  }

  async #sendTemplate(chat: WhatsAppChat, html: string, reason: TemplateReason): Promise<SentMessage> {
    let messageId: string;
    try {
      messageId = await this.#sendOne(chat, templateReply(chat.waId, html, this.#templates));
    } catch (error) {
      throw translate(error, chat.chatId);
    }

    // Ids only: the wa_id is the user's phone number.
    this.#logger.info('Sent a WhatsApp reply as a template, because the 24-hour window is closed', {
      phoneNumberId: chat.phoneNumberId,
      messageId,
      template: this.#templates.reply,
      reason,
    });
    return { messageId };
  }

  /** Sends one Graph message and records it as accepted. */
  async #sendOne(chat: WhatsAppChat, message: GraphOutgoingMessage): Promise<string> {
    const { messageId } = await this.#resilience.call(
      {
        dependency: DEPENDENCY,
        operation: 'sendMessage',
        rateLimits: rateLimitsFor('whatsapp:messages', chat.phoneNumberId),
        // Retried only after errors that prove Meta did not take the message: a rate limit or a refused
        // connection. A timeout or a 5xx may have delivered it.
        idempotent: false,
        budgetMs: this.#budgetMs(),
      },
      () => this.#client.sendMessage(chat.phoneNumberId, message),
    );

    try {
      await this.#state.recordSent(messageId, {
        phoneNumberId: chat.phoneNumberId,
        waId: chat.waId,
        sentAt: new Date(this.#now()),
      });
    } catch (error) {
      // The message is out, so failing now would make the processor send it again. Its statuses then
      // return `unknown` and are only logged.
      this.#logger.warn('Could not record a sent WhatsApp message; its delivery state is not tracked', {
        phoneNumberId: chat.phoneNumberId,
        messageId,
        error: errorMessage(error),
      });
    }

    return messageId;
  }

  /**
   * Checks the window in the state table. When the table cannot be read, the message goes out free-form,
   * and a 131047 error from Meta switches to the template if the window was closed.
   */
  async #windowOpen(chat: WhatsAppChat): Promise<boolean> {
    try {
      const openUntil = await this.#state.windowOpenUntil(chat.phoneNumberId, chat.waId);
      return openUntil !== undefined && openUntil.getTime() > this.#now();
    } catch (error) {
      if (!(error instanceof StoreError)) {
        throw error;
      }
      this.#logger.warn('Could not read the WhatsApp window state; sending free-form', {
        phoneNumberId: chat.phoneNumberId,
        error: error.message,
      });
      return true;
    }
  }
}

function parseChat(chatId: string): WhatsAppChat {
  return { chatId, ...parseWhatsAppChatId(chatId) };
}

function isGraphError(error: unknown, kind: GraphErrorKind): error is GraphApiError {
  return error instanceof GraphApiError && error.kind === kind;
}

/** Turns "the user cannot receive messages" into the core's {@link RecipientBlockedError}. */
function translate(error: unknown, chatId: string): unknown {
  return isGraphError(error, 'undeliverable') ? new RecipientBlockedError(chatId, { cause: error }) : error;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
