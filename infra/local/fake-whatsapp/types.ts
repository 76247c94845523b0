/** Public types of the fake WhatsApp Cloud API (Graph API) server. */

/** An approved message template. The number of `{{n}}` placeholders in `body` is the parameter count. */
export interface FakeTemplate {
  name: string;
  /** Language code the template was approved in, such as `en` or `en_US`. */
  language: string;
  /** Body text with `{{1}}`, `{{2}}` … placeholders. */
  body: string;
}

/** Delivery states that the fake reports through status webhooks, in the order Meta sends them. */
export type FakeDeliveryStatus = 'sent' | 'delivered' | 'read';

/** Target and signing secret of the status webhooks that the fake posts for accepted messages. */
export interface FakeStatusWebhook {
  /** Webhook URL on 127.0.0.1 or localhost; other hosts are rejected at start. */
  url: string;
  /** App secret that signs each body into `X-Hub-Signature-256`. */
  appSecret: string;
  /** Statuses posted for every accepted message, one POST each, default `['sent', 'delivered', 'read']`. */
  statuses?: FakeDeliveryStatus[];
}

/** Settings of {@link startFakeWhatsApp}. */
export interface FakeWhatsAppOptions {
  /** TCP port on 127.0.0.1, default 0 (any free port). */
  port?: number;
  /** Access token that requests must send as `Authorization: Bearer <token>`, default a random one. */
  accessToken?: string;
  /** Business phone number ids that may send, default `['200000000000001']`. */
  phoneNumberIds?: string[];
  /** WhatsApp Business Account id in status webhooks, default `100000000000001`. */
  businessAccountId?: string;
  /** Approved templates, default one `financy_reply` template in `en` with one body parameter. */
  templates?: FakeTemplate[];
  /**
   * Whether free-form messages to a user who has not written within 24 hours fail with 131047, as on Meta.
   * @default true
   */
  enforceWindow?: boolean;
  /** Lifetime of a media download URL in ms, counted from the media lookup, default 300 000 (5 minutes). */
  mediaUrlTtlMs?: number;
  /** Clock in epoch milliseconds for the window and media expiry, default `Date.now`. */
  now?: () => number;
  /** Posts status webhooks for accepted messages when set. */
  statusWebhook?: FakeStatusWebhook;
}

/** Endpoint that an injected failure applies to. */
export type FakeEndpoint = 'messages' | 'media' | 'download';

/**
 * A failure that replaces the fake's next responses.
 * With `code`, the response is a Graph API error body with Meta's title for the code. Without `code`, it is
 * an HTML error page, as a proxy or load balancer sends. `network` drops the connection or never responds.
 */
export interface FakeFailure {
  /** Graph API error code, such as 130429, 131056, 131026 or 190. */
  code?: number;
  /** HTTP status, default Meta's status for the code (400 for most), or 502 for an HTML page. */
  status?: number;
  /** Number of requests that fail, default 1. */
  count?: number;
  /** Value of a `Retry-After` header to send, in seconds or as an HTTP date. */
  retryAfter?: number | string;
  /** `error_data.details` of the body, default a description of the code. */
  details?: string;
  /** Endpoint whose requests fail, default `messages`. */
  endpoint?: FakeEndpoint;
  /** `reset` closes the connection; `timeout` keeps the request open until the client gives up or the fake closes. */
  network?: 'reset' | 'timeout';
}

/** A message that the fake accepted. */
export interface FakeSentMessage {
  /** The `wamid.…` id returned to the client. */
  id: string;
  phoneNumberId: string;
  /** `to` as the client sent it. */
  to: string;
  /** The recipient's WhatsApp id: `to` without `+` and separators. */
  waId: string;
  type: 'text' | 'interactive' | 'template';
  /** The request body as received, `messaging_product` and all. */
  payload: Record<string, unknown>;
  /** Acceptance time in epoch milliseconds. */
  at: number;
}

/** A read receipt that the fake accepted. */
export interface FakeReadReceipt {
  phoneNumberId: string;
  messageId: string;
  at: number;
}

/** Settings of a stored media file. */
export interface FakeMediaInput {
  bytes: Uint8Array;
  mimeType: string;
  /** Media id, default a random numeric id. */
  id?: string;
  /**
   * `file_size` of the lookup response: default the real size, a number to announce a different size, or
   * `null` to leave the field out.
   */
  fileSize?: number | null;
  /** Whether the download sends a Content-Length header; `false` streams the bytes in chunks. Default true. */
  contentLength?: boolean;
}

/** A stored media file as the lookup describes it. */
export interface FakeMediaRecord {
  id: string;
  mimeType: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  sizeBytes: number;
}

/** Outcome of one status webhook POST. */
export interface FakeWebhookDelivery {
  messageId: string;
  status: FakeDeliveryStatus;
  /** HTTP status of the webhook's response, or the error when the POST failed. */
  response: number | string;
}

/** A running fake Graph API server. */
export interface FakeWhatsApp {
  /** Origin, for example `http://127.0.0.1:41234`, to pass as the client's baseUrl. */
  url: string;
  accessToken: string;
  phoneNumberIds: readonly string[];
  /**
   * Starts (or, with `undefined`, stops) posting status webhooks for the messages accepted from now on, for
   * a caller that learns the webhook's URL only after the fake started.
   */
  setStatusWebhook(target: FakeStatusWebhook | undefined): void;
  /** Records that the user `waId` wrote at `at` (epoch ms or Date, default now), which opens the 24-hour window. */
  userWrote(waId: string, at?: number | Date): void;
  /** Messages accepted since start or the last reset, in order. */
  sent(): FakeSentMessage[];
  /** Read receipts accepted since start or the last reset, in order. */
  reads(): FakeReadReceipt[];
  /** Replaces the next responses of an endpoint with a failure. */
  failNext(failure: FakeFailure): void;
  /** Stores a media file for `GET /{version}/{media-id}` and its download URL. */
  addMedia(media: FakeMediaInput): FakeMediaRecord;
  /** Makes a media id unknown, as Meta does about 30 days after upload. */
  expireMedia(mediaId: string): void;
  /** Waits until every status webhook POST started so far has finished, and returns all outcomes. */
  flushWebhooks(): Promise<FakeWebhookDelivery[]>;
  /** Forgets messages, reads, windows, media and failures. Keeps URL, token and templates. */
  reset(): void;
  /** Closes the server and every open connection, including hanging requests. */
  close(): Promise<void>;
}
