import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { textUpdate } from '../../infra/local/update-factory';
import { startTestStack, type TestStack } from '../support/test-stack';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

async function queuedCount(sqs: SQSClient, queueUrl: string): Promise<number> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );

  return (
    Number(result.Attributes?.ApproximateNumberOfMessages) +
    Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

describe('Telegram webhook rejections', () => {
  let harness: TestStack;
  let sqs: SQSClient;

  beforeAll(async () => {
    // No processor: whatever the webhook queues stays on the queue to be counted.
    harness = await startTestStack({ startProcessor: false });
    sqs = createLocalSqsClient();
  });

  afterAll(async () => {
    sqs.destroy();
    await harness.stop();
  });

  it.each([
    ['malformed JSON', '{"update_id": 1, "message": ', 400],
    ['a JSON array', '[1, 2, 3]', 400],
    ['an object that is not an update', '{"hello":"world"}', 400],
    ['a message without chat', '{"update_id": 5, "message": {"message_id": 1, "date": 1}}', 400],
    [
      'a negative update id',
      '{"update_id": -5, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}}}',
      400,
    ],
  ])('rejects %s with %i', async (_name, body, status) => {
    const response = await harness.post(body, { [SECRET_HEADER]: harness.stack.webhookSecret });

    expect(response.status).toBe(status);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });

  it('rejects a missing secret with 401', async () => {
    const response = await harness.post(JSON.stringify(textUpdate('lunch 10')));

    expect(response.status).toBe(401);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });

  it('rejects a wrong secret with 401', async () => {
    const response = await harness.post(JSON.stringify(textUpdate('lunch 10')), {
      [SECRET_HEADER]: `${harness.stack.webhookSecret}x`,
    });

    expect(response.status).toBe(401);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });

  it('rejects a body over 1 MB with 413', async () => {
    const update = textUpdate('x'.repeat(1_100_000));

    const response = await harness.post(JSON.stringify(update), {
      [SECRET_HEADER]: harness.stack.webhookSecret,
    });

    expect(response.status).toBe(413);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });

  it('acknowledges an unknown update type without queueing', async () => {
    const response = await harness.post(JSON.stringify({ update_id: 77, chat_boost: { chat: { id: 1 } } }), {
      [SECRET_HEADER]: harness.stack.webhookSecret,
    });

    expect(response.status).toBe(200);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });

  it('queues a valid update', async () => {
    const response = await harness.postUpdate(textUpdate('lunch 10'));

    expect(response.status).toBe(200);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(1);
  });
});

describe('Telegram webhook source check', () => {
  let harness: TestStack;
  let sqs: SQSClient;

  beforeAll(async () => {
    harness = await startTestStack({ startProcessor: false, environment: { TELEGRAM_IP_CHECK: 'true' } });
    sqs = createLocalSqsClient();
  });

  afterAll(async () => {
    sqs.destroy();
    await harness.stop();
  });

  it('rejects a request from outside Telegram networks', async () => {
    const response = await harness.post(JSON.stringify(textUpdate('lunch 10')), {
      [SECRET_HEADER]: harness.stack.webhookSecret,
      // A forged header must not count: the source is the connection's address.
      'x-forwarded-for': '149.154.167.220',
    });

    expect(response.status).toBe(403);
    expect(await queuedCount(sqs, harness.stack.resources.inboundQueueUrl)).toBe(0);
  });
});
