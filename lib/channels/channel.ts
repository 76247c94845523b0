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

/** Where a channel can fetch a file the user sent: a Telegram file id or a WhatsApp media id. */
export interface MediaReference {
  id: string;
  /**
   * Id that stays the same for the same file across messages and bots (Telegram's `file_unique_id`), so a
   * file sent twice can be recognized. Absent where the channel has none.
   */
  uniqueId?: string;
  mimeType?: string;
  /** Size in bytes when the channel announces it (Telegram does; WhatsApp only on download). */
  sizeBytes?: number;
  fileName?: string;
}

/** A file downloaded from a channel. */
export interface DownloadedMedia {
  bytes: Uint8Array;
  /** The channel's mime type, or one inferred from the file name when the channel gives none. */
  mimeType: string;
}

/** Raised when a file the user sent is larger than the channel or the caller allows. */
export class MediaTooLargeError extends Error {
  override readonly name = 'MediaTooLargeError';

  constructor(
    /** The announced size, or the bytes read before the download stopped (the file is at least that large). */
    readonly sizeBytes: number,
    readonly limitBytes: number,
    options?: { cause: unknown },
  ) {
    super(
      `The file is ${sizeBytes} bytes or more, above the ${limitBytes}-byte limit; ask the user for a smaller file.`,
      options,
    );
  }
}

/**
 * Raised when a file the user sent can no longer be fetched (an unknown or expired file id, a deleted
 * media object): retrying cannot help, so the user is asked to send it again.
 */
export class MediaUnavailableError extends Error {
  override readonly name = 'MediaUnavailableError';

  constructor(mediaId: string, options?: { cause: unknown }) {
    super(
      `File ${mediaId} can no longer be downloaded from the channel; ask the user to send it again.`,
      options,
    );
  }
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
  /**
   * Downloads a file the user sent, right away, since channel links expire (WhatsApp's in minutes).
   * @throws MediaTooLargeError when the file is larger than `maxBytes` or than the channel lets bots read
   * @throws MediaUnavailableError when the file cannot be fetched any more
   */
  downloadMedia?(media: MediaReference, maxBytes: number): Promise<DownloadedMedia>;
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
