import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createWhatsAppWebhookHandler,
  WHATSAPP_WEBHOOK_SERVICE,
} from '../../../functions/whatsapp-webhook/create-handler';
import { loadWhatsAppWebhookConfig } from '../../../lib/config';
import { parseEnvelope } from '../../../lib/inbound/envelope';
import { CapturingLogger } from '../../support/capturing-logger';
import { FakeTracer } from '../observability/fake-tracer';
import { lambdaContext, OutputCapture, setEnvironment } from './support';

/** Environment of the WhatsApp webhook function, local variant: plain variables instead of Secrets Manager. */
const WHATSAPP_ENVIRONMENT = {
  INBOUND_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unit-inbound.fifo',
  WHATSAPP_ACCESS_TOKEN: 'unit-wa-access-token',
  WHATSAPP_APP_SECRET: 'unit-wa-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'unit-wa-verify-token',
  WHATSAPP_PHONE_NUMBER_IDS: '123456789012345,123456789012346',
};
const SAMPLE = readFileSync(path.resolve(__dirname, '../../../events/whatsapp/text-expense.json'), 'utf8');
const SENDER_WA_ID = '447700900123';
const PRIVATE_TEXT = 'spent 12.50 on lunch at Subway';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const sqsMock = mockClient(SQSClient);

/** Builds the SQS response to a SendMessageBatch call that accepts every entry. */
function acceptAll(input: { Entries?: Array<{ Id?: string }> }) {
  return {
    Successful: (input.Entries ?? []).map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}` })),
    Failed: [],
  };
}

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageBatchCommand).callsFake(acceptAll);
});

afterAll(() => {
  sqsMock.restore();
});

function sign(body: string, secret = WHATSAPP_ENVIRONMENT.WHATSAPP_APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

function requestEvent(
  options: {
    method?: 'GET' | 'POST';
    body?: string;
    signature?: string;
    query?: Record<string, string>;
    requestId?: string;
  } = {},
): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const body = method === 'POST' ? (options.body ?? SAMPLE) : undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (body !== undefined) {
    headers['x-hub-signature-256'] = options.signature ?? sign(body);
  }

  return {
    version: '2.0',
    routeKey: `${method} /webhooks/whatsapp`,
    rawPath: '/webhooks/whatsapp',
    rawQueryString: '',
    headers,
    queryStringParameters: options.query,
    requestContext: {
      accountId: '000000000000',
      apiId: 'unit',
      domainName: '127.0.0.1',
      domainPrefix: 'unit',
      http: {
        method,
        path: '/webhooks/whatsapp',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: '',
      },
      requestId: options.requestId ?? 'unit-request',
      routeKey: `${method} /webhooks/whatsapp`,
      stage: '$default',
      time: '04/Dec/2026:10:00:00 +0000',
      timeEpoch: 1_796_378_400_000,
    },
    body,
    isBase64Encoded: false,
  };
}

function wiredHandler() {
  const tracer = new FakeTracer(WHATSAPP_WEBHOOK_SERVICE);
  const lines: string[] = [];
  const handler = createWhatsAppWebhookHandler(loadWhatsAppWebhookConfig(WHATSAPP_ENVIRONMENT), {
    tracer,
    logger: new CapturingLogger(WHATSAPP_WEBHOOK_SERVICE, lines),
    sqs: new SQSClient({ region: 'us-east-1' }),
  });

  return { handler, tracer, lines };
}

function sentBodies(): string[] {
  return sqsMock
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => entry.MessageBody ?? '');
}

describe('whatsapp-webhook function', () => {
  describe('tracing', () => {
    it('annotates the handler subsegment with the ids', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(requestEvent({ requestId: 'req-trace-1' }), lambdaContext('wh'));

      const [handlerSegment] = tracer.root.subsegments;
      expect(handlerSegment!.annotations).toMatchObject({
        channel: 'whatsapp',
        correlationId: 'req-trace-1',
      });
    });

    it('closes the handler subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(requestEvent(), lambdaContext('wh'));

      expect(tracer.root.subsegments.map((segment) => segment.closed)).toEqual([true]);
    });

    it('traces the SQS and Secrets Manager clients', () => {
      const { tracer } = wiredHandler();

      expect(tracer.capturedClients).toEqual(expect.arrayContaining(['SecretsManagerClient', 'SQSClient']));
    });

    it('keeps the wa_id, text and secrets out of the trace', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(requestEvent(), lambdaContext('wh'));
      await handler(requestEvent({ signature: sign(SAMPLE, 'wrong-secret') }), lambdaContext('wh'));

      const trace = tracer.serialized();
      expect(trace).not.toContain(SENDER_WA_ID);
      expect(trace).not.toContain('Subway');
      expect(trace).not.toContain(WHATSAPP_ENVIRONMENT.WHATSAPP_APP_SECRET);
      expect(trace).not.toContain(WHATSAPP_ENVIRONMENT.WHATSAPP_ACCESS_TOKEN);
    });

    it('keeps the handshake challenge out of the trace', async () => {
      const { handler, tracer } = wiredHandler();
      const query = {
        'hub.mode': 'subscribe',
        'hub.verify_token': WHATSAPP_ENVIRONMENT.WHATSAPP_VERIFY_TOKEN,
        'hub.challenge': '8812345',
      };

      const response = await handler(requestEvent({ method: 'GET', query }), lambdaContext('wh'));

      expect(response.body).toBe('8812345');
      expect(tracer.serialized()).not.toContain('8812345');
      expect(tracer.serialized()).not.toContain(WHATSAPP_ENVIRONMENT.WHATSAPP_VERIFY_TOKEN);
    });
  });

  describe('correlation id', () => {
    it('puts the request id into the envelope', async () => {
      const { handler } = wiredHandler();

      await handler(requestEvent({ requestId: 'req-envelope' }), lambdaContext('wh'));

      expect(sentBodies().map((body) => parseEnvelope(body).correlationId)).toEqual(['req-envelope']);
    });

    it('adds the request id to every log line of the invocation', async () => {
      const { handler, lines } = wiredHandler();

      await handler(requestEvent({ requestId: 'req-logs' }), lambdaContext('wh'));

      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.map((line) => line.correlationId)).toEqual(logged.map(() => 'req-logs'));
    });

    it('gives each invocation its own id', async () => {
      const { handler, lines } = wiredHandler();

      await handler(requestEvent({ body: 'not json', requestId: 'req-a' }), lambdaContext('wh'));
      await handler(requestEvent({ body: 'not json', requestId: 'req-b' }), lambdaContext('wh'));

      const ids = lines.map((line) => (JSON.parse(line) as Record<string, unknown>).correlationId);
      expect(ids).toEqual(['req-a', 'req-b']);
    });
  });

  describe('Lambda entry point', () => {
    let output: OutputCapture;
    let restoreEnvironment: () => void;
    let handler: Handler;
    // The isolated handler loads its own copy of the SQS client module, so the mock must wrap that copy.
    let isolatedSqs: typeof import('@aws-sdk/client-sqs');
    let isolatedMock: ReturnType<typeof mockClient>;

    beforeAll(() => {
      restoreEnvironment = setEnvironment({
        ...WHATSAPP_ENVIRONMENT,
        WHATSAPP_SECRET_ARN: undefined,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      });
      jest.isolateModules(() => {
        isolatedSqs = require('@aws-sdk/client-sqs');
        handler = require('../../../functions/whatsapp-webhook/handler').handler;
      });
      isolatedMock = mockClient(isolatedSqs.SQSClient);
      isolatedMock.on(isolatedSqs.SendMessageBatchCommand).callsFake(acceptAll);
    });

    afterAll(() => {
      isolatedMock.restore();
      restoreEnvironment();
    });

    beforeEach(() => {
      output = new OutputCapture();
      output.start();
    });

    afterEach(() => {
      output.stop();
    });

    it('answers the handshake with the environment token', async () => {
      const query = {
        'hub.mode': 'subscribe',
        'hub.verify_token': WHATSAPP_ENVIRONMENT.WHATSAPP_VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      };

      const response = await handler(
        requestEvent({ method: 'GET', query }),
        lambdaContext(WHATSAPP_WEBHOOK_SERVICE),
      );

      expect(response).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'text/plain' },
        body: '1158201444',
      });
    });

    it('queues a signed sample', async () => {
      const response = await handler(requestEvent(), lambdaContext(WHATSAPP_WEBHOOK_SERVICE));

      expect(response.statusCode).toBe(200);
      const calls = isolatedMock.commandCalls(isolatedSqs.SendMessageBatchCommand);
      expect(calls.map((call) => call.args[0].input.QueueUrl)).toEqual([
        WHATSAPP_ENVIRONMENT.INBOUND_QUEUE_URL,
      ]);
      expect(calls[0]?.args[0].input.Entries).toHaveLength(1);
    });

    it('prints EMF lines for a rejected request', async () => {
      const response = await handler(
        requestEvent({ signature: sign(SAMPLE, 'wrong-secret') }),
        lambdaContext(WHATSAPP_WEBHOOK_SERVICE),
      );

      expect(response.statusCode).toBe(401);
      const emf = output.jsonLines().filter((line) => '_aws' in line);
      expect(emf).toEqual([
        expect.objectContaining({
          service: WHATSAPP_WEBHOOK_SERVICE,
          channel: 'whatsapp',
          outcome: 'rejected',
          WebhookRequests: 1,
        }),
        expect.objectContaining({
          service: WHATSAPP_WEBHOOK_SERVICE,
          channel: 'whatsapp',
          reason: 'signature',
          WebhookRejected: 1,
        }),
      ]);
    });

    it('keeps message text out of the output', async () => {
      const response = await handler(requestEvent(), lambdaContext(WHATSAPP_WEBHOOK_SERVICE));

      expect(response.statusCode).toBe(200);
      expect(output.chunks.join('')).not.toContain(PRIVATE_TEXT);
    });
  });
});
