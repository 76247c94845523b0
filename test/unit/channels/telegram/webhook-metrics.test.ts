import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handleTelegramWebhook,
  type TelegramWebhookDependencies,
} from '../../../../lib/channels/telegram/webhook';
import { CapturingLogger } from '../../../support/capturing-logger';
import { WEBHOOK_ENVIRONMENT, webhookEvent } from '../../functions/support';
import { RecordingMetrics } from '../../observability/recording-metrics';
import { messageUpdate } from './samples';

const SECRET = WEBHOOK_ENVIRONMENT.TELEGRAM_WEBHOOK_SECRET;
const sqsMock = mockClient(SQSClient);

beforeEach(() => {
  sqsMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

afterAll(() => {
  sqsMock.restore();
});

function dependencies(
  metrics: RecordingMetrics,
  overrides: Partial<TelegramWebhookDependencies> = {},
): TelegramWebhookDependencies {
  return {
    sqs: new SQSClient({ region: 'us-east-1' }),
    inboundQueueUrl: WEBHOOK_ENVIRONMENT.INBOUND_QUEUE_URL,
    loadSecrets: async () => ({ botToken: '123456:bot-token', webhookSecret: SECRET }),
    checkSourceIp: false,
    maxBodyBytes: 1_048_576,
    logger: new CapturingLogger('telegram-webhook', []),
    metrics,
    ...overrides,
  };
}

const UPDATE = JSON.stringify(messageUpdate(800, { text: 'taxi 18' }));

describe('handleTelegramWebhook metrics', () => {
  it('counts a queued update', async () => {
    const metrics = new RecordingMetrics();

    await handleTelegramWebhook(webhookEvent(UPDATE), dependencies(metrics));

    expect(metrics.points).toEqual([
      {
        name: 'WebhookRequests',
        dimensions: { channel: 'telegram', outcome: 'queued' },
        value: 1,
        unit: 'Count',
      },
    ]);
  });

  it('counts an ignored update', async () => {
    const metrics = new RecordingMetrics();
    const channelPost = JSON.stringify({
      update_id: 801,
      channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel' }, text: 'news' },
    });

    await handleTelegramWebhook(webhookEvent(channelPost), dependencies(metrics));

    expect(metrics.points.map((point) => point.dimensions)).toEqual([
      { channel: 'telegram', outcome: 'ignored' },
    ]);
  });

  it.each([
    ['source-ip', 403, webhookEvent(UPDATE, { sourceIp: '203.0.113.9' }), { checkSourceIp: true }],
    ['secret-token', 401, webhookEvent(UPDATE, { secret: 'wrong' }), {}],
    ['body-size', 413, webhookEvent(UPDATE), { maxBodyBytes: 10 }],
    ['json', 400, webhookEvent('{"update_id":'), {}],
    ['shape', 400, webhookEvent('{"update_id": -1}'), {}],
  ] as const)('counts a %s rejection', async (reason, status, event, overrides) => {
    const metrics = new RecordingMetrics();

    const response = await handleTelegramWebhook(event, dependencies(metrics, overrides));

    expect(response.statusCode).toBe(status);
    expect(metrics.points.map(({ name, dimensions }) => ({ name, dimensions }))).toEqual([
      { name: 'WebhookRequests', dimensions: { channel: 'telegram', outcome: 'rejected' } },
      { name: 'WebhookRejected', dimensions: { channel: 'telegram', reason } },
    ]);
  });

  it('counts a 503 when the secret cannot be loaded', async () => {
    const metrics = new RecordingMetrics();
    const loadSecrets = async () => {
      throw new Error('AccessDeniedException');
    };

    const response = await handleTelegramWebhook(
      webhookEvent(UPDATE),
      dependencies(metrics, { loadSecrets }),
    );

    expect(response.statusCode).toBe(503);
    expect(metrics.points.map(({ name, dimensions }) => ({ name, dimensions }))).toEqual([
      { name: 'WebhookRequests', dimensions: { channel: 'telegram', outcome: 'unavailable' } },
      { name: 'WebhookUnavailable', dimensions: { channel: 'telegram' } },
    ]);
  });

  it('counts a 503 when the queue cannot be reached', async () => {
    const metrics = new RecordingMetrics();
    sqsMock.on(SendMessageCommand).rejects(new Error('connect ECONNREFUSED'));

    const response = await handleTelegramWebhook(webhookEvent(UPDATE), dependencies(metrics));

    expect(response.statusCode).toBe(503);
    expect(metrics.named('WebhookUnavailable')).toHaveLength(1);
  });
});
