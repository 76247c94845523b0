/**
 * Shapes of the WhatsApp Cloud API webhook payload, as Meta documents them for the `messages` field.
 * Every field that Meta omits in some deliveries is optional here: `contacts[].profile` and
 * `contacts[].user_id` (shared/cases WA-03), `reaction.emoji` on a removed reaction (WA-06), `errors` on
 * `unsupported` and `unknown` messages (WA-05). Readers check a field before using it.
 */

/** The body of a webhook POST. */
export interface WhatsAppWebhookPayload {
  object: 'whatsapp_business_account' | string;
  entry: WhatsAppEntry[];
}

/** One WhatsApp Business Account's changes. */
export interface WhatsAppEntry {
  /** WhatsApp Business Account id. */
  id: string;
  changes: WhatsAppChange[];
}

/** One change; only `field: 'messages'` carries messages and statuses. */
export interface WhatsAppChange {
  field: string;
  value: WhatsAppChangeValue;
}

/** The business phone number that received the messages or sent the messages whose statuses these are. */
export interface WhatsAppMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

/** Value of a `messages` change. */
export interface WhatsAppChangeValue {
  messaging_product: 'whatsapp';
  metadata: WhatsAppMetadata;
  contacts?: WhatsAppContact[];
  messages?: WhatsAppMessage[];
  statuses?: WhatsAppStatus[];
  errors?: WhatsAppError[];
}

/** A person behind a message or status. */
export interface WhatsAppContact {
  wa_id: string;
  /** Business-scoped user id; absent in many deliveries. */
  user_id?: string;
  profile?: { name?: string };
}

/** An error object as the Graph API puts it in webhooks and responses. */
export interface WhatsAppError {
  code: number;
  title?: string;
  message?: string;
  details?: string;
  error_data?: { details?: string };
}

/** A media object of an image, audio, voice, video, document or sticker message. */
export interface WhatsAppMedia {
  id: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
  /** `true` on voice notes recorded in WhatsApp (type `audio`). */
  voice?: boolean;
}

/** Interactive reply: the id is the one the bot gave the button or list row. */
export interface WhatsAppInteractive {
  type: 'button_reply' | 'list_reply' | string;
  button_reply?: { id: string; title?: string };
  list_reply?: { id: string; title?: string; description?: string };
}

/** An incoming message. `type` decides which of the optional objects is present. */
export interface WhatsAppMessage {
  from: string;
  /** The message id (`wamid.…`), also the FIFO deduplication id and the idempotency key. */
  id: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  type:
    | 'text'
    | 'image'
    | 'audio'
    | 'voice'
    | 'video'
    | 'document'
    | 'sticker'
    | 'location'
    | 'contacts'
    | 'interactive'
    | 'button'
    | 'reaction'
    | 'order'
    | 'system'
    | 'unsupported'
    | 'unknown'
    | string;
  /** Set on replies: the message the user answered, for example the one with the buttons. */
  context?: { from?: string; id?: string; forwarded?: boolean; frequently_forwarded?: boolean };
  text?: { body: string };
  image?: WhatsAppMedia;
  audio?: WhatsAppMedia;
  voice?: WhatsAppMedia;
  video?: WhatsAppMedia;
  document?: WhatsAppMedia;
  sticker?: WhatsAppMedia;
  interactive?: WhatsAppInteractive;
  /** Quick-reply button of a template message. */
  button?: { payload?: string; text?: string };
  reaction?: { message_id: string; emoji?: string };
  system?: { body?: string; type?: string; wa_id?: string };
  errors?: WhatsAppError[];
}

/** Delivery state of a message the business sent. */
export type WhatsAppDeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A status update of an outbound message. */
export interface WhatsAppStatus {
  /** The outbound message's id. */
  id: string;
  status: WhatsAppDeliveryStatus | string;
  /** Unix seconds, as a string. */
  timestamp: string;
  /** The user's wa_id; Meta omits it for some undeliverable messages. */
  recipient_id?: string;
  errors?: WhatsAppError[];
}
