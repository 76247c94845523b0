import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createTelegramWebhookHandler } from '../../../functions/telegram-webhook/create-handler';
import { textUpdate } from '../../../infra/local/update-factory';
import { loadTelegramWebhookConfig } from '../../../lib/config';
import { parseEnvelope } from '../../../lib/inbound/envelope';
import { CapturingLogger } from '../../support/capturing-logger';
import { FakeTracer } from '../observability/fake-tracer';
import { lambdaContext, OutputCapture, setEnvironment, WEBHOOK_ENVIRONMENT, webhookEvent } from './support';

const CHAT_ID = 987650001;
const PRIVATE_TEXT = 'zebracorn brunch 48.15 at Quillfeather';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

afterAll(() => {
  sqsMock.restore();
});

function privateUpdate() {
  return textUpdate(PRIVATE_TEXT, { user: { id: CHAT_ID, firstName: 'Quinn' } });
}

function wiredHandler() {
  const tracer = new FakeTracer('telegram-webhook');
  const lines: string[] = [];
  const handler = createTelegramWebhookHandler(loadTelegramWebhookConfig(WEBHOOK_ENVIRONMENT), {
    tracer,
    logger: new CapturingLogger('telegram-webhook', lines),
    sqs: new SQSClient({ region: 'us-east-1' }),
  });
  // Drop the start-up warning about the IP check, which belongs to no invocation.
  lines.length = 0;

  return { handler, tracer, lines };
}

describe('telegram-webhook function', () => {
  describe('tracing', () => {
    it('annotates the handler subsegment with the ids', async () => {
      const { handler, tracer } = wiredHandler();
      const update = privateUpdate();

      await handler(webhookEvent(JSON.stringify(update), { requestId: 'req-trace-1' }), lambdaContext('wh'));

      const [handlerSegment] = tracer.root.subsegments;
      expect(handlerSegment!.annotations).toMatchObject({
        channel: 'telegram',
        correlationId: 'req-trace-1',
        updateId: update.update_id,
      });
    });

    it('closes the handler subsegment', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(webhookEvent(JSON.stringify(privateUpdate())), lambdaContext('wh'));

      expect(tracer.root.subsegments.map((segment) => segment.closed)).toEqual([true]);
    });

    it('traces the SQS and Secrets Manager clients', () => {
      const { tracer } = wiredHandler();

      expect(tracer.capturedClients).toEqual(expect.arrayContaining(['SecretsManagerClient', 'SQSClient']));
    });

    it('keeps the chat id, text and secrets out of the trace', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(webhookEvent(JSON.stringify(privateUpdate())), lambdaContext('wh'));
      await handler(
        webhookEvent(JSON.stringify(privateUpdate()), { secret: 'wrong-secret' }),
        lambdaContext('wh'),
      );

      const trace = tracer.serialized();
      expect(trace).not.toContain(String(CHAT_ID));
      expect(trace).not.toContain('zebracorn');
      expect(trace).not.toContain(WEBHOOK_ENVIRONMENT.TELEGRAM_WEBHOOK_SECRET);
      expect(trace).not.toContain('wrong-secret');
      expect(trace).not.toContain(WEBHOOK_ENVIRONMENT.TELEGRAM_BOT_TOKEN);
    });

    it('keeps responses out of the trace', async () => {
      const { handler, tracer } = wiredHandler();

      await handler(webhookEvent('{"update_id": "x"}'), lambdaContext('wh'));

      expect(tracer.segments().map((segment) => segment.metadata)).toEqual([{}]);
    });
  });

  describe('correlation id', () => {
    it('puts the request id into the envelope', async () => {
      const { handler } = wiredHandler();

      await handler(
        webhookEvent(JSON.stringify(privateUpdate()), { requestId: 'req-envelope' }),
        lambdaContext('wh'),
      );

      const body = sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!;
      expect(parseEnvelope(body).correlationId).toBe('req-envelope');
    });

    it('adds the request id to every log line of the invocation', async () => {
      const { handler, lines } = wiredHandler();

      await handler(
        webhookEvent(JSON.stringify(privateUpdate()), { requestId: 'req-logs' }),
        lambdaContext('wh'),
      );

      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged.length).toBeGreaterThan(0);
      expect(logged.map((line) => line.correlationId)).toEqual(logged.map(() => 'req-logs'));
    });

    it('gives each invocation its own id', async () => {
      const { handler, lines } = wiredHandler();

      await handler(webhookEvent('not json', { requestId: 'req-a' }), lambdaContext('wh'));
      await handler(webhookEvent('not json', { requestId: 'req-b' }), lambdaContext('wh'));

      const ids = lines.map((line) => (JSON.parse(line) as Record<string, unknown>).correlationId);
      expect(ids).toEqual(['req-a', 'req-b']);
    });
  });

  describe('Lambda entry point', () => {
    let output: OutputCapture;
    let restoreEnvironment: () => void;
    let handler: Handler;

    beforeAll(() => {
      restoreEnvironment = setEnvironment({ ...WEBHOOK_ENVIRONMENT, POWERTOOLS_LOG_LEVEL: 'ERROR' });
      jest.isolateModules(() => {
        handler = require('../../../functions/telegram-webhook/handler').handler;
      });
    });

    afterAll(() => {
      restoreEnvironment();
    });

    beforeEach(() => {
      output = new OutputCapture();
      output.start();
    });

    afterEach(() => {
      output.stop();
    });

    it('prints EMF lines for a rejected request', async () => {
      const response = await handler(
        webhookEvent(JSON.stringify(privateUpdate()), { secret: 'wrong-secret' }),
        lambdaContext('telegram-webhook'),
      );

      expect(response.statusCode).toBe(401);
      const emf = output.jsonLines().filter((line) => '_aws' in line);
      expect(emf).toEqual([
        expect.objectContaining({
          service: 'telegram-webhook',
          channel: 'telegram',
          outcome: 'rejected',
          WebhookRequests: 1,
        }),
        expect.objectContaining({
          service: 'telegram-webhook',
          channel: 'telegram',
          reason: 'secret-token',
          WebhookRejected: 1,
        }),
      ]);
    });
  });
});
