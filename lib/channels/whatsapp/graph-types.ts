/**
 * Request and response shapes of the WhatsApp Cloud API (Graph API) endpoints that Financy calls:
 * `POST /{phone-number-id}/messages` for messages and read receipts, and `GET /{media-id}` for media.
 * Field names follow Meta's JSON, so a payload goes on the wire as typed here.
 */
import type { ResilienceLogger } from '../../resilience/logger';

/** The message that a reply quotes, by its `wamid.…` id. */
export interface GraphReplyContext {
  message_id: string;
}

/** Fields that every outgoing message has. */
interface GraphMessageBase {
  /** Recipient's WhatsApp id (`wa_id`) or phone number in international format. */
  to: string;
  /** Makes the message a reply that quotes another message in the chat. */
  context?: GraphReplyContext;
}

/** A text message. Meta accepts a body of 1 to 4096 characters. */
export interface GraphTextMessage extends GraphMessageBase {
  type: 'text';
  text: {
    body: string;
    /** Whether WhatsApp renders a preview of the first URL in the body. */
    preview_url?: boolean;
  };
}

/** One reply button. `id` (at most 256 characters) comes back in the webhook, `title` is 1 to 20 characters. */
export interface GraphReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

/** An interactive message with 1 to 3 reply buttons under a body of at most 1024 characters. */
export interface GraphButtonMessage extends GraphMessageBase {
  type: 'interactive';
  interactive: {
    type: 'button';
    body: { text: string };
    action: { buttons: GraphReplyButton[] };
  };
}

/** A row of a list message: `id` at most 200, `title` at most 24, `description` at most 72 characters. */
export interface GraphListRow {
  id: string;
  title: string;
  description?: string;
}

/** A section of a list message. `title` (at most 24 characters) is required when there are several sections. */
export interface GraphListSection {
  title?: string;
  rows: GraphListRow[];
}

/**
 * An interactive list message: a button (text at most 20 characters) that opens 1 to 10 rows in total,
 * under a body of at most 1024 characters.
 */
export interface GraphListMessage extends GraphMessageBase {
  type: 'interactive';
  interactive: {
    type: 'list';
    body: { text: string };
    action: { button: string; sections: GraphListSection[] };
  };
}

/** A text parameter that fills one `{{n}}` placeholder of a template's body. */
export interface GraphTemplateTextParameter {
  type: 'text';
  text: string;
}

/** The body component of a template, with one parameter per placeholder, in placeholder order. */
export interface GraphTemplateBodyComponent {
  type: 'body';
  parameters: GraphTemplateTextParameter[];
}

/**
 * A message from an approved template, the only kind that WhatsApp delivers outside the 24-hour
 * customer-service window.
 */
export interface GraphTemplateMessage extends GraphMessageBase {
  type: 'template';
  template: {
    name: string;
    /** Language the template was approved in, such as `en` or `en_US`. */
    language: { code: string };
    components?: GraphTemplateBodyComponent[];
  };
}

/** Any message that {@link GraphApiClient.sendMessage} sends. */
export type GraphOutgoingMessage =
  | GraphTextMessage
  | GraphButtonMessage
  | GraphListMessage
  | GraphTemplateMessage;

/** Result of a successful send. */
export interface GraphSendResult {
  /** Id (`wamid.…`) of the accepted message; status webhooks and replies refer to it. */
  messageId: string;
  /**
   * WhatsApp id that Meta resolved `to` to, when the response names one. It can differ from `to`, for
   * example for Brazilian numbers sent with or without the mobile 9 digit.
   */
  waId?: string;
}

/** Metadata of an uploaded or received media object, from `GET /{media-id}`. */
export interface GraphMediaInfo {
  /** Download URL. It needs the access token and expires a few minutes after the lookup. */
  url: string;
  /** MIME type, for example `image/jpeg` or `audio/ogg; codecs=opus`. */
  mimeType: string;
  /** SHA-256 of the file, as Meta reports it. */
  sha256?: string;
  /** Size in bytes from `file_size`, or `undefined` when the response has no valid size. */
  sizeBytes: number | undefined;
}

/** A downloaded media file. */
export interface GraphMediaFile {
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * Logger of the client, the resilience layer's shape, which Powertools Logger satisfies. The client logs ids,
 * codes and sizes, never message text or the access token.
 */
export type GraphLogger = ResilienceLogger;

/** Settings of a {@link GraphApiClient}. */
export interface GraphApiClientOptions {
  /**
   * System-user or app access token. It is sent only in the `Authorization` header, never in a URL,
   * error message or log line.
   */
  accessToken: string;
  /**
   * Graph API origin. Tests and the local stack pass the fake server's URL.
   * @default 'https://graph.facebook.com'
   */
  baseUrl?: string;
  /**
   * Graph API version in request paths, `v<major>.<minor>`.
   * @default 'v23.0'
   */
  apiVersion?: string;
  fetch?: typeof fetch;
  /**
   * Maximum time in ms for one HTTP request, media downloads included.
   * @default 10000
   */
  timeoutMs?: number;
  logger?: GraphLogger;
  /** Clock in epoch milliseconds, used to turn a `Retry-After` date into a delay. Default `Date.now`. */
  now?: () => number;
}

/** A Graph API call of the client, named in errors and log lines. */
export type GraphOperation = 'sendMessage' | 'markRead' | 'getMediaUrl' | 'downloadMedia';
