import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { secretsEqual } from '../../../lib/http/request';
import { sendJson } from '../fake-telegram/http';
import { FailureQueue } from './failures';
import { FakeGraphError, invalidParameter, invalidToken, invalidValue, unknownObject } from './graph-error';
import { readJsonObject, sendMedia } from './http';
import { DOWNLOAD_PATH, MediaStore } from './media';
import { StatusWebhookPoster } from './status-webhooks';
import type {
  FakeFailure,
  FakeMediaInput,
  FakeMediaRecord,
  FakeReadReceipt,
  FakeSentMessage,
  FakeStatusWebhook,
  FakeTemplate,
  FakeWebhookDelivery,
  FakeWhatsApp,
  FakeWhatsAppOptions,
} from './types';
import { normalizeWaId, validateMessage } from './validation';

export type * from './types';

/** The customer-service window: free-form messages reach a user up to 24 hours after they last wrote. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

const DEFAULT_PHONE_NUMBER_ID = '200000000000001';
const DEFAULT_BUSINESS_ACCOUNT_ID = '100000000000001';
const DEFAULT_MEDIA_URL_TTL_MS = 5 * 60 * 1000;

/** Templates approved by default: the reply template that the processor's configuration names by default. */
export const DEFAULT_TEMPLATES: readonly FakeTemplate[] = [
  { name: 'financy_reply', language: 'en', body: 'Financy has an update for you: {{1}}' },
];

/**
 * Starts a fake WhatsApp Cloud API (Graph API) server on 127.0.0.1.
 * It serves `POST /{version}/{phone-number-id}/messages` (messages and read receipts),
 * `GET /{version}/{media-id}` and the media download URLs, with Meta's response and error shapes.
 * @example
 * const fake = await startFakeWhatsApp();
 * fake.userWrote('5511900000001');
 * const graph = new GraphApiClient({ accessToken: fake.accessToken, baseUrl: fake.url });
 */
export async function startFakeWhatsApp(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const fake = new FakeWhatsAppServer(options);
  await fake.listen(options.port ?? 0);
  return fake;
}

class FakeWhatsAppServer implements FakeWhatsApp {
  url = '';
  readonly accessToken: string;
  readonly phoneNumberIds: readonly string[];
  private readonly templates: readonly FakeTemplate[];
  private readonly enforceWindow: boolean;
  private readonly now: () => number;
  private readonly lastWroteAt = new Map<string, number>();
  private readonly sentMessages: FakeSentMessage[] = [];
  private readonly readReceipts: FakeReadReceipt[] = [];
  private readonly failures = new FailureQueue();
  private readonly media: MediaStore;
  private webhooks: StatusWebhookPoster | undefined;
  private readonly businessAccountId: string;
  private readonly http: Server;

  constructor(options: FakeWhatsAppOptions) {
    this.accessToken = options.accessToken ?? `EAAFake${randomBytes(24).toString('base64url')}`;
    if (this.accessToken === '' || /\s/.test(this.accessToken)) {
      throw new TypeError(
        'Fake WhatsApp accessToken is empty or contains whitespace; pass a token such as "EAAtest".',
      );
    }

    this.phoneNumberIds = options.phoneNumberIds ?? [DEFAULT_PHONE_NUMBER_ID];
    this.templates = options.templates ?? DEFAULT_TEMPLATES;
    this.enforceWindow = options.enforceWindow ?? true;
    this.now = options.now ?? Date.now;
    this.media = new MediaStore(options.mediaUrlTtlMs ?? DEFAULT_MEDIA_URL_TTL_MS);
    this.businessAccountId = options.businessAccountId ?? DEFAULT_BUSINESS_ACCOUNT_ID;
    this.webhooks =
      options.statusWebhook === undefined
        ? undefined
        : new StatusWebhookPoster(options.statusWebhook, this.businessAccountId);
    this.http = createServer((request, response) => {
      void this.handle(request, response);
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => resolve());
    });

    const address = this.http.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
  }

  setStatusWebhook(target: FakeStatusWebhook | undefined): void {
    this.webhooks =
      target === undefined ? undefined : new StatusWebhookPoster(target, this.businessAccountId);
  }

  userWrote(waId: string, at: number | Date = this.now()): void {
    this.lastWroteAt.set(normalizeWaId(waId), at instanceof Date ? at.getTime() : at);
  }

  sent(): FakeSentMessage[] {
    return this.sentMessages.map((message) => ({ ...message }));
  }

  reads(): FakeReadReceipt[] {
    return this.readReceipts.map((receipt) => ({ ...receipt }));
  }

  failNext(failure: FakeFailure): void {
    this.failures.add(failure);
  }

  addMedia(media: FakeMediaInput): FakeMediaRecord {
    return this.media.add(media);
  }

  expireMedia(mediaId: string): void {
    this.media.expire(mediaId);
  }

  async flushWebhooks(): Promise<FakeWebhookDelivery[]> {
    return this.webhooks?.flush() ?? [];
  }

  reset(): void {
    this.lastWroteAt.clear();
    this.sentMessages.length = 0;
    this.readReceipts.length = 0;
    this.failures.clear();
    this.media.reset();
    this.webhooks?.reset();
  }

  async close(): Promise<void> {
    await this.webhooks?.flush();
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      await this.route(request, response);
    } catch (error) {
      const graphError =
        error instanceof FakeGraphError
          ? error
          : new FakeGraphError(1, { status: 500, details: `The fake failed: ${String(error)}` });
      if (!response.headersSent && !response.destroyed) {
        sendJson(response, graphError.status, graphError.toBody());
      }
    }
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    this.authenticate(request);

    if (url.pathname === DOWNLOAD_PATH && request.method === 'GET') {
      this.download(url, request, response);
      return;
    }

    const match = /^\/(v\d+\.\d+)\/([\w.-]+)(\/messages)?\/?$/.exec(url.pathname);
    if (match === null) {
      throw new FakeGraphError(100, {
        status: 404,
        title: 'Unknown path components',
        details: `Path ${url.pathname} is not /{version}/{phone-number-id}/messages or /{version}/{media-id}.`,
      });
    }

    const id = match[2] ?? '';
    if (match[3] !== undefined) {
      if (request.method !== 'POST') {
        throw unknownObject('get', `${id}/messages`);
      }
      await this.postMessages(id, request, response);
      return;
    }

    if (request.method !== 'GET') {
      throw unknownObject('post', id);
    }
    this.lookUpMedia(id, request, response);
  }

  /** @throws FakeGraphError 401 code 190 unless the request carries the configured bearer token. */
  private authenticate(request: IncomingMessage): void {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!secretsEqual(token, this.accessToken)) {
      throw invalidToken();
    }
  }

  private async postMessages(
    phoneNumberId: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    const body = await readJsonObject(request);
    if (!this.phoneNumberIds.includes(phoneNumberId)) {
      throw unknownObject('post', phoneNumberId);
    }
    if (this.failures.apply('messages', request, response)) {
      return;
    }

    if (body.messaging_product === undefined) {
      throw invalidParameter('The parameter messaging_product is required.');
    }
    if (body.messaging_product !== 'whatsapp') {
      throw invalidValue(
        `Param messaging_product must be "whatsapp"; got ${JSON.stringify(body.messaging_product)}.`,
      );
    }

    if (body.status !== undefined) {
      this.markRead(phoneNumberId, body, response);
      return;
    }

    const message = validateMessage(body, this.templates);
    if (message.type !== 'template') {
      this.assertWindowOpen(message.waId);
    }

    const sent: FakeSentMessage = {
      id: `wamid.${randomBytes(24).toString('base64url')}`,
      phoneNumberId,
      to: message.to,
      waId: message.waId,
      type: message.type,
      payload: body,
      at: this.now(),
    };
    this.sentMessages.push(sent);
    this.webhooks?.post(sent);

    const accepted =
      message.type === 'template' ? { id: sent.id, message_status: 'accepted' } : { id: sent.id };
    sendJson(response, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: message.to, wa_id: message.waId }],
      messages: [accepted],
    });
  }

  private markRead(phoneNumberId: string, body: Record<string, unknown>, response: ServerResponse): void {
    if (body.status !== 'read') {
      throw invalidValue(`Param status must be "read"; got ${JSON.stringify(body.status)}.`);
    }

    const messageId = body.message_id;
    if (messageId === undefined) {
      throw invalidParameter('The parameter message_id is required.');
    }
    if (typeof messageId !== 'string' || !/^wamid\.[\w=+/-]+$/.test(messageId)) {
      throw invalidValue('Param message_id must be the wamid of a message received from the user.');
    }

    this.readReceipts.push({ phoneNumberId, messageId, at: this.now() });
    sendJson(response, 200, { success: true });
  }

  /** @throws FakeGraphError 131047 when the user never wrote, or last wrote more than 24 hours ago. */
  private assertWindowOpen(waId: string): void {
    if (!this.enforceWindow) {
      return;
    }

    const lastWroteAt = this.lastWroteAt.get(waId);
    if (lastWroteAt === undefined || this.now() - lastWroteAt > CUSTOMER_SERVICE_WINDOW_MS) {
      throw new FakeGraphError(131047);
    }
  }

  private lookUpMedia(mediaId: string, request: IncomingMessage, response: ServerResponse): void {
    if (this.failures.apply('media', request, response)) {
      return;
    }

    const media = this.media.get(mediaId);
    if (media === undefined) {
      throw unknownObject('get', mediaId);
    }

    const body: Record<string, unknown> = {
      messaging_product: 'whatsapp',
      url: this.media.issueUrl(mediaId, this.url, this.now()),
      mime_type: media.mimeType,
      sha256: media.sha256,
      id: media.id,
    };
    // Meta sends file_size as a number in some versions and as a decimal string in others; the fake uses a number.
    if (media.fileSize !== null) {
      body.file_size = media.fileSize;
    }

    sendJson(response, 200, body);
  }

  private download(url: URL, request: IncomingMessage, response: ServerResponse): void {
    if (this.failures.apply('download', request, response)) {
      return;
    }

    const media = this.media.resolveDownload(url.searchParams, this.now());
    if (media === undefined) {
      throw new FakeGraphError(100, {
        status: 404,
        title: 'URL signature expired',
        details: 'The media URL is unknown or expired; look the media id up again for a fresh URL.',
      });
    }

    sendMedia(response, media.bytes, media.mimeType, media.contentLength);
  }
}
