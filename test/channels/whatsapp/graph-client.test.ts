import { createServer } from 'node:net';
import { type FakeWhatsApp, startFakeWhatsApp } from '../../../infra/local/fake-whatsapp/server';
import { GraphApiClient, type GraphApiClientOptions } from '../../../lib/channels/whatsapp/graph-client';
import {
  classifyGraphError,
  GraphApiError,
  type GraphErrorKind,
  WhatsAppMediaExpiredError,
  WhatsAppMediaTooLargeError,
  WhatsAppMediaUrlError,
} from '../../../lib/channels/whatsapp/graph-errors';
import type { GraphOutgoingMessage } from '../../../lib/channels/whatsapp/graph-types';
import { classifyFailure, mayHaveTakenEffect, retryAfterMsOf } from '../../../lib/resilience/failure';
import { CapturingLogger } from '../../support/capturing-logger';
import { thrownBy } from '../telegram/support';

const ACCESS_TOKEN = 'EAAGraphClientTestToken0123456789';
const PHONE_NUMBER_ID = '200000000000001';
const USER = '5511900000001';
const HOUR_MS = 60 * 60 * 1000;
const PRIVATE_TEXT = 'lunch with Ana 42.50 at Casa Mia';

/** Returns a 127.0.0.1 port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** Runs `action` and returns the GraphApiError it threw; fails the test for anything else. */
async function graphErrorOf(action: () => Promise<unknown>): Promise<GraphApiError> {
  const error = await thrownBy(action);
  if (!(error instanceof GraphApiError)) {
    throw new Error(`Expected a GraphApiError, got ${String(error)}`);
  }

  return error;
}

function text(body: string, to = USER): GraphOutgoingMessage {
  return { type: 'text', to, text: { body } };
}

describe('GraphApiClient', () => {
  let fake: FakeWhatsApp;
  let clock: number;
  let logLines: string[];
  let requestedPaths: string[];
  let client: GraphApiClient;

  function newClient(overrides: Partial<GraphApiClientOptions> = {}): GraphApiClient {
    return new GraphApiClient({
      accessToken: ACCESS_TOKEN,
      baseUrl: fake.url,
      apiVersion: 'v23.0',
      logger: new CapturingLogger('graph-client-test', logLines),
      now: () => clock,
      fetch: async (input, init) => {
        requestedPaths.push(new URL(String(input)).pathname);
        return fetch(input, init);
      },
      ...overrides,
    });
  }

  beforeAll(async () => {
    fake = await startFakeWhatsApp({
      accessToken: ACCESS_TOKEN,
      phoneNumberIds: [PHONE_NUMBER_ID],
      now: () => clock,
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    clock = Date.parse('2025-06-01T12:00:00Z');
    logLines = [];
    requestedPaths = [];
    fake.reset();
    fake.userWrote(USER, clock - HOUR_MS);
    client = newClient();
  });

  describe('sendMessage', () => {
    it('sends a text message with the Cloud API envelope', async () => {
      const result = await client.sendMessage(PHONE_NUMBER_ID, {
        type: 'text',
        to: USER,
        text: { body: 'Saved 3.50 EUR', preview_url: false },
      });

      expect(result.messageId).toMatch(/^wamid\./);
      expect(result.waId).toBe(USER);
      expect(requestedPaths).toEqual([`/v23.0/${PHONE_NUMBER_ID}/messages`]);
      expect(fake.sent()[0]?.payload).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: USER,
        type: 'text',
        text: { body: 'Saved 3.50 EUR', preview_url: false },
      });
    });

    it('sends a reply that quotes a message', async () => {
      await client.sendMessage(PHONE_NUMBER_ID, {
        ...text('Which category?'),
        context: { message_id: 'wamid.IN0000000000000000071' },
      });

      expect(fake.sent()[0]?.payload.context).toEqual({ message_id: 'wamid.IN0000000000000000071' });
    });

    it('sends three reply buttons', async () => {
      const { messageId } = await client.sendMessage(PHONE_NUMBER_ID, {
        type: 'interactive',
        to: USER,
        interactive: {
          type: 'button',
          body: { text: 'Saved 32.50 BRL for Transportation.' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'confirm_tx_8f2c', title: 'Confirm' } },
              { type: 'reply', reply: { id: 'edit_tx_8f2c', title: 'Edit' } },
              { type: 'reply', reply: { id: 'undo_tx_8f2c', title: 'Undo' } },
            ],
          },
        },
      });

      expect(fake.sent().map((message) => message.id)).toEqual([messageId]);
      expect(fake.sent()[0]?.type).toBe('interactive');
    });

    it('sends a list with titled sections', async () => {
      await client.sendMessage(PHONE_NUMBER_ID, {
        type: 'interactive',
        to: USER,
        interactive: {
          type: 'list',
          body: { text: 'Pick a category' },
          action: {
            button: 'Categories',
            sections: [
              {
                title: 'Everyday',
                rows: [{ id: 'cat_food', title: 'Food & Dining', description: 'Meals, groceries' }],
              },
              { title: 'Moving', rows: [{ id: 'cat_transport', title: 'Transportation' }] },
            ],
          },
        },
      });

      expect(fake.sent()).toHaveLength(1);
    });

    it('sends a template outside the 24-hour window', async () => {
      fake.reset();

      const { messageId } = await client.sendMessage(PHONE_NUMBER_ID, {
        type: 'template',
        to: USER,
        template: {
          name: 'financy_reply',
          language: { code: 'en' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Saved 3.50 EUR' }] }],
        },
      });

      expect(messageId).toMatch(/^wamid\./);
      expect(fake.sent()[0]?.type).toBe('template');
    });

    it('maps a closed window to window-closed', async () => {
      fake.userWrote(USER, clock - 25 * HOUR_MS);

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text(PRIVATE_TEXT)));

      expect(error.kind).toBe('window-closed');
      expect(error.code).toBe(131047);
      expect(error.retryable).toBe(false);
      expect(classifyFailure(error)).toBe('caller-error');
      expect(error.message).toContain('131047');
      expect(error.message).toContain('template');
      expect(fake.sent()).toEqual([]);
    });

    it('sends free-form text 23 hours after the user wrote', async () => {
      fake.userWrote(USER, clock - 23 * HOUR_MS);

      await expect(
        client.sendMessage(PHONE_NUMBER_ID, text('Still within the window')),
      ).resolves.toBeDefined();
    });

    it('maps an unknown phone number id to invalid-request', async () => {
      const error = await graphErrorOf(() => client.sendMessage('299999999999999', text('Hello')));

      expect(error.kind).toBe('invalid-request');
      expect(error.code).toBe(100);
      expect(error.subcode).toBe(33);
    });
  });

  describe('validation errors', () => {
    it.each<[string, GraphOutgoingMessage, number, RegExp]>([
      ['text over 4096 characters', text('x'.repeat(4097)), 100, /4096/],
      ['empty text', text(''), 100, /text\['body'\] is required/],
      [
        'four buttons',
        {
          type: 'interactive',
          to: USER,
          interactive: {
            type: 'button',
            body: { text: 'Pick' },
            action: {
              buttons: ['a', 'b', 'c', 'd'].map((id) => ({
                type: 'reply' as const,
                reply: { id, title: id },
              })),
            },
          },
        },
        131009,
        /1 to 3 buttons/,
      ],
      [
        'a 21-character button title',
        {
          type: 'interactive',
          to: USER,
          interactive: {
            type: 'button',
            body: { text: 'Pick' },
            action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
          },
        },
        131009,
        /Button title length invalid/,
      ],
      [
        'eleven list rows',
        {
          type: 'interactive',
          to: USER,
          interactive: {
            type: 'list',
            body: { text: 'Pick' },
            action: {
              button: 'Open',
              sections: [
                {
                  rows: Array.from({ length: 11 }, (_, index) => ({
                    id: `r${index}`,
                    title: `Row ${index}`,
                  })),
                },
              ],
            },
          },
        },
        131009,
        /at most 10 rows/,
      ],
    ])('maps %s to invalid-request', async (_case, message, code, details) => {
      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, message));

      expect(error.kind).toBe('invalid-request');
      expect(error.code).toBe(code);
      expect(error.status).toBe(400);
      expect(error.retryable).toBe(false);
      expect(error.details).toMatch(details);
      expect(error.message).toMatch(details);
      expect(classifyFailure(error)).toBe('caller-error');
    });

    it.each<[string, { name: string; code: string; parameters: string[] }, number]>([
      ['an unknown template', { name: 'financy_unknown', code: 'en', parameters: ['x'] }, 132001],
      ['a template in another language', { name: 'financy_reply', code: 'pt_BR', parameters: ['x'] }, 132001],
      ['a missing parameter', { name: 'financy_reply', code: 'en', parameters: [] }, 132000],
      [
        'a parameter with a line break',
        { name: 'financy_reply', code: 'en', parameters: ['Saved\n3.50 EUR'] },
        132018,
      ],
    ])('maps %s to template', async (_case, template, code) => {
      const error = await graphErrorOf(() =>
        client.sendMessage(PHONE_NUMBER_ID, {
          type: 'template',
          to: USER,
          template: {
            name: template.name,
            language: { code: template.code },
            components: [
              {
                type: 'body',
                parameters: template.parameters.map((value) => ({ type: 'text', text: value })),
              },
            ],
          },
        }),
      );

      expect(error.kind).toBe('template');
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(false);
      expect(classifyFailure(error)).toBe('caller-error');
    });
  });

  describe('error codes', () => {
    it.each<[number, GraphErrorKind, boolean, number, number | undefined]>([
      [130429, 'rate-limited', true, 429, 1_000],
      [131056, 'rate-limited', true, 429, 6_000],
      [131048, 'rate-limited', true, 429, 60_000],
      [4, 'rate-limited', true, 429, 60_000],
      [80007, 'rate-limited', true, 429, 60_000],
      [613, 'rate-limited', true, 429, 60_000],
      [131026, 'undeliverable', false, 400, undefined],
      [131030, 'undeliverable', false, 400, undefined],
      [131021, 'undeliverable', false, 400, undefined],
      [190, 'auth', false, 503, undefined],
      [10, 'auth', false, 503, undefined],
      [200, 'auth', false, 503, undefined],
      [3, 'auth', false, 503, undefined],
      [133010, 'auth', false, 503, undefined],
      [132000, 'template', false, 400, undefined],
      [132001, 'template', false, 404, undefined],
      [132005, 'template', false, 400, undefined],
      [132007, 'template', false, 400, undefined],
      [132012, 'template', false, 400, undefined],
      [132015, 'template', false, 400, undefined],
      [132016, 'template', false, 400, undefined],
      [131052, 'media', false, 400, undefined],
      [131053, 'media', false, 400, undefined],
      [100, 'invalid-request', false, 400, undefined],
      [131008, 'invalid-request', false, 400, undefined],
      [131009, 'invalid-request', false, 400, undefined],
      [131051, 'invalid-request', false, 400, undefined],
      [131045, 'invalid-request', false, 400, undefined],
      [368, 'invalid-request', false, 403, undefined],
      [1, 'transient', true, 503, undefined],
      [2, 'transient', true, 503, undefined],
      [131000, 'transient', true, 500, undefined],
      [131016, 'transient', true, 503, undefined],
    ])('maps %i to %s', async (code, kind, retryable, status, retryAfterMs) => {
      fake.failNext({ code });

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.code).toBe(code);
      expect(error.kind).toBe(kind);
      expect(error.retryable).toBe(retryable);
      expect(error.status).toBe(status);
      expect(error.retryAfterMs).toBe(retryAfterMs);
      expect(error.message).toContain(String(code));
      expect(error.message).toContain(error.title);
    });

    it('counts rate limits and auth errors against the dependency', async () => {
      fake.failNext({ code: 131056 });
      const rateLimited = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));
      fake.failNext({ code: 190 });
      const unauthorized = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(classifyFailure(rateLimited)).toBe('dependency-failure');
      expect(mayHaveTakenEffect(rateLimited)).toBe(false);
      expect(retryAfterMsOf(rateLimited)).toBe(6_000);
      expect(unauthorized.httpStatus).toBe(401);
      expect(classifyFailure(unauthorized)).toBe('dependency-failure');
    });

    it('honours a Retry-After header in seconds', async () => {
      fake.failNext({ code: 130429, retryAfter: 7 });

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.retryAfterMs).toBe(7_000);
      expect(error.message).toContain('7000 ms');
    });

    it('honours a Retry-After date', async () => {
      fake.failNext({ code: 131056, retryAfter: new Date(clock + 12_000).toUTCString() });

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.retryAfterMs).toBe(12_000);
    });

    it('reads the time to regain access from usage headers', () => {
      const usage = JSON.stringify({
        '100000000000001': [
          { type: 'whatsapp_business_management', call_count: 100, estimated_time_to_regain_access: 3 },
        ],
      });

      const error = classifyGraphError(
        400,
        { error: { message: '(#80007) Rate limit issues', type: 'OAuthException', code: 80007 } },
        { 'x-business-use-case-usage': usage },
      );

      expect(error.kind).toBe('rate-limited');
      expect(error.retryAfterMs).toBe(180_000);
    });

    it('maps an HTML 502 page to transient', async () => {
      fake.failNext({ status: 502 });

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.kind).toBe('transient');
      expect(error.httpStatus).toBe(502);
      expect(error.status).toBe(502);
      expect(error.code).toBeUndefined();
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/HTTP 502 with a \d+-byte body that is not Graph API JSON/);
      expect(classifyFailure(error)).toBe('dependency-failure');
    });

    it('maps a reset connection to transient', async () => {
      fake.failNext({ network: 'reset' });

      const error = await graphErrorOf(() => client.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.kind).toBe('transient');
      expect(error.httpStatus).toBeUndefined();
      expect(error.status).toBeUndefined();
      expect(classifyFailure(error)).toBe('dependency-failure');
    });

    it('maps a timeout to transient', async () => {
      fake.failNext({ network: 'timeout' });
      const impatient = newClient({ timeoutMs: 200 });

      const error = await graphErrorOf(() => impatient.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.kind).toBe('transient');
      expect(error.message).toContain('timed out after 200 ms');
      expect(mayHaveTakenEffect(error)).toBe(true);
    });

    it('reports a refused connection as never sent', async () => {
      const offline = newClient({ baseUrl: `http://127.0.0.1:${await closedPort()}` });

      const error = await graphErrorOf(() => offline.sendMessage(PHONE_NUMBER_ID, text('Hello')));

      expect(error.kind).toBe('transient');
      expect(error.message).toContain('ECONNREFUSED');
      expect(mayHaveTakenEffect(error)).toBe(false);
    });
  });

  describe('secrets and personal data', () => {
    it('keeps the token and message text out of errors and logs', async () => {
      const errors: unknown[] = [];
      const wrongToken = `${ACCESS_TOKEN}x`;
      const unauthorized = newClient({ accessToken: wrongToken });
      fake.failNext({ code: 131056 });
      fake.failNext({ status: 502 });
      fake.failNext({ network: 'reset' });

      for (let attempt = 0; attempt < 3; attempt += 1) {
        errors.push(await thrownBy(() => client.sendMessage(PHONE_NUMBER_ID, text(PRIVATE_TEXT))));
      }
      errors.push(await thrownBy(() => unauthorized.sendMessage(PHONE_NUMBER_ID, text(PRIVATE_TEXT))));
      errors.push(
        await thrownBy(() => client.sendMessage(PHONE_NUMBER_ID, text(PRIVATE_TEXT, '5511900000999'))),
      );
      await client.sendMessage(PHONE_NUMBER_ID, text(PRIVATE_TEXT));

      const errorText = errors
        .map((error) => `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`)
        .join('\n');
      expect(errors).toHaveLength(5);
      expect(errors.every((error) => error instanceof GraphApiError)).toBe(true);
      expect(errorText).not.toContain(ACCESS_TOKEN);
      expect(errorText).not.toContain(PRIVATE_TEXT);
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join('\n')).not.toContain(ACCESS_TOKEN);
      expect(logLines.join('\n')).not.toContain(PRIVATE_TEXT);
    });

    it('redacts the token when a response repeats it', () => {
      const error = classifyGraphError(
        400,
        {
          error: {
            message: `(#100) Invalid parameter ${ACCESS_TOKEN}`,
            code: 100,
            error_data: { details: ACCESS_TOKEN },
          },
        },
        {},
        { operation: 'sendMessage', secrets: [ACCESS_TOKEN] },
      );

      expect(error.message).not.toContain(ACCESS_TOKEN);
      expect(error.details).toBe('<redacted>');
    });

    it('rejects an access token with whitespace without naming it', () => {
      const create = () => newClient({ accessToken: 'EAAsecret value' });

      expect(create).toThrow(/contains whitespace/);
      expect(create).not.toThrow(/EAAsecret/);
    });
  });

  describe('markRead', () => {
    it('marks a received message as read', async () => {
      await client.markRead(PHONE_NUMBER_ID, 'wamid.IN0000000000000000071');

      expect(fake.reads()).toEqual([
        { phoneNumberId: PHONE_NUMBER_ID, messageId: 'wamid.IN0000000000000000071', at: clock },
      ]);
    });

    it('maps an invalid message id to invalid-request', async () => {
      const error = await graphErrorOf(() => client.markRead(PHONE_NUMBER_ID, 'not-a-wamid'));

      expect(error.kind).toBe('invalid-request');
      expect(error.code).toBe(131009);
    });
  });

  describe('media', () => {
    const receipt = Buffer.from('%PDF-1.7 receipt: coffee 3.50 EUR');

    it('looks media up', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'image/jpeg' });

      const info = await client.getMediaUrl(stored.id);

      expect(info.url.startsWith(`${fake.url}/`)).toBe(true);
      expect(info.mimeType).toBe('image/jpeg');
      expect(info.sha256).toBe(stored.sha256);
      expect(info.sizeBytes).toBe(receipt.length);
    });

    it('fetches media in two steps with the bearer token', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'audio/ogg; codecs=opus' });

      const file = await client.fetchMedia(stored.id, 1_000_000);

      expect(Buffer.from(file.bytes).equals(receipt)).toBe(true);
      expect(file.mimeType).toBe('audio/ogg; codecs=opus');
      expect(requestedPaths).toEqual([`/v23.0/${stored.id}`, '/whatsapp_business/attachments/']);
    });

    it('refuses media above the limit by its file_size without downloading', async () => {
      const stored = fake.addMedia({ bytes: Buffer.alloc(2_000), mimeType: 'image/png' });

      const error = await thrownBy(() => client.fetchMedia(stored.id, 1_000));

      expect(error).toBeInstanceOf(WhatsAppMediaTooLargeError);
      expect(error).toMatchObject({ sizeBytes: 2_000, limitBytes: 1_000, announced: true, retryable: false });
      expect(requestedPaths).toEqual([`/v23.0/${stored.id}`]);
      expect(classifyFailure(error)).toBe('caller-error');
    });

    it('refuses media above the limit by its Content-Length', async () => {
      const stored = fake.addMedia({ bytes: Buffer.alloc(2_000), mimeType: 'image/png', fileSize: null });
      const info = await client.getMediaUrl(stored.id);

      const error = await thrownBy(() => client.downloadMedia(info.url, 1_000));

      expect(error).toBeInstanceOf(WhatsAppMediaTooLargeError);
      expect(error).toMatchObject({ sizeBytes: 2_000, announced: true });
    });

    it('stops reading streamed media past the limit', async () => {
      const size = 4 * 1024 * 1024;
      const stored = fake.addMedia({
        bytes: Buffer.alloc(size),
        mimeType: 'video/mp4',
        fileSize: null,
        contentLength: false,
      });

      const error = await thrownBy(() => client.fetchMedia(stored.id, 100_000));

      expect(error).toBeInstanceOf(WhatsAppMediaTooLargeError);
      const tooLarge = error as WhatsAppMediaTooLargeError;
      expect(tooLarge.announced).toBe(false);
      expect(tooLarge.sizeBytes).toBeGreaterThan(100_000);
      expect(tooLarge.sizeBytes).toBeLessThan(size);
    });

    it('maps an expired download URL to WhatsAppMediaExpiredError', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'image/jpeg' });
      const info = await client.getMediaUrl(stored.id);
      clock += 6 * 60 * 1000;

      const error = await thrownBy(() => client.downloadMedia(info.url, 1_000_000));

      expect(error).toBeInstanceOf(WhatsAppMediaExpiredError);
      expect(error).toMatchObject({ kind: 'media', retryable: false, httpStatus: 404 });
    });

    it('looks media up again when its URL expired before the download', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'image/jpeg' });
      const slow = newClient({
        fetch: async (input, init) => {
          requestedPaths.push(new URL(String(input)).pathname);
          const response = await fetch(input, init);
          // The first lookup is slow enough for its URL to expire.
          if (requestedPaths.length === 1) {
            clock += 10 * 60 * 1000;
          }
          return response;
        },
      });

      const file = await slow.fetchMedia(stored.id, 1_000_000);

      expect(Buffer.from(file.bytes).equals(receipt)).toBe(true);
      expect(requestedPaths).toEqual([
        `/v23.0/${stored.id}`,
        '/whatsapp_business/attachments/',
        `/v23.0/${stored.id}`,
        '/whatsapp_business/attachments/',
      ]);
    });

    it('maps an expired media id to WhatsAppMediaExpiredError', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'image/jpeg' });
      fake.expireMedia(stored.id);

      const error = await thrownBy(() => client.fetchMedia(stored.id, 1_000_000));

      expect(error).toBeInstanceOf(WhatsAppMediaExpiredError);
      expect((error as Error).message).toContain(stored.id);
    });

    it('maps a failed download to a GraphApiError', async () => {
      const stored = fake.addMedia({ bytes: receipt, mimeType: 'image/jpeg' });
      fake.failNext({ endpoint: 'download', status: 503 });

      const error = await graphErrorOf(() => client.fetchMedia(stored.id, 1_000_000));

      expect(error.kind).toBe('transient');
      expect(error.operation).toBe('downloadMedia');
    });

    it('sends the token to no other host', async () => {
      const sent: string[] = [];
      const guarded = newClient({
        fetch: async (input) => {
          sent.push(String(input));
          throw new Error('The client must not send this request.');
        },
      });

      const error = await thrownBy(() =>
        guarded.downloadMedia('http://localhost:9/whatsapp_business/attachments/', 1_000),
      );

      expect(error).toBeInstanceOf(WhatsAppMediaUrlError);
      expect(sent).toEqual([]);
    });
  });
});
