import type { MediaReference, MessageId, MessageTarget } from '../channels/channel';
import type { Channel } from '../domain/user';

/** The person behind an event. */
export interface Sender {
  channel: Channel;
  /** Channel user id, for example the Telegram user id. */
  externalId: string;
  languageCode?: string;
  displayName?: string;
  /**
   * ISO 3166-1 alpha-2 country the channel can tell (WhatsApp, from the phone number), which sets a new
   * user's home currency.
   */
  country?: string;
}

/** Fields shared by every event. */
interface EventBase {
  /** Idempotency key of the delivery, for example `telegram:500000101`. */
  eventKey: string;
  sender: Sender;
  chatId: string;
}

/** A text message (or a media caption) that may describe a transaction. */
export interface TextEvent extends EventBase {
  type: 'text';
  messageId: MessageId;
  text: string;
  /** When the message was sent, or when the forwarded original was sent. */
  sentAt: Date;
  forwarded: boolean;
}

/** A slash command such as `/add 12 lunch`. */
export interface CommandEvent extends EventBase {
  type: 'command';
  messageId: MessageId;
  /** Lower-case command name without the slash or bot username. */
  command: string;
  args: string;
  sentAt: Date;
}

/** A message the user edited after sending. */
export interface EditedTextEvent extends EventBase {
  type: 'edited-text';
  messageId: MessageId;
  text: string;
  sentAt: Date;
}

/** A button press. */
export interface ActionEvent extends EventBase {
  type: 'action';
  actionId: string;
  data: string;
  /** The message that carries the button; an inline-mode message has only an inline id. */
  target: MessageTarget;
}

export type { MediaReference } from '../channels/channel';

/** A file the bot cannot read yet: voice, audio, video note, photo or document. */
export interface MediaEvent extends EventBase {
  type: 'media';
  messageId: MessageId;
  mediaKind: 'voice' | 'audio' | 'video-note' | 'photo' | 'document' | 'other';
  /** The file, when the message has one the channel can download. */
  media?: MediaReference;
  /** Caption sent with the file. */
  caption?: string;
  /**
   * Id shared by the messages of one album (Telegram's `media_group_id`). An album arrives as one message
   * per file, and only one of them carries the caption.
   */
  mediaGroupId?: string;
  /** When the message was sent. */
  sentAt: Date;
}

/**
 * The photos of an album stopped arriving and can be read together. The processor queues this event itself
 * when the first photo of an album arrives; see lib/processor/albums.
 */
export interface AlbumEvent extends EventBase {
  type: 'album';
  /** Id of the album's buffer, derived from the channel, chat and media group id. */
  albumId: string;
}

/** Delivery state of a message the bot sent, as the channel reports it. */
export interface DeliveryStatusEvent {
  type: 'delivery-status';
  eventKey: string;
  channel: Channel;
  /** Id of the bot's message. */
  messageId: string;
  /** Channel user id of the recipient, when the channel names it. */
  recipientId?: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at: Date;
  /** Channel error codes and titles of a failed delivery. */
  errors: { code: number; title: string }[];
}

/** The user blocked or unblocked the bot. */
export interface MembershipEvent extends EventBase {
  type: 'membership';
  blocked: boolean;
}

/** An update that needs no reply, with the reason for the log. */
export interface IgnoredEvent {
  type: 'ignored';
  eventKey: string;
  reason: string;
}

/** Channel-neutral input of the processor core. */
export type ChatEvent =
  | TextEvent
  | CommandEvent
  | EditedTextEvent
  | ActionEvent
  | MediaEvent
  | AlbumEvent
  | MembershipEvent
  | DeliveryStatusEvent
  | IgnoredEvent;
