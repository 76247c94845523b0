import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Update } from '@grammyjs/types';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handleTelegramWebhook,
  TELEGRAM_SECRET_HEADER,
  type TelegramWebhookDependencies,
} from '../../../../lib/channels/telegram/webhook';
import { CapturingLogger } from '../../../support/capturing-logger';
import { messageUpdate, sampleUpdate } from './samples';

const SECRET = 'wh-secret-7f3a9c1e-do-not-log';
const QUEUE_URL = 'http://127.0.0.1:4566/000000000000/financy-inbound.fifo';
const NOW_MS = 1_717_400_123_456;
const TELEGRAM_IP = '149.154.167.220';
const OUTSIDE_IP = '203.0.113.9';
/** Message text that must never reach a log line. */
const PRIVATE_TEXT = 'dinner with Marta at Cantinho Secreto 48.30 EUR';

const sqsMock = mockClient(SQSClient);

interface Harness {
  dependencies: TelegramWebhookDependencies;
  lines: string[];
  secretLoads: () => number;
}

function harness(overrides: Partial<TelegramWebhookDependencies> = {}): Harness {
  const lines: string[] = [];
  let loads = 0;
  const dependencies: TelegramWebhookDependencies = {
    sqs: new SQSClient({ region: 'us-east-1' }),
    inboundQueueUrl: QUEUE_URL,
    loadSecrets: async () => {
      loads += 1;
      return { botToken: '123456:bot-token', webhookSecret: SECRET };
    },
    checkSourceIp: false,
    maxBodyBytes: 1_048_576,
    logger: new CapturingLogger('telegram-webhook', lines),
    now: () => NOW_MS,
    ...overrides,
  };

  return { dependencies, lines, secretLoads: () => loads };
}

interface EventOptions {
  headers?: Record<string, string>;
  sourceIp?: string;
  base64?: boolean;
}

function webhookEvent(body: string | undefined, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const headers = options.headers ?? { 'x-telegram-bot-api-secret-token': SECRET };

  return {
    version: '2.0',
    routeKey: 'POST /webhooks/telegram',
    rawPath: '/webhooks/telegram',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: 'POST',
        path: '/webhooks/telegram',
        protocol: 'HTTP/1.1',
        sourceIp: options.sourceIp ?? TELEGRAM_IP,
        userAgent: '',
      },
      requestId: 'request-1',
      routeKey: 'POST /webhooks/telegram',
      stage: '$default',
      time: '03/Jun/2024:07:33:20 +0000',
      timeEpoch: NOW_MS,
    },
    body: options.base64 && body !== undefined ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}

function privateUpdate(updateId = 700): Update {
  return messageUpdate(updateId, { text: PRIVATE_TEXT });
}

function responseBody(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? 'null');
}

function sentInputs() {
  return sqsMock.commandCalls(SendMessageCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

afterAll(() => {
  sqsMock.restore();
});

describe('handleTelegramWebhook', () => {
  describe('queued update', () => {
    it('returns 200', async () => {
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(
        webhookEvent(JSON.stringify(privateUpdate())),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
    });

    it('sends one message', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(privateUpdate())), dependencies);

      expect(sentInputs()).toHaveLength(1);
    });

    it('sends to inbound queue', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(privateUpdate())), dependencies);

      expect(sentInputs()[0]?.QueueUrl).toBe(QUEUE_URL);
    });

    it('groups by chat id', async () => {
      const { dependencies } = harness();
      const update = messageUpdate(701, { chat: { id: -1009876543210, type: 'supergroup', title: 'Flat' } });

      await handleTelegramWebhook(webhookEvent(JSON.stringify(update)), dependencies);

      expect(sentInputs()[0]?.MessageGroupId).toBe('-1009876543210');
    });

    it('deduplicates by update_id', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(privateUpdate(702))), dependencies);

      expect(sentInputs()[0]?.MessageDeduplicationId).toBe('702');
    });

    it('wraps update in envelope', async () => {
      const { dependencies } = harness();
      const update = privateUpdate(703);

      await handleTelegramWebhook(webhookEvent(JSON.stringify(update)), dependencies);

      expect(JSON.parse(sentInputs()[0]?.MessageBody ?? '')).toEqual({
        version: 1,
        channel: 'telegram',
        updateId: 703,
        receivedAtEpochMs: NOW_MS,
        correlationId: 'request-1',
        update,
      });
    });

    it('groups inline button by sender', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(sampleUpdate(500000201))), dependencies);

      expect(sentInputs()[0]?.MessageGroupId).toBe('11110001');
    });

    it('decodes base64 body', async () => {
      const { dependencies } = harness();
      const update = messageUpdate(704, { text: 'pão de queijo 3,50 € 🧀' });

      await handleTelegramWebhook(webhookEvent(JSON.stringify(update), { base64: true }), dependencies);

      expect(JSON.parse(sentInputs()[0]?.MessageBody ?? '').update).toEqual(update);
    });
  });

  describe('secret token', () => {
    it.each([
      ['lower-case', 'x-telegram-bot-api-secret-token'],
      ['canonical', TELEGRAM_SECRET_HEADER],
      ['upper-case', 'X-TELEGRAM-BOT-API-SECRET-TOKEN'],
    ])('accepts %s header name', async (_case, name) => {
      const { dependencies } = harness();
      const event = webhookEvent(JSON.stringify(privateUpdate()), { headers: { [name]: SECRET } });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(200);
    });

    it.each([
      ['missing', {}],
      ['wrong', { 'x-telegram-bot-api-secret-token': 'wh-secret-7f3a9c1e-do-not-loG' }],
      ['empty', { 'x-telegram-bot-api-secret-token': '' }],
      ['prefix of right', { 'x-telegram-bot-api-secret-token': SECRET.slice(0, -1) }],
      ['in other header', { authorization: SECRET }],
    ])('returns 401 for %s secret', async (_case, headers) => {
      const { dependencies } = harness();
      const event = webhookEvent(JSON.stringify(privateUpdate()), { headers });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(401);
    });

    it('queues nothing on 401', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(
        webhookEvent(JSON.stringify(privateUpdate()), { headers: {} }),
        dependencies,
      );

      expect(sentInputs()).toHaveLength(0);
    });

    it('checks secret before body size', async () => {
      const { dependencies } = harness({ maxBodyBytes: 10 });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { headers: {} });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(401);
    });
  });

  describe('source address', () => {
    it('returns 403 outside networks', async () => {
      const { dependencies } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { sourceIp: OUTSIDE_IP });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(403);
    });

    it('queues nothing on 403', async () => {
      const { dependencies } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { sourceIp: OUTSIDE_IP });

      await handleTelegramWebhook(event, dependencies);

      expect(sentInputs()).toHaveLength(0);
    });

    it('rejects before loading secrets', async () => {
      const { dependencies, secretLoads } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { sourceIp: OUTSIDE_IP });

      await handleTelegramWebhook(event, dependencies);

      expect(secretLoads()).toBe(0);
    });

    it.each([TELEGRAM_IP, '91.108.6.77', '::ffff:149.154.161.5'])('returns 200 from %s', async (sourceIp) => {
      const { dependencies } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { sourceIp });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(200);
    });

    it('ignores X-Forwarded-For inside networks', async () => {
      const { dependencies } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), {
        sourceIp: OUTSIDE_IP,
        headers: { 'x-telegram-bot-api-secret-token': SECRET, 'x-forwarded-for': TELEGRAM_IP },
      });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(403);
    });

    it('ignores X-Forwarded-For outside networks', async () => {
      const { dependencies } = harness({ checkSourceIp: true });
      const event = webhookEvent(JSON.stringify(privateUpdate()), {
        sourceIp: TELEGRAM_IP,
        headers: { 'x-telegram-bot-api-secret-token': SECRET, 'x-forwarded-for': OUTSIDE_IP },
      });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(200);
    });

    it('skips check when disabled', async () => {
      const { dependencies } = harness({ checkSourceIp: false });
      const event = webhookEvent(JSON.stringify(privateUpdate()), { sourceIp: '127.0.0.1' });

      const response = await handleTelegramWebhook(event, dependencies);

      expect(response.statusCode).toBe(200);
    });
  });

  describe('body size', () => {
    const maxBodyBytes = 2_048;
    const multiByteBody = JSON.stringify(messageUpdate(710, { text: 'é'.repeat(1_000) }));

    it('builds body under limit in characters', () => {
      expect(multiByteBody.length).toBeLessThanOrEqual(maxBodyBytes);
    });

    it('builds body over limit in bytes', () => {
      expect(Buffer.byteLength(multiByteBody, 'utf8')).toBeGreaterThan(maxBodyBytes);
    });

    it('returns 413 for multi-byte body', async () => {
      const { dependencies } = harness({ maxBodyBytes });

      const response = await handleTelegramWebhook(webhookEvent(multiByteBody), dependencies);

      expect(response.statusCode).toBe(413);
    });

    it('returns 413 for base64 body', async () => {
      const { dependencies } = harness({ maxBodyBytes });

      const response = await handleTelegramWebhook(
        webhookEvent(multiByteBody, { base64: true }),
        dependencies,
      );

      expect(response.statusCode).toBe(413);
    });

    it('queues nothing on 413', async () => {
      const { dependencies } = harness({ maxBodyBytes });

      await handleTelegramWebhook(webhookEvent(multiByteBody), dependencies);

      expect(sentInputs()).toHaveLength(0);
    });

    it('accepts body at exact limit', async () => {
      const { dependencies } = harness({ maxBodyBytes: Buffer.byteLength(multiByteBody, 'utf8') });

      const response = await handleTelegramWebhook(webhookEvent(multiByteBody), dependencies);

      expect(response.statusCode).toBe(200);
    });

    it('rejects one byte over limit', async () => {
      const { dependencies } = harness({ maxBodyBytes: Buffer.byteLength(multiByteBody, 'utf8') - 1 });

      const response = await handleTelegramWebhook(webhookEvent(multiByteBody), dependencies);

      expect(response.statusCode).toBe(413);
    });
  });

  describe('body shape', () => {
    it.each([
      ['plain text', 'hello'],
      ['truncated JSON', '{"update_id": 1, "message": {'],
      ['empty body', ''],
      ['missing body', undefined],
    ])('returns 400 for %s', async (_case, body) => {
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(webhookEvent(body), dependencies);

      expect(response.statusCode).toBe(400);
    });

    it.each([
      ['array', '[]'],
      ['number', '42'],
      ['no update_id', '{"message":{"message_id":1}}'],
      [
        'two update types',
        JSON.stringify({ ...privateUpdate(711), edited_message: privateUpdate(711).message }),
      ],
      ['text as number', JSON.stringify(messageUpdate(712, { text: 12 }))],
    ])('returns 400 for %s', async (_case, body) => {
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(webhookEvent(body), dependencies);

      expect(response.statusCode).toBe(400);
    });

    it('explains shape errors', async () => {
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(webhookEvent('{"message":{}}'), dependencies);

      expect(responseBody(response)).toEqual({
        error: 'Not a Telegram update: update_id must be a non-negative integer.',
      });
    });

    it('queues nothing on 400', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent('not json'), dependencies);

      expect(sentInputs()).toHaveLength(0);
    });
  });

  describe('ignored updates', () => {
    it.each([
      ['channel post', JSON.stringify(sampleUpdate(500000102)), 'channel_post'],
      ['poll', JSON.stringify({ update_id: 720, poll: { id: 'p1' } }), 'poll'],
      ['future type', JSON.stringify({ update_id: 721, brand_new_update: { id: 1 } }), 'unknown'],
    ])('acknowledges %s', async (_case, body, type) => {
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(webhookEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(responseBody(response)).toEqual({ ok: true, ignored: type });
    });

    it('sends nothing for ignored', async () => {
      const { dependencies } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(sampleUpdate(500000102))), dependencies);

      expect(sentInputs()).toHaveLength(0);
    });
  });

  describe('failures', () => {
    it('returns 503 when SQS rejects', async () => {
      sqsMock.on(SendMessageCommand).rejects(new Error('ServiceUnavailable: try again'));
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(
        webhookEvent(JSON.stringify(privateUpdate())),
        dependencies,
      );

      expect(response.statusCode).toBe(503);
    });

    it('returns 503 when secrets fail', async () => {
      const { dependencies } = harness({
        loadSecrets: async () => {
          throw new Error('Secrets Manager timed out');
        },
      });

      const response = await handleTelegramWebhook(
        webhookEvent(JSON.stringify(privateUpdate())),
        dependencies,
      );

      expect(response.statusCode).toBe(503);
    });

    it('queues nothing without secrets', async () => {
      const { dependencies } = harness({
        loadSecrets: async () => {
          throw new Error('Secrets Manager timed out');
        },
      });

      await handleTelegramWebhook(webhookEvent(JSON.stringify(privateUpdate())), dependencies);

      expect(sentInputs()).toHaveLength(0);
    });

    it('keeps 503 body generic', async () => {
      sqsMock.on(SendMessageCommand).rejects(new Error('AccessDenied on arn:aws:sqs:eu-west-1:123:q.fifo'));
      const { dependencies } = harness();

      const response = await handleTelegramWebhook(
        webhookEvent(JSON.stringify(privateUpdate())),
        dependencies,
      );

      expect(responseBody(response)).toEqual({ error: 'Temporarily unavailable.' });
    });

    it('logs the SQS error', async () => {
      sqsMock.on(SendMessageCommand).rejects(new Error('ServiceUnavailable: try again'));
      const { dependencies, lines } = harness();

      await handleTelegramWebhook(webhookEvent(JSON.stringify(privateUpdate())), dependencies);

      expect(lines.some((line) => line.includes('ServiceUnavailable: try again'))).toBe(true);
    });
  });

  describe('logging', () => {
    const body = JSON.stringify(privateUpdate(730));
    const scenarios: Array<[string, Partial<TelegramWebhookDependencies>, APIGatewayProxyEventV2]> = [
      ['queued', {}, webhookEvent(body)],
      [
        'wrong secret',
        {},
        webhookEvent(body, { headers: { 'x-telegram-bot-api-secret-token': `${SECRET}x` } }),
      ],
      ['outside source', { checkSourceIp: true }, webhookEvent(body, { sourceIp: OUTSIDE_IP })],
      ['too large', { maxBodyBytes: 100 }, webhookEvent(body)],
      [
        'invalid shape',
        {},
        webhookEvent(JSON.stringify(messageUpdate(731, { text: PRIVATE_TEXT, date: 'x' }))),
      ],
      ['invalid JSON', {}, webhookEvent(`${body.slice(0, -1)}`)],
    ];

    it.each(scenarios)('writes a line when %s', async (_case, overrides, event) => {
      const { dependencies, lines } = harness(overrides);

      await handleTelegramWebhook(event, dependencies);

      expect(lines.length).toBeGreaterThan(0);
    });

    it.each(scenarios)('hides secret when %s', async (_case, overrides, event) => {
      const { dependencies, lines } = harness(overrides);

      await handleTelegramWebhook(event, dependencies);

      expect(lines.filter((line) => line.includes(SECRET))).toEqual([]);
    });

    it.each(scenarios)('hides message text when %s', async (_case, overrides, event) => {
      const { dependencies, lines } = harness(overrides);

      await handleTelegramWebhook(event, dependencies);

      expect(lines.filter((line) => line.includes('Cantinho Secreto'))).toEqual([]);
    });

    it('hides secret when SQS fails', async () => {
      sqsMock.on(SendMessageCommand).rejects(new Error('ServiceUnavailable'));
      const { dependencies, lines } = harness();

      await handleTelegramWebhook(webhookEvent(body), dependencies);

      expect(lines.filter((line) => line.includes(SECRET) || line.includes('Cantinho Secreto'))).toEqual([]);
    });

    it('logs update id when queued', async () => {
      const { dependencies, lines } = harness();

      await handleTelegramWebhook(webhookEvent(body), dependencies);

      expect(lines.some((line) => JSON.parse(line).updateId === 730)).toBe(true);
    });
  });
});
