import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CUSTOMER_SERVICE_WINDOW_MS,
  type FakeWhatsApp,
  startFakeWhatsApp,
} from '../../infra/local/fake-whatsapp/server';
import { verifySignature } from '../../lib/channels/whatsapp/verification';

const ACCESS_TOKEN = 'EAAFakeWhatsAppTestToken';
const PHONE_NUMBER_ID = '200000000000001';
const USER = '5511900000001';

interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data: { messaging_product: string; details: string };
    fbtrace_id: string;
  };
}

/** Sends a text message to USER through another fake instance, from its first phone number. */
async function sendTextTo(target: FakeWhatsApp, body: string): Promise<Response> {
  return fetch(`${target.url}/v23.0/${target.phoneNumberIds[0]}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: USER, type: 'text', text: { body } }),
  });
}

describe('fake WhatsApp Graph API', () => {
  let fake: FakeWhatsApp;
  let clock: number;

  /** Sends a request to the fake and returns the HTTP status, headers and parsed JSON body. */
  async function request(
    path: string,
    init: { method?: string; body?: unknown; token?: string | null } = {},
  ) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = init.token === undefined ? ACCESS_TOKEN : init.token;
    if (token !== null) {
      headers.authorization = `Bearer ${token}`;
    }

    const response = await fetch(`${fake.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const raw = await response.text();
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // Keeps the raw text, for example an HTML error page.
    }
    return { status: response.status, headers: response.headers, body };
  }

  async function send(message: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
    return request(`/v23.0/${phoneNumberId}/messages`, {
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: USER, ...message },
    });
  }

  /** Sends a message that must fail and returns the error object of the body. */
  async function rejected(message: Record<string, unknown>, status = 400) {
    const response = await send(message);
    expect(response.status).toBe(status);
    return (response.body as GraphErrorBody).error;
  }

  function buttons(count: number, make = (index: number) => ({ id: `b${index}`, title: `Button ${index}` })) {
    return {
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Pick one' },
        action: {
          buttons: Array.from({ length: count }, (_, index) => ({ type: 'reply', reply: make(index) })),
        },
      },
    };
  }

  function list(sections: unknown[], button = 'Categories') {
    return {
      type: 'interactive',
      interactive: { type: 'list', body: { text: 'Pick a category' }, action: { button, sections } },
    };
  }

  function template(name: string, parameters: string[], language = 'en') {
    return {
      type: 'template',
      template: {
        name,
        language: { code: language },
        components: [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }],
      },
    };
  }

  beforeAll(async () => {
    fake = await startFakeWhatsApp({
      accessToken: ACCESS_TOKEN,
      phoneNumberIds: [PHONE_NUMBER_ID],
      templates: [
        { name: 'financy_reply', language: 'en', body: 'Financy has an update for you: {{1}}' },
        { name: 'financy_summary', language: 'en', body: 'Spent {{1}} on {{2}} this week.' },
      ],
      now: () => clock,
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    clock = Date.parse('2025-06-01T12:00:00Z');
    fake.reset();
    fake.userWrote(USER, clock - 60_000);
  });

  describe('routing and authentication', () => {
    it('binds to 127.0.0.1', () => {
      expect(new URL(fake.url).hostname).toBe('127.0.0.1');
    });

    it.each([
      ['a wrong token', `${ACCESS_TOKEN}x`],
      ['no token', null],
    ])('rejects %s with 401 and code 190', async (_case, token) => {
      const response = await request(`/v23.0/${PHONE_NUMBER_ID}/messages`, {
        body: { messaging_product: 'whatsapp', to: USER, type: 'text', text: { body: 'Hi' } },
        token,
      });

      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { type: 'OAuthException', code: 190 } });
      expect(JSON.stringify(response.body)).not.toContain(ACCESS_TOKEN);
      expect(fake.sent()).toEqual([]);
    });

    it('rejects an unknown phone number id with code 100 and subcode 33', async () => {
      const response = await send({ type: 'text', text: { body: 'Hi' } }, '299999999999999');

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        error: { code: 100, error_subcode: 33, type: 'GraphMethodException' },
      });
    });

    it('answers an unknown path with 404', async () => {
      const response = await request('/v23.0/200000000000001/messages/extra');

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 100 } });
    });

    it('requires messaging_product', async () => {
      const response = await request(`/v23.0/${PHONE_NUMBER_ID}/messages`, {
        body: { to: USER, type: 'text', text: { body: 'Hi' } },
      });

      expect(response.status).toBe(400);
      expect((response.body as GraphErrorBody).error.error_data.details).toContain('messaging_product');
    });

    it('rejects a body that is not JSON', async () => {
      const response = await fetch(`${fake.url}/v23.0/${PHONE_NUMBER_ID}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ACCESS_TOKEN}`, 'content-type': 'application/json' },
        body: '{"to":',
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 100 } });
    });
  });

  describe('text messages', () => {
    it('returns contacts and a unique message id', async () => {
      const first = await send({ to: '+55 11 90000-0001', type: 'text', text: { body: 'Saved 3.50 EUR' } });
      const second = await send({ type: 'text', text: { body: 'Saved 4.00 EUR' } });

      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        messaging_product: 'whatsapp',
        contacts: [{ input: '+55 11 90000-0001', wa_id: USER }],
        messages: [{ id: expect.stringMatching(/^wamid\./) }],
      });
      const ids = [first, second].map(
        (response) => (response.body as { messages: Array<{ id: string }> }).messages[0]?.id,
      );
      expect(new Set(ids).size).toBe(2);
      expect(fake.sent().map((message) => message.id)).toEqual(ids);
    });

    it('accepts 4096 characters', async () => {
      const response = await send({ type: 'text', text: { body: 'x'.repeat(4096) } });

      expect(response.status).toBe(200);
    });

    it('rejects 4097 characters with code 100', async () => {
      const error = await rejected({ type: 'text', text: { body: 'x'.repeat(4097) } });

      expect(error.code).toBe(100);
      expect(error.error_data.details).toContain('at most 4096 characters');
    });

    it('rejects an empty body', async () => {
      const error = await rejected({ type: 'text', text: { body: '' } });

      expect(error.code).toBe(100);
      expect(error.error_data.details).toContain("text['body'] is required");
    });

    it('rejects an unexpected key', async () => {
      const error = await rejected({ type: 'text', text: { body: 'Hi', format: 'markdown' } });

      expect(error.code).toBe(100);
      expect(error.error_data.details).toBe('Unexpected key "format" on param "text".');
    });

    it('rejects a recipient that is not a phone number', async () => {
      const error = await rejected({ to: 'alice', type: 'text', text: { body: 'Hi' } });

      expect(error.code).toBe(131009);
    });
  });

  describe('reply buttons', () => {
    it('accepts three buttons', async () => {
      const response = await send(buttons(3));

      expect(response.status).toBe(200);
    });

    it.each([
      ['no buttons', buttons(0), /1 to 3 buttons/],
      ['four buttons', buttons(4), /1 to 3 buttons/],
      [
        'a 21-character title',
        buttons(1, () => ({ id: 'a', title: 'x'.repeat(21) })),
        /Button title length invalid/,
      ],
      ['an empty title', buttons(1, () => ({ id: 'a', title: '' })), /required/],
      [
        'a 257-character id',
        buttons(1, () => ({ id: 'x'.repeat(257), title: 'A' })),
        /Button id length invalid/,
      ],
      ['duplicate ids', buttons(2, (index) => ({ id: 'same', title: `T${index}` })), /ids must be unique/],
      [
        'duplicate titles',
        buttons(2, (index) => ({ id: `b${index}`, title: 'Same' })),
        /titles must be unique/,
      ],
    ])('rejects %s', async (_case, message, details) => {
      const error = await rejected(message);

      expect([100, 131009]).toContain(error.code);
      expect(error.error_data.details).toMatch(details);
    });

    it('accepts a 20-character title and a 256-character id', async () => {
      const response = await send(buttons(1, () => ({ id: 'x'.repeat(256), title: 'y'.repeat(20) })));

      expect(response.status).toBe(200);
    });

    it('rejects a body over 1024 characters', async () => {
      const message = buttons(1);
      message.interactive.body.text = 'x'.repeat(1025);

      const error = await rejected(message);

      expect(error.code).toBe(131009);
      expect(error.error_data.details).toMatch(/Body text length invalid/);
    });
  });

  describe('lists', () => {
    const rows = (count: number, prefix = 'r') =>
      Array.from({ length: count }, (_, index) => ({ id: `${prefix}${index}`, title: `Row ${index}` }));

    it('accepts ten rows in two titled sections', async () => {
      const response = await send(
        list([
          { title: 'One', rows: rows(5, 'a') },
          { title: 'Two', rows: rows(5, 'b') },
        ]),
      );

      expect(response.status).toBe(200);
    });

    it('accepts one untitled section', async () => {
      const response = await send(list([{ rows: rows(1) }]));

      expect(response.status).toBe(200);
    });

    it.each([
      [
        'eleven rows in total',
        list([
          { title: 'One', rows: rows(6, 'a') },
          { title: 'Two', rows: rows(5, 'b') },
        ]),
        /at most 10 rows/,
      ],
      ['a 21-character button', list([{ rows: rows(1) }], 'x'.repeat(21)), /List button text length invalid/],
      [
        'a 25-character row title',
        list([{ rows: [{ id: 'a', title: 'x'.repeat(25) }] }]),
        /Row title length invalid/,
      ],
      [
        'a 73-character description',
        list([{ rows: [{ id: 'a', title: 'A', description: 'x'.repeat(73) }] }]),
        /Row description length invalid/,
      ],
      [
        'a 201-character row id',
        list([{ rows: [{ id: 'x'.repeat(201), title: 'A' }] }]),
        /Row id length invalid/,
      ],
      [
        'a missing section title',
        list([{ rows: rows(1, 'a') }, { title: 'Two', rows: rows(1, 'b') }]),
        /title'\] is required/,
      ],
      [
        'a 25-character section title',
        list([{ title: 'x'.repeat(25), rows: rows(1) }]),
        /Section title length invalid/,
      ],
      [
        'duplicate row ids',
        list([
          { title: 'One', rows: rows(1) },
          { title: 'Two', rows: rows(1) },
        ]),
        /Row ids must be unique/,
      ],
      ['a section without rows', list([{ rows: [] }]), /at least 1 row/],
      ['no sections', list([]), /1 to 10 sections/],
    ])('rejects %s', async (_case, message, details) => {
      const error = await rejected(message);

      expect([100, 131009]).toContain(error.code);
      expect(error.error_data.details).toMatch(details);
    });
  });

  describe('templates', () => {
    it('accepts an approved template outside the window', async () => {
      fake.reset();

      const response = await send(template('financy_summary', ['42.50 EUR', 'food']));

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ messages: [{ message_status: 'accepted' }] });
    });

    it('rejects an unknown template with 132001 and HTTP 404', async () => {
      const error = await rejected(template('financy_missing', ['x']), 404);

      expect(error.code).toBe(132001);
      expect(error.error_data.details).toContain('financy_missing');
    });

    it('rejects an approved name in another language with 132001', async () => {
      const error = await rejected(template('financy_reply', ['x'], 'pt_BR'), 404);

      expect(error.error_data.details).toContain('approved in en');
    });

    it.each([
      ['too few', ['42.50 EUR']],
      ['too many', ['42.50 EUR', 'food', 'extra']],
    ])('rejects %s parameters with 132000', async (_case, parameters) => {
      const error = await rejected(template('financy_summary', parameters));

      expect(error.code).toBe(132000);
      expect(error.error_data.details).toContain('expected number of params (2)');
    });

    it.each([
      ['a line break', 'Saved\n3.50 EUR'],
      ['a tab', 'Saved\t3.50 EUR'],
      ['five spaces', 'Saved     3.50 EUR'],
    ])('rejects a parameter with %s with 132018', async (_case, parameter) => {
      const error = await rejected(template('financy_reply', [parameter]));

      expect(error.code).toBe(132018);
    });

    it('rejects a body over 1024 characters after filling in', async () => {
      const error = await rejected(template('financy_reply', ['x'.repeat(1000)]));

      expect(error.code).toBe(132005);
    });
  });

  describe('24-hour window', () => {
    it('rejects text to a user who never wrote with 131047', async () => {
      fake.reset();

      const error = await rejected({ type: 'text', text: { body: 'Hi' } });

      expect(error.code).toBe(131047);
      expect(error.message).toBe('(#131047) Re-engagement message');
    });

    it('rejects buttons one millisecond after the window closed', async () => {
      fake.userWrote(USER, clock - CUSTOMER_SERVICE_WINDOW_MS - 1);

      const error = await rejected(buttons(1));

      expect(error.code).toBe(131047);
    });

    it('accepts text at the last moment of the window', async () => {
      fake.userWrote(USER, new Date(clock - CUSTOMER_SERVICE_WINDOW_MS));

      const response = await send({ type: 'text', text: { body: 'Hi' } });

      expect(response.status).toBe(200);
    });

    it('accepts free-form messages when the window is off', async () => {
      const relaxed = await startFakeWhatsApp({ accessToken: ACCESS_TOKEN, enforceWindow: false });
      try {
        const response = await sendTextTo(relaxed, 'Hi');

        expect(response.status).toBe(200);
      } finally {
        await relaxed.close();
      }
    });
  });

  describe('read receipts', () => {
    it('records a read receipt', async () => {
      const response = await send({ status: 'read', message_id: 'wamid.IN01' });

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ success: true });
      expect(fake.reads()).toEqual([{ phoneNumberId: PHONE_NUMBER_ID, messageId: 'wamid.IN01', at: clock }]);
    });

    it('rejects a message id that is not a wamid with 131009', async () => {
      const error = await rejected({ status: 'read', message_id: '12345' });

      expect(error.code).toBe(131009);
    });

    it('rejects a status other than read', async () => {
      const error = await rejected({ status: 'delivered', message_id: 'wamid.IN01' });

      expect(error.code).toBe(131009);
    });
  });

  describe('media', () => {
    const bytes = Buffer.from('receipt image bytes');

    async function lookUp(mediaId: string) {
      const response = await request(`/v23.0/${mediaId}`);
      return response.body as {
        url: string;
        mime_type: string;
        sha256: string;
        file_size?: number;
        id: string;
      };
    }

    it('describes stored media', async () => {
      const stored = fake.addMedia({ bytes, mimeType: 'image/jpeg' });

      const media = await lookUp(stored.id);

      expect(media).toEqual({
        messaging_product: 'whatsapp',
        url: expect.stringContaining(`${fake.url}/whatsapp_business/attachments/?mid=${stored.id}`),
        mime_type: 'image/jpeg',
        sha256: stored.sha256,
        file_size: bytes.length,
        id: stored.id,
      });
    });

    it('serves the download to the bearer of the token', async () => {
      const stored = fake.addMedia({ bytes, mimeType: 'image/jpeg' });
      const { url } = await lookUp(stored.id);

      const withToken = await fetch(url, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });
      const withoutToken = await fetch(url);

      expect(withToken.status).toBe(200);
      expect(withToken.headers.get('content-type')).toBe('image/jpeg');
      expect(Buffer.from(await withToken.arrayBuffer()).equals(bytes)).toBe(true);
      expect(withoutToken.status).toBe(401);
      expect(await withoutToken.json()).toMatchObject({ error: { code: 190 } });
    });

    it('expires download URLs after five minutes', async () => {
      const stored = fake.addMedia({ bytes, mimeType: 'image/jpeg' });
      const { url } = await lookUp(stored.id);
      clock += 5 * 60 * 1000;

      const response = await fetch(url, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });

      expect(response.status).toBe(404);
    });

    it('answers an expired media id with code 100 and subcode 33', async () => {
      const stored = fake.addMedia({ bytes, mimeType: 'image/jpeg' });
      fake.expireMedia(stored.id);

      const response = await request(`/v23.0/${stored.id}`);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 100, error_subcode: 33 } });
    });

    it('announces another size and streams without Content-Length when asked', async () => {
      const stored = fake.addMedia({ bytes, mimeType: 'image/jpeg', fileSize: null, contentLength: false });
      const media = await lookUp(stored.id);

      const response = await fetch(media.url, { headers: { authorization: `Bearer ${ACCESS_TOKEN}` } });

      expect(media.file_size).toBeUndefined();
      expect(response.headers.get('content-length')).toBeNull();
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    });
  });

  describe('failure injection', () => {
    it('fails the next requests with a Graph API error and Retry-After', async () => {
      fake.failNext({ code: 131056, count: 2, retryAfter: 6 });

      const first = await send({ type: 'text', text: { body: 'Hi' } });
      const second = await send({ type: 'text', text: { body: 'Hi' } });
      const third = await send({ type: 'text', text: { body: 'Hi' } });

      expect([first.status, second.status, third.status]).toEqual([400, 400, 200]);
      expect(first.headers.get('retry-after')).toBe('6');
      expect((first.body as GraphErrorBody).error).toMatchObject({
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        type: 'OAuthException',
        code: 131056,
        error_data: { messaging_product: 'whatsapp' },
      });
      expect(fake.sent()).toHaveLength(1);
    });

    it('uses Meta status codes for auth and server errors', async () => {
      fake.failNext({ code: 190 });
      fake.failNext({ code: 131000 });

      const unauthorized = await send({ type: 'text', text: { body: 'Hi' } });
      const failed = await send({ type: 'text', text: { body: 'Hi' } });

      expect(unauthorized.status).toBe(401);
      expect(failed.status).toBe(500);
    });

    it('sends an HTML page without a code', async () => {
      fake.failNext({ status: 502 });

      const response = await send({ type: 'text', text: { body: 'Hi' } });

      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(String(response.body)).toContain('<html>');
    });

    it('fails only the named endpoint', async () => {
      const stored = fake.addMedia({ bytes: Buffer.from('x'), mimeType: 'image/png' });
      fake.failNext({ code: 131016, endpoint: 'media' });

      const message = await send({ type: 'text', text: { body: 'Hi' } });
      const media = await request(`/v23.0/${stored.id}`);

      expect(message.status).toBe(200);
      expect(media.status).toBe(503);
    });

    it('resets the connection', async () => {
      fake.failNext({ network: 'reset' });

      await expect(send({ type: 'text', text: { body: 'Hi' } })).rejects.toThrow();
    });

    it('rejects a count that is not a positive whole number', () => {
      expect(() => fake.failNext({ code: 130429, count: 0 })).toThrow(/count 0 is invalid/);
    });
  });

  describe('status webhooks', () => {
    const appSecret = 'local-app-secret';
    let receiver: Server;
    let received: Array<{ body: Buffer; signature: string | undefined }>;

    async function readBody(incoming: IncomingMessage): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) {
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    }

    beforeAll(async () => {
      received = [];
      receiver = createServer((incoming, response) => {
        void readBody(incoming).then((body) => {
          const signature = incoming.headers['x-hub-signature-256'];
          received.push({ body, signature: typeof signature === 'string' ? signature : undefined });
          response.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    });

    it('posts signed sent, delivered and read statuses in order', async () => {
      const port = (receiver.address() as AddressInfo).port;
      const notifying = await startFakeWhatsApp({
        accessToken: ACCESS_TOKEN,
        enforceWindow: false,
        statusWebhook: { url: `http://127.0.0.1:${port}/webhooks/whatsapp`, appSecret },
      });
      try {
        const response = await sendTextTo(notifying, 'Olá, café');
        const messageId = ((await response.json()) as { messages: Array<{ id: string }> }).messages[0]?.id;

        const deliveries = await notifying.flushWebhooks();

        expect(deliveries.map((delivery) => [delivery.status, delivery.response])).toEqual([
          ['sent', 200],
          ['delivered', 200],
          ['read', 200],
        ]);
        expect(received.map((post) => verifySignature(post.body, post.signature, appSecret))).toEqual([
          { ok: true },
          { ok: true },
          { ok: true },
        ]);
        const statuses = received.map(
          (post) => JSON.parse(post.body.toString('utf8')).entry[0].changes[0].value.statuses[0],
        );
        expect(statuses.map((status) => [status.id, status.status, status.recipient_id])).toEqual([
          [messageId, 'sent', USER],
          [messageId, 'delivered', USER],
          [messageId, 'read', USER],
        ]);
      } finally {
        await notifying.close();
      }
    });
  });

  describe('reset', () => {
    it('forgets messages, reads, windows and failures', async () => {
      await send({ type: 'text', text: { body: 'Hi' } });
      await send({ status: 'read', message_id: 'wamid.IN01' });
      fake.failNext({ code: 130429 });

      fake.reset();

      expect(fake.sent()).toEqual([]);
      expect(fake.reads()).toEqual([]);
      const afterReset = await rejected({ type: 'text', text: { body: 'Hi' } });
      expect(afterReset.code).toBe(131047);
    });
  });
});
