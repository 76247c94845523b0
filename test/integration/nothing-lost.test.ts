import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { textUpdate } from '../../infra/local/update-factory';
import { redriveDeadLetters } from '../../lib/operations/redrive';
import { startTestStack, type TestStack } from '../support/test-stack';

const SERVER_ERROR = {
  status: 500,
  body: { ok: false, error_code: 500, description: 'Internal Server Error' },
};

/**
 * Telegram fails long enough to open the circuit. Every message must end processed once (stored and
 * replied to once) or wait in the dead-letter queue, and none may vanish.
 */
describe('messages during a Telegram outage', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 4,
      breakerSettings: { openMs: 2_000 },
    });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('loses no message', async () => {
    const users = [11130001, 11130002, 11130003, 11130004, 11130005, 11130006].map((id) => ({
      id,
      firstName: `User${id}`,
    }));
    harness.fake.failNext('sendMessage', SERVER_ERROR, 8);

    for (const user of users) {
      expect((await harness.postUpdate(textUpdate('bakery 6.40', { user }))).status).toBe(200);
    }
    await harness.stack.settle(60_000);

    const stored = await harness.transactions();
    const deadLetters = await harness.stack.deadLetterCount();
    let answered = 0;
    for (const user of users) {
      const replies = harness.fake.messages(user.id);
      expect(replies.length).toBeLessThanOrEqual(1);
      answered += replies.length;
      expect(stored.filter((transaction) => transaction.source.chatId === String(user.id))).toHaveLength(1);
    }
    expect(answered + deadLetters).toBe(users.length);
    expect(
      harness.logLines.some(
        (line) => line.includes('CircuitOpenError') || line.includes('Deferred the record'),
      ),
    ).toBe(true);

    // After the outage, redriving the dead letters sends one reply to every remaining message.
    const sqs = createLocalSqsClient();
    await redriveDeadLetters({
      sqs,
      deadLetterQueueUrl: harness.stack.resources.deadLetterQueueUrl,
      targetQueueUrl: harness.stack.resources.inboundQueueUrl,
      dryRun: false,
      maxMessages: 100,
      log: () => undefined,
    });
    sqs.destroy();
    await harness.stack.settle(60_000);

    expect(await harness.stack.deadLetterCount()).toBe(0);
    for (const user of users) {
      expect(harness.fake.messages(user.id)).toHaveLength(1);
    }
    expect((await harness.transactions()).length).toBe(users.length);
  }, 120_000);
});
