import { textUpdate } from '../../infra/local/update-factory';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('rate-limited replies', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('waits out a short 429 in the invocation', async () => {
    const user = { id: 11120001, firstName: 'Rita' };
    harness.fake.failNext('sendMessage', {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    });
    const startedAt = Date.now();

    await harness.postUpdate(textUpdate('museum 14', { user }));
    await harness.stack.settle(20_000);

    const sends = harness.fake.calls.filter(
      (call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(user.id),
    );
    expect(sends).toHaveLength(2);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_000);
    const stored = (await harness.transactions()).filter((transaction) => transaction.amountMinor === 1400);
    expect(stored).toHaveLength(1);
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });
});

describe('rate-limited replies beyond the invocation', () => {
  let harness: TestStack;

  beforeAll(async () => {
    // 6 s of processor time leaves 1 s of budget, so a 3 s retry_after must go back to the queue.
    harness = await startTestStack({ visibilityTimeoutSeconds: 1, processorTimeoutSeconds: 6 });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('defers the record on the queue', async () => {
    const user = { id: 11120002, firstName: 'Sam' };
    harness.fake.failNext('sendMessage', {
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    });

    await harness.postUpdate(textUpdate('zoo tickets 22', { user }));
    await harness.stack.settle(20_000);

    const sends = harness.fake.calls.filter(
      (call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(user.id),
    );
    expect(sends).toHaveLength(2);
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(3_000);
    expect(harness.logLines.some((line) => line.includes('Deferred the record'))).toBe(true);
    const stored = (await harness.transactions()).filter((transaction) => transaction.amountMinor === 2200);
    expect(stored).toHaveLength(1);
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });
});
