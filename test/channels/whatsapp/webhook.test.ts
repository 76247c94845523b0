import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createLocalSqsClient } from '../../../infra/local/sqs-client';
import {
  fifoIdOf,
  handleWhatsAppWebhook,
  MAX_ENVELOPE_BYTES,
  type WhatsAppWebhookDependencies,
} from '../../../lib/channels/whatsapp';
import { parseEnvelope, type WhatsAppEnvelope } from '../../../lib/inbound/envelope';
import { normalizeEnvelope } from '../../../lib/inbound/normalize';
import { METRICS } from '../../../lib/observability/metric-names';
import type { TraceAnnotations, Tracing } from '../../../lib/observability/tracing';
import { CapturingLogger } from '../../support/capturing-logger';
import { RecordingMetrics } from '../../unit/observability/recording-metrics';

const APP_SECRET = 'wa-app-secret-5d1e-do-not-log';
const ACCESS_TOKEN = 'wa-access-token-77c2-do-not-log';
const VERIFY_TOKEN = 'verify_me_123';
const QUEUE_URL = 'http://127.0.0.1:4566/000000000000/financy-inbound.fifo';
const NOW_MS = 1_717_600_800_000;
const REQUEST_ID = 'wa-request-1';
/** The phone number ids of the shared WhatsApp cases. */
const CASE_NUMBER = '200000000000002';
const SECOND_CASE_NUMBER = '200000000000009';
/** The phone number ids of the samples in events/whatsapp. */
const SAMPLE_NUMBERS = ['123456789012345', '123456789012346'];
const ROOT = path.resolve(__dirname, '..', '..', '..');
const CASES_DIRECTORY = path.join(ROOT, '..', 'shared', 'cases', 'inputs');

function readCase<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(path.join(CASES_DIRECTORY, name), 'utf8')) as T;
}

function readSample(name: string): string {
  return readFileSync(path.join(ROOT, 'events', 'whatsapp', name), 'utf8');
}

/** Signs bytes as Meta does: `sha256=` and the hex HMAC-SHA256 of the body with the app secret. */
function sign(body: Buffer | string, secret = APP_SECRET): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;

  return `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
}

interface EventOptions {
  method?: string;
  /** Signature header value, or `null` for no header. Default: the right signature of the body. */
  signature?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string> | null;
  base64?: boolean;
}

function whatsAppEvent(body: string | undefined, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const signature = options.signature === undefined ? sign(body ?? '') : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (signature !== null) {
    headers['x-hub-signature-256'] = signature;
  }

  return {
    version: '2.0',
    routeKey: `${method} /webhooks/whatsapp`,
    rawPath: '/webhooks/whatsapp',
    rawQueryString: '',
    headers,
    queryStringParameters: options.query === null ? undefined : options.query,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: '/webhooks/whatsapp',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: '',
      },
      requestId: REQUEST_ID,
      routeKey: `${method} /webhooks/whatsapp`,
      stage: '$default',
      time: '05/Jun/2024:15:20:00 +0000',
      timeEpoch: NOW_MS,
    },
    body: options.base64 && body !== undefined ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
  };
}

function handshakeEvent(query: Record<string, string> | null): APIGatewayProxyEventV2 {
  const event = whatsAppEvent(undefined, { method: 'GET', signature: null, query });
  // Hand-built events and some test tools pass null where API Gateway leaves the field out.
  return query === null ? { ...event, queryStringParameters: null as unknown as undefined } : event;
}

type BatchInput = { QueueUrl?: string; Entries?: SendMessageBatchRequestEntry[] };

/**
 * An SQS client that records every SendMessageBatch call and responds like SQS: every entry successful,
 * except those `failEntry` picks, and a thrown error on the calls `throwOnCall` picks.
 */
class RecordingSqs {
  readonly calls: BatchInput[] = [];
  failEntry: (entry: SendMessageBatchRequestEntry, call: number) => boolean = () => false;
  throwOnCall: (call: number) => boolean = () => false;

  async send(command: unknown): Promise<unknown> {
    if (!(command instanceof SendMessageBatchCommand)) {
      throw new Error(`RecordingSqs supports only SendMessageBatchCommand, got ${String(command)}`);
    }
    const call = this.calls.length;
    this.calls.push(command.input);
    if (this.throwOnCall(call)) {
      throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
    }
    const entries = command.input.Entries ?? [];

    return {
      Successful: entries
        .filter((entry) => !this.failEntry(entry, call))
        .map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
      Failed: entries
        .filter((entry) => this.failEntry(entry, call))
        .map((entry) => ({ Id: entry.Id, Code: 'InternalError', SenderFault: false })),
    };
  }

  entries(): SendMessageBatchRequestEntry[] {
    return this.calls.flatMap((call) => call.Entries ?? []);
  }

  envelopes(): WhatsAppEnvelope[] {
    return this.entries().map((entry) => parseEnvelope(entry.MessageBody ?? '') as WhatsAppEnvelope);
  }
}

interface Harness {
  dependencies: WhatsAppWebhookDependencies;
  sqs: RecordingSqs;
  lines: string[];
  metrics: RecordingMetrics;
  annotations: TraceAnnotations[];
}

function harness(
  options: { phoneNumberIds?: string[]; overrides?: Partial<WhatsAppWebhookDependencies> } = {},
): Harness {
  const sqs = new RecordingSqs();
  const lines: string[] = [];
  const metrics = new RecordingMetrics();
  const annotations: TraceAnnotations[] = [];
  const tracing: Tracing = {
    annotate: (values) => {
      annotations.push(values);
    },
    inSubsegment: (_name, operation) => operation(),
  };
  const dependencies: WhatsAppWebhookDependencies = {
    sqs: sqs as unknown as SQSClient,
    inboundQueueUrl: QUEUE_URL,
    loadSecrets: async () => ({
      accessToken: ACCESS_TOKEN,
      appSecret: APP_SECRET,
      verifyToken: VERIFY_TOKEN,
      phoneNumberIds: options.phoneNumberIds ?? [CASE_NUMBER, SECOND_CASE_NUMBER, ...SAMPLE_NUMBERS],
    }),
    maxBodyBytes: 1_048_576,
    logger: new CapturingLogger('whatsapp-webhook', lines),
    now: () => NOW_MS,
    metrics,
    tracing,
    ...options.overrides,
  };

  return { dependencies, sqs, lines, metrics, annotations };
}

function logged(lines: string[]): Array<Record<string, unknown>> {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function responseBody(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? 'null');
}

/** Builds a `messages` change for one phone number id. */
function messagesChange(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
      ...value,
    },
  };
}

function payloadOf(...changes: Array<Record<string, unknown>>): string {
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '100000000000001', changes }] });
}

function textMessage(id: string, body: string, from = '5511900000001'): Record<string, unknown> {
  return { from, id, timestamp: '1717600800', type: 'text', text: { body } };
}

describe('handleWhatsAppWebhook', () => {
  describe('subscription handshake', () => {
    const handshakes = readCase<{
      requests: Array<{
        label: string;
        queryStringParameters: Record<string, string> | null;
        expect: { status: number | string; body_exact?: string };
      }>;
      configured_verify_token: string;
    }>('WA-02.json');

    it('uses the configured token of the cases', () => {
      expect(handshakes.configured_verify_token).toBe(VERIFY_TOKEN);
    });

    it.each(handshakes.requests.map((request) => [request.label, request] as const))(
      'answers %s',
      async (_label, request) => {
        const { dependencies } = harness();

        const response = await handleWhatsAppWebhook(
          handshakeEvent(request.queryStringParameters),
          dependencies,
        );

        if (request.expect.status === 200) {
          expect(response.statusCode).toBe(200);
          expect(response.headers?.['content-type']).toBe('text/plain');
          expect(response.body).toBe(request.expect.body_exact);
        } else {
          expect(response.statusCode).toBe(403);
        }
      },
    );

    it('rejects absent query string', async () => {
      const { dependencies } = harness();

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(undefined, { method: 'GET', signature: null }),
        dependencies,
      );

      expect(response.statusCode).toBe(403);
    });

    it('rejects repeated challenge', async () => {
      const { dependencies } = harness();
      const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1,2' };

      const response = await handleWhatsAppWebhook(handshakeEvent(query), dependencies);

      expect(response.statusCode).toBe(403);
    });

    it('records verified and rejected outcomes', async () => {
      const { dependencies, metrics } = harness();
      const good = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '77' };

      await handleWhatsAppWebhook(handshakeEvent(good), dependencies);
      await handleWhatsAppWebhook(handshakeEvent({ ...good, 'hub.verify_token': 'nope' }), dependencies);

      expect(metrics.count(METRICS.webhookRequests, { channel: 'whatsapp', outcome: 'verified' })).toBe(1);
      expect(metrics.count(METRICS.webhookRejected, { channel: 'whatsapp', reason: 'subscription' })).toBe(1);
    });

    it('keeps verify tokens out of logs', async () => {
      const { dependencies, lines } = harness();
      const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess-token-1', 'hub.challenge': '5' };

      await handleWhatsAppWebhook(handshakeEvent(query), dependencies);
      await handleWhatsAppWebhook(
        handshakeEvent({ ...query, 'hub.verify_token': VERIFY_TOKEN }),
        dependencies,
      );

      expect(lines.join('\n')).not.toContain('guess-token-1');
      expect(lines.join('\n')).not.toContain(VERIFY_TOKEN);
    });

    it('returns 503 when secrets fail', async () => {
      const { dependencies } = harness({
        overrides: {
          loadSecrets: async () => {
            throw new Error('Secrets Manager timed out');
          },
        },
      });
      const query = { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '5' };

      const response = await handleWhatsAppWebhook(handshakeEvent(query), dependencies);

      expect(response.statusCode).toBe(503);
    });
  });

  describe('signature', () => {
    it('accepts literal UTF-8 body', async () => {
      const { dependencies, sqs } = harness();
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [textMessage('wamid.U1', 'farmácia 8,40 € 💸')] }),
      );

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      const [envelope] = sqs.envelopes();
      expect(envelope?.item).toMatchObject({
        kind: 'message',
        message: { text: { body: 'farmácia 8,40 € 💸' } },
      });
    });

    it('accepts escaped non-ASCII body', async () => {
      const { dependencies, sqs } = harness();
      // Meta escapes non-ASCII as \uXXXX and signs those bytes, so re-serializing would change them.
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [textMessage('wamid.U2', 'caf\u00e9')] }),
      ).replace('café', 'caf\\u00e9');

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(body).toContain('caf\\u00e9');
      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes()[0]?.item).toMatchObject({ message: { text: { body: 'café' } } });
    });

    it('accepts base64 body', async () => {
      const { dependencies, sqs } = harness();
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [textMessage('wamid.U3', 'pão 3,50 €')] }),
      );

      const response = await handleWhatsAppWebhook(whatsAppEvent(body, { base64: true }), dependencies);

      expect(response.statusCode).toBe(200);
      const [envelope] = sqs.envelopes();
      expect(envelope?.item).toMatchObject({ kind: 'message', message: { text: { body: 'pão 3,50 €' } } });
    });

    it.each([
      ['canonical', 'X-Hub-Signature-256'],
      ['upper-case', 'X-HUB-SIGNATURE-256'],
    ])('accepts %s header name', async (_case, name) => {
      const { dependencies } = harness();
      const body = readSample('text-expense.json');

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(body, { signature: null, headers: { [name]: sign(body) } }),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
    });

    const body = readSample('text-expense.json');
    it.each([
      ['missing', null],
      ['empty', ''],
      ['sha1 prefix', `sha1=${sign(body).slice(7)}`],
      ['comma-joined repeat', `${sign(body)},${sign(body)}`],
      ['other secret', sign(body, 'another-app-secret')],
      ['other body', sign(`${body} `)],
      ['re-serialized body', sign(JSON.stringify(JSON.parse(body)))],
    ])('returns 401 for %s signature', async (_case, signature) => {
      const { dependencies, sqs } = harness();

      const response = await handleWhatsAppWebhook(whatsAppEvent(body, { signature }), dependencies);

      expect(response.statusCode).toBe(401);
      expect(sqs.calls).toHaveLength(0);
    });

    it('returns 401 for base64 signed undecoded', async () => {
      const { dependencies, sqs } = harness();
      const encoded = Buffer.from(body, 'utf8').toString('base64');

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(body, { base64: true, signature: sign(encoded) }),
        dependencies,
      );

      expect(response.statusCode).toBe(401);
      expect(sqs.calls).toHaveLength(0);
    });

    it('records signature rejection', async () => {
      const { dependencies, metrics } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body, { signature: null }), dependencies);

      expect(metrics.count(METRICS.webhookRequests, { channel: 'whatsapp', outcome: 'rejected' })).toBe(1);
      expect(metrics.count(METRICS.webhookRejected, { channel: 'whatsapp', reason: 'signature' })).toBe(1);
    });

    it('keeps app secret and signature out of logs', async () => {
      const { dependencies, lines } = harness();
      const wrong = sign(body, 'another-app-secret');

      await handleWhatsAppWebhook(whatsAppEvent(body, { signature: wrong }), dependencies);
      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const text = lines.join('\n');
      expect(text).not.toContain(APP_SECRET);
      expect(text).not.toContain(ACCESS_TOKEN);
      expect(text).not.toContain(wrong.slice(7));
    });
  });

  describe('request checks', () => {
    it('returns 413 before checking signature', async () => {
      const { dependencies, sqs, metrics } = harness({ overrides: { maxBodyBytes: 1_024 } });
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [textMessage('wamid.B1', 'x'.repeat(2_000))] }),
      );

      const response = await handleWhatsAppWebhook(whatsAppEvent(body, { signature: null }), dependencies);

      expect(response.statusCode).toBe(413);
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookRejected, { channel: 'whatsapp', reason: 'body-size' })).toBe(1);
    });

    it('measures decoded base64 body', async () => {
      const { dependencies } = harness({ overrides: { maxBodyBytes: 1_024 } });
      // About 990 bytes decoded and 1,320 characters as base64, so only the decoded size fits.
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [textMessage('wamid.B2', 'y'.repeat(640))] }),
      );

      const response = await handleWhatsAppWebhook(whatsAppEvent(body, { base64: true }), dependencies);

      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1_024);
      expect(Buffer.from(body).toString('base64').length).toBeGreaterThan(1_024);
      expect(response.statusCode).toBe(200);
    });

    it.each([
      ['not JSON', '{"object":"whatsapp_business_account","entry":[', 'json'],
      ['a JSON array', '[1,2,3]', 'shape'],
      ['a JSON string', '"entry"', 'shape'],
      ['null', 'null', 'shape'],
      ['an object without entry', '{"object":"whatsapp_business_account"}', 'shape'],
      ['an entry object', '{"object":"whatsapp_business_account","entry":{"id":"1"}}', 'shape'],
      ['an empty body', '', 'json'],
    ])('returns 400 for %s', async (_case, body, reason) => {
      const { dependencies, sqs, metrics } = harness();

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(400);
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookRejected, { channel: 'whatsapp', reason })).toBe(1);
    });

    it.each(['page', 'instagram', undefined])('ignores object %s', async (object) => {
      const { dependencies, sqs, metrics } = harness();
      const body = JSON.stringify({ object, entry: [{ id: '1', changes: [] }] });

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookRequests, { channel: 'whatsapp', outcome: 'ignored' })).toBe(1);
    });

    it.each(['PUT', 'DELETE', 'HEAD', 'PATCH'])('returns 405 for %s', async (method) => {
      const { dependencies, sqs, metrics } = harness();

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(readSample('text-expense.json'), { method }),
        dependencies,
      );

      expect(response.statusCode).toBe(405);
      expect(response.headers?.allow).toBe('GET, POST');
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookRejected, { channel: 'whatsapp', reason: 'method' })).toBe(1);
    });

    it('returns 503 when secrets fail', async () => {
      const { dependencies, sqs, metrics } = harness({
        overrides: {
          loadSecrets: async () => {
            throw new Error('Secrets Manager timed out');
          },
        },
      });

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(readSample('text-expense.json')),
        dependencies,
      );

      expect(response.statusCode).toBe(503);
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookUnavailable, { channel: 'whatsapp' })).toBe(1);
    });

    it('returns 503 for empty app secret', async () => {
      const { dependencies, lines } = harness({
        overrides: {
          loadSecrets: async () => ({
            accessToken: ACCESS_TOKEN,
            appSecret: '',
            verifyToken: VERIFY_TOKEN,
            phoneNumberIds: [CASE_NUMBER],
          }),
        },
      });

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(readSample('text-expense.json')),
        dependencies,
      );

      expect(response.statusCode).toBe(503);
      expect(logged(lines).find((line) => line.level === 'ERROR')?.setting).toBe('appSecret');
    });
  });

  describe('several entries and changes', () => {
    const body = JSON.stringify(readCase('WA-07.json'));

    it('returns 200 once', async () => {
      const { dependencies } = harness();

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(responseBody(response)).toEqual({ ok: true, queued: 5 });
    });

    it('queues every message and status in one batch', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(sqs.calls).toHaveLength(1);
      expect(sqs.calls[0]?.QueueUrl).toBe(QUEUE_URL);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual([
        'wamid.IN0000000000000000071',
        'wamid.IN0000000000000000072',
        'status:wamid.OUT0000000000000000020:read',
        'status:wamid.UNKNOWN_TO_OUR_DB:sent',
        'wamid.IN0000000000000000073',
      ]);
    });

    it('groups by user wa_id', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(sqs.entries().map((entry) => entry.MessageGroupId)).toEqual([
        '5511900000001',
        '5511900000003',
        '5511900000001',
        '5511900000003',
        '351910000001',
      ]);
    });

    it('deduplicates by event id', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(sqs.entries().map((entry) => entry.MessageDeduplicationId)).toEqual(
        sqs.envelopes().map((envelope) => envelope.eventId),
      );
    });

    it('routes by phone number id', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(sqs.envelopes().map((envelope) => envelope.phoneNumberId)).toEqual([
        CASE_NUMBER,
        CASE_NUMBER,
        CASE_NUMBER,
        CASE_NUMBER,
        SECOND_CASE_NUMBER,
      ]);
    });

    it("attaches each sender's contact", async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const names = sqs
        .envelopes()
        .map((envelope) =>
          envelope.item.kind === 'message' ? envelope.item.contact?.profile?.name : 'status',
        );
      expect(names).toEqual(['Joao Teste', 'Lia Teste', 'status', 'status', 'Rui Teste']);
    });

    it('writes complete envelopes', async () => {
      const { dependencies, sqs } = harness();
      const status = readCase<{ entry: Array<{ changes: Array<{ value: { statuses: unknown[] } }> }> }>(
        'WA-07.json',
      ).entry[0]!.changes[1]!.value.statuses[0];

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(sqs.envelopes()[2]).toEqual({
        version: 1,
        channel: 'whatsapp',
        eventId: 'status:wamid.OUT0000000000000000020:read',
        phoneNumberId: CASE_NUMBER,
        receivedAtEpochMs: NOW_MS,
        correlationId: REQUEST_ID,
        item: { kind: 'status', status },
      });
    });

    it('queues bodies the processor reads', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const events = sqs.envelopes().map((envelope) => normalizeEnvelope(envelope));
      expect(events.map((event) => event.type)).toEqual([
        'text',
        'text',
        'delivery-status',
        'delivery-status',
        'text',
      ]);
      expect(events.map((event) => (event.type === 'text' ? event.text : undefined))).toEqual([
        'uber 32,50',
        'mercado 120',
        undefined,
        undefined,
        'farmácia 8,40',
      ]);
    });

    it('records one queued request', async () => {
      const { dependencies, metrics } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(metrics.points).toEqual([
        {
          name: METRICS.webhookRequests,
          dimensions: { channel: 'whatsapp', outcome: 'queued' },
          value: 1,
          unit: 'Count',
        },
      ]);
    });

    it('annotates trace with channel and request id', async () => {
      const { dependencies, annotations } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(annotations).toEqual([{ channel: 'whatsapp', correlationId: REQUEST_ID }]);
    });

    it('queues the multi-entry sample', async () => {
      const { dependencies, sqs } = harness();

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(readSample('multi-entry.json')),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.item.kind)).toEqual([
        'message',
        'message',
        'status',
        'message',
        'status',
      ]);
    });
  });

  describe('status-only delivery', () => {
    const body = JSON.stringify(readCase('WA-03.json'));

    it('queues the status', async () => {
      const { dependencies, sqs } = harness();

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.entries()).toEqual([
        expect.objectContaining({
          MessageGroupId: '5511900000001',
          MessageDeduplicationId: 'status:wamid.OUT0000000000000000001:delivered',
        }),
      ]);
    });

    it('becomes a delivery status event', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(normalizeEnvelope(sqs.envelopes()[0]!)).toMatchObject({
        type: 'delivery-status',
        messageId: 'wamid.OUT0000000000000000001',
        status: 'delivered',
        recipientId: '5511900000001',
      });
    });

    it('groups status without recipient by phone number id', async () => {
      const { dependencies, sqs } = harness();
      const status = {
        id: 'wamid.OUT9',
        status: 'failed',
        timestamp: '1717600900',
        errors: [{ code: 131026 }],
      };

      await handleWhatsAppWebhook(
        whatsAppEvent(payloadOf(messagesChange(CASE_NUMBER, { statuses: [status] }))),
        dependencies,
      );

      expect(sqs.entries()[0]?.MessageGroupId).toBe(CASE_NUMBER);
    });
  });

  describe('unsupported message types', () => {
    it('queues unsupported and unknown messages', async () => {
      const { dependencies, sqs } = harness();

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(JSON.stringify(readCase('WA-05.json'))),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual([
        'wamid.IN0000000000000000051',
        'wamid.IN0000000000000000052',
      ]);
      expect(sqs.envelopes().map((envelope) => normalizeEnvelope(envelope))).toEqual([
        expect.objectContaining({ type: 'media', mediaKind: 'other' }),
        expect.objectContaining({ type: 'media', mediaKind: 'other' }),
      ]);
    });

    it('queues interactive replies and reactions', async () => {
      const { dependencies, sqs } = harness();
      const { messages } = readCase<{ messages: Array<Record<string, unknown>> }>('WA-06.json');

      for (const message of messages) {
        const response = await handleWhatsAppWebhook(
          whatsAppEvent(payloadOf(messagesChange(CASE_NUMBER, { messages: [message] }))),
          dependencies,
        );
        expect(response.statusCode).toBe(200);
      }

      expect(sqs.envelopes().map((envelope) => normalizeEnvelope(envelope).type)).toEqual([
        'action',
        'action',
        'ignored',
        'ignored',
      ]);
    });
  });

  describe('phone number routing', () => {
    const body = JSON.stringify(readCase('WA-07.json'));

    it('ignores items for another number', async () => {
      const { dependencies, sqs } = harness({ phoneNumberIds: [CASE_NUMBER] });

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).not.toContain(
        'wamid.IN0000000000000000073',
      );
      expect(sqs.envelopes()).toHaveLength(4);
    });

    it('logs foreign number id and count', async () => {
      const { dependencies, lines } = harness({ phoneNumberIds: [CASE_NUMBER] });

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const line = logged(lines).find((entry) => entry.phoneNumberIds !== undefined && entry.items === 1);
      expect(line).toMatchObject({
        level: 'INFO',
        items: 1,
        phoneNumberIds: [SECOND_CASE_NUMBER],
        itemIds: ['wamid.IN0000000000000000073'],
      });
    });

    it('calls no SQS when nothing is ours', async () => {
      const { dependencies, sqs, metrics } = harness({ phoneNumberIds: ['999999999999999'] });

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.calls).toHaveLength(0);
      expect(metrics.count(METRICS.webhookRequests, { channel: 'whatsapp', outcome: 'ignored' })).toBe(1);
    });
  });

  describe('malformed parts', () => {
    const good = textMessage('wamid.GOOD1', 'lunch 12');
    const goodStatus = {
      id: 'wamid.OUT1',
      status: 'read',
      timestamp: '1717600900',
      recipient_id: '5511900000001',
    };

    it.each([
      ['message without id', { ...good, id: undefined }],
      ['numeric id', { ...good, id: 42 }],
      ['empty id', { ...good, id: '' }],
      ['numeric from', { ...good, from: 5511900000001 }],
      ['numeric timestamp', { ...good, timestamp: 1717600800 }],
      ['missing type', { ...good, type: undefined }],
      ['null image', { ...good, type: 'image', image: null }],
      ['string text', { ...good, text: 'lunch 12' }],
      ['errors object', { ...good, errors: { code: 1 } }],
      ['null message', null],
      ['string message', 'wamid.X'],
    ])('skips %s among good items', async (_case, bad) => {
      const { dependencies, sqs } = harness();
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [good, bad, textMessage('wamid.GOOD2', 'taxi 9')] }),
      );

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual(['wamid.GOOD1', 'wamid.GOOD2']);
    });

    it.each([
      ['status without id', { ...goodStatus, id: undefined }],
      ['numeric recipient', { ...goodStatus, recipient_id: 5511900000001 }],
      ['missing status', { ...goodStatus, status: undefined }],
      ['errors string', { ...goodStatus, errors: 'failed' }],
    ])('skips %s among good items', async (_case, bad) => {
      const { dependencies, sqs } = harness();
      const body = payloadOf(messagesChange(CASE_NUMBER, { messages: [good], statuses: [bad, goodStatus] }));

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual([
        'wamid.GOOD1',
        'status:wamid.OUT1:read',
      ]);
    });

    it('logs path and problem of skipped item', async () => {
      const { dependencies, lines } = harness();
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: [good, { ...good, id: 'wamid.BAD', from: 7 }] }),
      );

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const warning = logged(lines).find((line) => line.level === 'WARN');
      expect(warning).toMatchObject({
        parts: 1,
        skipped: [
          {
            path: 'entry[0].changes[0].value.messages[1]',
            problem: 'from must be a string of 1 to 64 characters',
            phoneNumberId: CASE_NUMBER,
            itemId: 'wamid.BAD',
          },
        ],
      });
    });

    it('skips broken entries and changes', async () => {
      const { dependencies, sqs } = harness();
      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          null,
          { id: '1', changes: 'messages' },
          {
            id: '2',
            changes: [
              7,
              { field: 'messages', value: null },
              { field: 'messages', value: { metadata: {} } },
              { field: 'messages', value: { metadata: { phone_number_id: CASE_NUMBER }, messages: {} } },
              messagesChange(CASE_NUMBER, { messages: [good] }),
            ],
          },
        ],
      });

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual(['wamid.GOOD1']);
    });

    it('ignores other change fields', async () => {
      const { dependencies, sqs, lines } = harness();
      const body = payloadOf({ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } });

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.calls).toHaveLength(0);
      expect(logged(lines).find((line) => line.fields !== undefined)?.fields).toEqual(['account_update']);
    });

    it('skips contact with broken profile', async () => {
      const { dependencies, sqs } = harness();
      const body = payloadOf(
        messagesChange(CASE_NUMBER, {
          contacts: [{ wa_id: '5511900000001', profile: 'Joao' }],
          messages: [good],
        }),
      );

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const [envelope] = sqs.envelopes();
      expect(envelope?.item).toEqual({ kind: 'message', message: good });
    });
  });

  describe('batching', () => {
    function manyMessages(count: number): string {
      const messages = Array.from({ length: count }, (_, index) =>
        textMessage(`wamid.M${index}`, `coffee ${index}`),
      );

      return payloadOf(messagesChange(CASE_NUMBER, { messages }));
    }

    it('sends at most ten entries a call', async () => {
      const { dependencies, sqs } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(manyMessages(23)), dependencies);

      expect(sqs.calls.map((call) => call.Entries?.length)).toEqual([10, 10, 3]);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual(
        Array.from({ length: 23 }, (_, index) => `wamid.M${index}`),
      );
    });

    it('keeps batches under one MiB', async () => {
      const { dependencies, sqs } = harness({ overrides: { maxBodyBytes: 4_000_000 } });
      const messages = Array.from({ length: 6 }, (_, index) =>
        textMessage(`wamid.L${index}`, 'a'.repeat(200_000)),
      );

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(payloadOf(messagesChange(CASE_NUMBER, { messages }))),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
      expect(sqs.calls.map((call) => call.Entries?.length)).toEqual([5, 1]);
      for (const call of sqs.calls) {
        const bytes = (call.Entries ?? []).reduce(
          (sum, entry) => sum + Buffer.byteLength(entry.MessageBody!),
          0,
        );
        expect(bytes).toBeLessThanOrEqual(1_048_576);
      }
    });

    it('skips envelope larger than SQS takes', async () => {
      const { dependencies, sqs, lines } = harness();
      const huge = textMessage('wamid.HUGE', 'é'.repeat(50_000));

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(
          payloadOf(messagesChange(CASE_NUMBER, { messages: [huge, textMessage('wamid.S1', 'tea 2')] })),
        ),
        dependencies,
      );

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual(['wamid.S1']);
      expect(logged(lines).find((line) => line.level === 'ERROR')).toMatchObject({
        skipped: [{ eventId: 'wamid.HUGE', reason: 'too-large' }],
        maxEnvelopeBytes: MAX_ENVELOPE_BYTES,
      });
    });

    it('skips envelope too deep to serialize', async () => {
      const { dependencies, sqs } = harness({ overrides: { maxBodyBytes: 4_000_000 } });
      const depth = 200_000;
      const deep = JSON.stringify(textMessage('wamid.DEEP', 'x')).replace(
        /}$/,
        `,"referral":{"nest":${'['.repeat(depth)}1${']'.repeat(depth)}}}`,
      );
      const body = payloadOf(
        messagesChange(CASE_NUMBER, { messages: ['DEEP', textMessage('wamid.S2', 'tea 3')] }),
      ).replace('"DEEP"', deep);

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(200);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual(['wamid.S2']);
    });

    it('hashes ids SQS would reject', async () => {
      const { dependencies, sqs } = harness();
      const longId = `wamid.${'A'.repeat(150)}`;
      const body = payloadOf(
        messagesChange(CASE_NUMBER, {
          messages: [textMessage(longId, 'a'), textMessage('wamid.with space', 'b', 'wa id é')],
        }),
      );

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const [first, second] = sqs.entries();
      expect(first?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
      expect(second?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
      expect(second?.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
      expect(sqs.envelopes().map((envelope) => envelope.eventId)).toEqual([longId, 'wamid.with space']);
    });
  });

  describe('queue failures', () => {
    const body = JSON.stringify(readCase('WA-07.json'));

    it('returns 500 on partial batch failure', async () => {
      const { dependencies, sqs, metrics } = harness();
      sqs.failEntry = (entry) => entry.Id === 'item-2';

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(500);
      expect(responseBody(response)).toEqual({ error: 'Temporarily unavailable.' });
      expect(metrics.count(METRICS.webhookUnavailable, { channel: 'whatsapp' })).toBe(1);
    });

    it('logs failed and queued counts', async () => {
      const { dependencies, sqs, lines } = harness();
      sqs.failEntry = (entry) => entry.Id === 'item-2';

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(logged(lines).find((line) => line.level === 'ERROR')).toMatchObject({
        queued: 4,
        failed: 1,
        notSent: 0,
        failedItems: [{ eventId: 'status:wamid.OUT0000000000000000020:read', code: 'InternalError' }],
      });
    });

    it('returns 500 when SQS throws', async () => {
      const { dependencies, sqs } = harness();
      sqs.throwOnCall = () => true;

      const response = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(response.statusCode).toBe(500);
    });

    it('stops after first failed batch', async () => {
      const { dependencies, sqs, lines } = harness();
      sqs.throwOnCall = (call) => call === 1;
      const messages = Array.from({ length: 25 }, (_, index) =>
        textMessage(`wamid.F${index}`, `tea ${index}`),
      );

      const response = await handleWhatsAppWebhook(
        whatsAppEvent(payloadOf(messagesChange(CASE_NUMBER, { messages }))),
        dependencies,
      );

      expect(response.statusCode).toBe(500);
      expect(sqs.calls).toHaveLength(2);
      expect(logged(lines).find((line) => line.level === 'ERROR')).toMatchObject({
        queued: 10,
        failed: 10,
        notSent: 5,
      });
    });

    it('resends same ids on retry', async () => {
      const { dependencies, sqs } = harness();
      sqs.failEntry = (entry, call) => call === 0 && entry.Id === 'item-0';

      const first = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);
      const second = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect([first.statusCode, second.statusCode]).toEqual([500, 200]);
      const [firstCall, secondCall] = sqs.calls;
      expect(secondCall?.Entries?.map((entry) => entry.MessageDeduplicationId)).toEqual(
        firstCall?.Entries?.map((entry) => entry.MessageDeduplicationId),
      );
    });
  });

  describe('logging', () => {
    const body = JSON.stringify(readCase('WA-07.json'));

    it('keeps message text out of logs', async () => {
      const { dependencies, lines } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const text = lines.join('\n');
      expect(text).not.toContain('uber');
      expect(text).not.toContain('mercado');
      expect(text).not.toContain('Joao');
    });

    it('logs wa_id at debug only', async () => {
      const { dependencies, lines } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      const entries = logged(lines);
      const withWaId = entries.filter((line) => JSON.stringify(line).includes('5511900000001'));
      expect(withWaId.map((line) => line.level)).toEqual(['DEBUG']);
    });

    it('logs queued ids and counts', async () => {
      const { dependencies, lines } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

      expect(logged(lines).find((line) => line.message === 'Queued WhatsApp items')).toMatchObject({
        queued: 5,
        messages: 3,
        statuses: 2,
        phoneNumberIds: [CASE_NUMBER, SECOND_CASE_NUMBER],
        eventIds: expect.arrayContaining(['wamid.IN0000000000000000073']),
        correlationId: REQUEST_ID,
      });
    });

    it('removes correlation id after request', async () => {
      const { dependencies, lines } = harness();

      await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);
      dependencies.logger.info('after');

      expect(logged(lines).at(-1)?.correlationId).toBeUndefined();
    });
  });
});

describe('fifoIdOf', () => {
  it.each([
    ['wamid', 'wamid.HBgLMTU1NTAwMDAwMDAVAgASGBQzQUZGRjQ5NjZBQjE3MkQ0NjlFRgA='],
    ['status id', 'status:wamid.OUT1:delivered'],
    ['punctuation', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'],
    ['128 characters', 'a'.repeat(128)],
  ])('keeps valid %s', (_case, value) => {
    expect(fifoIdOf(value)).toBe(value);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'a'.repeat(129)],
    ['space', 'a b'],
    ['non-ASCII', 'é'],
    ['newline', 'a\nb'],
  ])('hashes %s', (_case, value) => {
    expect(fifoIdOf(value)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the same value the same way', () => {
    expect(fifoIdOf('a b')).toBe(fifoIdOf('a b'));
    expect(fifoIdOf('a b')).not.toBe(fifoIdOf('a  b'));
  });
});

// Against the fauxqs emulator that the jest global setup starts; FINANCY_UNIT_ONLY=1 skips it.
const describeWithSqs = process.env.AWS_ENDPOINT_URL_SQS === undefined ? describe.skip : describe;

describeWithSqs('handleWhatsAppWebhook with SQS emulator', () => {
  let sqs: SQSClient;
  let queueUrl: string;

  beforeAll(async () => {
    sqs = createLocalSqsClient();
    const created = await sqs.send(
      new CreateQueueCommand({
        QueueName: `whatsapp-webhook-${process.pid}-${Date.now()}.fifo`,
        Attributes: { FifoQueue: 'true' },
      }),
    );
    queueUrl = created.QueueUrl!;
  });

  afterAll(async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    sqs.destroy();
  });

  /** Receives and deletes every message on the queue, returning its FIFO ids and event id. */
  async function receiveAll(): Promise<Array<{ group?: string; deduplication?: string; eventId: string }>> {
    const stored: Array<{ group?: string; deduplication?: string; eventId: string }> = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) {
        break;
      }
      for (const message of messages) {
        stored.push({
          group: message.Attributes?.MessageGroupId,
          deduplication: message.Attributes?.MessageDeduplicationId,
          eventId: (parseEnvelope(message.Body ?? '') as WhatsAppEnvelope).eventId,
        });
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }

    return stored;
  }

  it('queues each item once across retries', async () => {
    const { dependencies } = harness({ overrides: { sqs, inboundQueueUrl: queueUrl } });
    const body = JSON.stringify(readCase('WA-07.json'));

    const first = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);
    const second = await handleWhatsAppWebhook(whatsAppEvent(body), dependencies);

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const stored = await receiveAll();
    expect(stored).toHaveLength(5);
    expect(stored).toEqual(
      expect.arrayContaining([
        {
          group: '5511900000001',
          deduplication: 'wamid.IN0000000000000000071',
          eventId: 'wamid.IN0000000000000000071',
        },
        {
          group: '5511900000003',
          deduplication: 'status:wamid.UNKNOWN_TO_OUR_DB:sent',
          eventId: 'status:wamid.UNKNOWN_TO_OUR_DB:sent',
        },
        {
          group: '351910000001',
          deduplication: 'wamid.IN0000000000000000073',
          eventId: 'wamid.IN0000000000000000073',
        },
      ]),
    );
  });
});
