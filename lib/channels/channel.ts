/**
 * Interface between the processor core and a chat channel. The core builds channel-neutral messages and
 * never handles Bot API or Graph API types.
 */

/**
 * Id of a message in its chat: an integer on Telegram, a `wamid.…` string on WhatsApp. The core stores and
 * passes it on without reading it.
 */
export type MessageId = number | string;

/** A button that sends `action` back to the bot when pressed. */
export interface ActionButton {
  label: string;
  /** Opaque action string, at most 64 bytes (Telegram's `callback_data` limit). */
  action: string;
}

/** A message to show to the user. `text` is HTML with every dynamic fragment escaped. */
export interface OutgoingMessage {
  text: string;
  /** Rows of buttons under the message. An empty array removes the buttons on edit. */
  buttons?: ActionButton[][];
}

/** A message the bot sent earlier, addressed for editing. */
export type MessageTarget = { chatId: string; messageId: MessageId } | { inlineMessageId: string };

/** Outcome of sending a message. */
export interface SentMessage {
  /** Id of the message that carries the buttons, so a later press can edit it in place. */
  messageId: MessageId;
}

/** Sending side of a chat channel. */
export interface ChatChannel {
  send(chatId: string, message: OutgoingMessage): Promise<SentMessage>;
  edit(target: MessageTarget, message: OutgoingMessage): Promise<void>;
  /** Confirms a button press to the client, with an optional short notice. */
  acknowledge(actionId: string, notice?: string): Promise<void>;
  /**
   * Records that the user wrote to the bot at `at`, before any reply to that message. A channel that limits
   * when free-form replies may be sent (WhatsApp's 24-hour customer-service window) uses it to choose
   * between a free-form and a template message.
   */
  userActive?(chatId: string, at: Date): Promise<void>;
}

/** Raised by a channel when the user blocked the bot; the user is marked inactive and nothing is retried. */
export class RecipientBlockedError extends Error {
  override readonly name = 'RecipientBlockedError';

  constructor(
    readonly chatId: string,
    options?: { cause: unknown },
  ) {
    super(
      `Chat ${chatId} blocked the bot; the user is marked inactive and the message is not resent.`,
      options,
    );
  }
}
