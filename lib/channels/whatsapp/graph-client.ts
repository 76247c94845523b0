/**
 * HTTP client of the WhatsApp Cloud API (Graph API): messages, read receipts and media downloads. The
 * download checks (trusted hosts, size limit, streaming read) are in `graph-media.ts`.
 */
import {
  classifyGraphError,
  GraphApiError,
  graphNetworkError,
  WhatsAppMediaExpiredError,
  WhatsAppMediaTooLargeError,
} from './graph-errors';
import {
  assertByteLimit,
  matchesSha256,
  parseSize,
  readLimited,
  rejectAnnouncedOversize,
  trustedMediaUrl,
} from './graph-media';
import type {
  GraphApiClientOptions,
  GraphLogger,
  GraphMediaFile,
  GraphMediaInfo,
  GraphOperation,
  GraphOutgoingMessage,
  GraphSendResult,
} from './graph-types';

export type * from './graph-types';

const DEFAULT_BASE_URL = 'https://graph.facebook.com';
const DEFAULT_API_VERSION = 'v23.0';
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Typed Cloud API client for one access token.
 *
 * Every failure throws a {@link GraphApiError} whose `kind` names the next step (send a template, stop
 * sending to the user, wait, fix the configuration) and whose `status`, `retryable` and `retryAfterMs`
 * feed the resilience layer. The client never retries on its own, except that {@link fetchMedia} looks
 * the media up once more when its fresh download URL has already expired.
 *
 * @example
 * const graph = new GraphApiClient({ accessToken, baseUrl: config.graphApiBaseUrl, apiVersion: config.graphApiVersion });
 * const { messageId } = await graph.sendMessage(phoneNumberId, { type: 'text', to: waId, text: { body: 'Saved 3.50 EUR' } });
 */
export class GraphApiClient {
  private readonly accessToken: string;
  private readonly baseUrl: string;
  private readonly apiVersion: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly logger: GraphLogger | undefined;
  private readonly now: () => number;

  constructor(options: GraphApiClientOptions) {
    if (options.accessToken.trim() === '' || /\s/.test(options.accessToken)) {
      throw new TypeError(
        'WhatsApp access token is empty or contains whitespace; set the system-user token from Meta Business Settings.',
      );
    }

    const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
    if (!/^v\d+\.\d+$/.test(apiVersion)) {
      throw new TypeError(`Graph API version "${apiVersion}" is invalid; pass one such as "v23.0".`);
    }

    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new TypeError(
        `Graph API timeoutMs ${timeoutMs} is invalid; pass a positive number of milliseconds.`,
      );
    }

    this.accessToken = options.accessToken;
    this.baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
    this.apiVersion = apiVersion;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = timeoutMs;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * Sends a text, reply-button, list or template message from the business number `phoneNumberId`.
   * @throws GraphApiError; `kind: 'window-closed'` means only a template reaches the user now.
   */
  async sendMessage(phoneNumberId: string, message: GraphOutgoingMessage): Promise<GraphSendResult> {
    const path = `${pathSegment('phoneNumberId', phoneNumberId)}/messages`;
    const { status, body } = await this.requestJson('sendMessage', 'POST', path, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...message,
    });

    const sent = body as { contacts?: Array<{ wa_id?: unknown }>; messages?: Array<{ id?: unknown }> };
    const messageId = sent.messages?.[0]?.id;
    if (typeof messageId !== 'string' || messageId === '') {
      throw unexpectedResponse('sendMessage', status, 'it has no messages[0].id');
    }

    const waId = sent.contacts?.[0]?.wa_id;
    this.logger?.debug('WhatsApp message accepted', { phoneNumberId, messageId, type: message.type });
    return typeof waId === 'string' ? { messageId, waId } : { messageId };
  }

  /** Marks a received message, and the ones before it in the chat, as read (blue ticks). */
  async markRead(phoneNumberId: string, messageId: string): Promise<void> {
    const path = `${pathSegment('phoneNumberId', phoneNumberId)}/messages`;
    await this.requestJson('markRead', 'POST', path, {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
    });
  }

  /**
   * Looks up a media id from a webhook. The returned URL expires within minutes, so download it at once.
   * @throws WhatsAppMediaExpiredError when the media id is unknown or expired.
   */
  async getMediaUrl(mediaId: string): Promise<GraphMediaInfo> {
    let response: { status: number; body: unknown };
    try {
      response = await this.requestJson('getMediaUrl', 'GET', pathSegment('mediaId', mediaId));
    } catch (error) {
      throw isUnknownObject(error)
        ? new WhatsAppMediaExpiredError('getMediaUrl', error.httpStatus ?? 400, mediaId)
        : error;
    }

    const media = response.body as {
      url?: unknown;
      mime_type?: unknown;
      sha256?: unknown;
      file_size?: unknown;
    };
    if (typeof media.url !== 'string' || media.url === '') {
      throw unexpectedResponse('getMediaUrl', response.status, 'it has no url');
    }

    const info: GraphMediaInfo = {
      url: media.url,
      mimeType: typeof media.mime_type === 'string' ? media.mime_type : 'application/octet-stream',
      sizeBytes: parseSize(media.file_size),
    };
    if (typeof media.sha256 === 'string') {
      info.sha256 = media.sha256;
    }

    this.logger?.debug('WhatsApp media looked up', {
      mediaId,
      mimeType: info.mimeType,
      sizeBytes: info.sizeBytes,
    });
    return info;
  }

  /**
   * Downloads a media URL from {@link getMediaUrl} with the access token.
   * @throws WhatsAppMediaTooLargeError before reading when Content-Length is above `maxBytes`, and as soon as
   *   more than `maxBytes` arrived otherwise.
   * @throws WhatsAppMediaExpiredError when the URL has expired (HTTP 404 or 410).
   * @throws WhatsAppMediaUrlError when the URL is on neither Meta's media hosts nor the Graph API origin.
   */
  async downloadMedia(url: string, maxBytes: number): Promise<GraphMediaFile> {
    assertByteLimit(maxBytes);
    const target = trustedMediaUrl(url, this.baseUrl);
    const response = await this.send('downloadMedia', 'GET', target);

    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      throw new WhatsAppMediaExpiredError('downloadMedia', response.status);
    }

    if (!response.ok) {
      throw await this.failureOf('downloadMedia', response);
    }

    await rejectAnnouncedOversize(response, maxBytes);
    const bytes = await readLimited(response, maxBytes, (error) =>
      graphNetworkError('downloadMedia', error, this.timeoutMs, [this.accessToken]),
    );
    const mimeType = response.headers.get('content-type') ?? 'application/octet-stream';
    this.logger?.debug('WhatsApp media downloaded', { sizeBytes: bytes.byteLength, mimeType });
    return { bytes, mimeType };
  }

  /**
   * Looks up a media id and downloads the file right away, because its URL expires within minutes. A URL
   * that expired between the two steps is looked up once more. The MIME type is the one Meta stored.
   * @throws WhatsAppMediaTooLargeError before downloading when `file_size` is above `maxBytes`.
   */
  async fetchMedia(mediaId: string, maxBytes: number): Promise<GraphMediaFile> {
    assertByteLimit(maxBytes);
    let info = await this.getMediaUrl(mediaId);
    if (info.sizeBytes !== undefined && info.sizeBytes > maxBytes) {
      throw new WhatsAppMediaTooLargeError(info.sizeBytes, maxBytes, true);
    }

    let file: GraphMediaFile;
    try {
      file = await this.downloadMedia(info.url, maxBytes);
    } catch (error) {
      if (!(error instanceof WhatsAppMediaExpiredError)) {
        throw error;
      }

      this.logger?.info('WhatsApp media URL expired before the download; looking it up again', { mediaId });
      info = await this.getMediaUrl(mediaId);
      file = await this.downloadMedia(info.url, maxBytes);
    }

    if (info.sha256 !== undefined && !matchesSha256(file.bytes, info.sha256)) {
      // NOTE: only logged, because Meta does not document the encoding of this field; a false mismatch
      // must not block every receipt.
      this.logger?.warn('WhatsApp media does not match the sha256 that Meta reported', {
        mediaId,
        sizeBytes: file.bytes.byteLength,
      });
    }

    return { bytes: file.bytes, mimeType: info.mimeType };
  }

  private async requestJson(
    operation: GraphOperation,
    method: 'GET' | 'POST',
    path: string,
    payload?: object,
  ): Promise<{ status: number; body: unknown }> {
    const url = `${this.baseUrl}/${this.apiVersion}/${path}`;
    const response = await this.send(operation, method, url, payload);
    const body = await this.readBody(operation, response);

    if (!response.ok || typeof body !== 'object' || body === null) {
      throw this.errorOf(operation, response, typeof body === 'object' ? body : String(body));
    }

    return { status: response.status, body };
  }

  private async send(
    operation: GraphOperation,
    method: string,
    url: string,
    payload?: object,
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.accessToken}` };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
    }

    try {
      return await this.fetch(url, {
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw graphNetworkError(operation, error, this.timeoutMs, [this.accessToken]);
    }
  }

  /** Reads a body as JSON, or returns its text when it is not JSON. */
  private async readBody(operation: GraphOperation, response: Response): Promise<unknown> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw graphNetworkError(operation, error, this.timeoutMs, [this.accessToken]);
    }

    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  private async failureOf(operation: GraphOperation, response: Response): Promise<GraphApiError> {
    return this.errorOf(operation, response, await this.readBody(operation, response));
  }

  private errorOf(operation: GraphOperation, response: Response, body: unknown): GraphApiError {
    const error = classifyGraphError(response.status, body, response.headers, {
      operation,
      nowMs: this.now(),
      secrets: [this.accessToken],
    });
    this.logger?.debug('WhatsApp Graph API call failed', {
      operation,
      httpStatus: error.httpStatus,
      code: error.code,
      kind: error.kind,
      fbtraceId: error.fbtraceId,
    });
    return error;
  }
}

function parseBaseUrl(baseUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new TypeError(
      `Graph API baseUrl "${baseUrl}" is not a URL; pass an origin such as https://graph.facebook.com.`,
    );
  }

  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new TypeError(`Graph API baseUrl "${baseUrl}" must use http or https.`);
  }

  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Encodes an id for a URL path, after checking that it is a Graph API id and not a path. */
function pathSegment(name: string, value: string): string {
  if (!/^[\w.-]{1,128}$/.test(value)) {
    throw new TypeError(
      `WhatsApp ${name} "${value}" is invalid; pass the numeric id from the webhook or WhatsApp Manager.`,
    );
  }

  return encodeURIComponent(value);
}

/**
 * Checks whether an error means that `GET /{id}` found no object. Graph API rejects an unknown or expired id
 * with code 100 and subcode 33 ("Unsupported get request. Object with ID … does not exist").
 */
function isUnknownObject(error: unknown): error is GraphApiError {
  return error instanceof GraphApiError && error.code === 100 && error.subcode === 33;
}

function unexpectedResponse(operation: GraphOperation, httpStatus: number, detail: string): GraphApiError {
  return new GraphApiError({
    operation,
    kind: 'transient',
    httpStatus,
    code: undefined,
    title: 'Unexpected response',
    message:
      `WhatsApp ${operation} returned HTTP ${httpStatus} with a body that does not have Graph API's shape ` +
      `(${detail}); retry later.`,
  });
}
