import { callbackUpdate, textUpdate } from '../../infra/local/update-factory';
import { startTestStack, type TestStack } from '../support/test-stack';

const PLANTED_TEXT = 'zebracorn brunch 48.15 at Quillfeather';
const PLANTED_MERCHANT = 'Quillfeather';

describe('log privacy', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('keeps secrets and message text out of logs', async () => {
    const wrongSecret = 'planted-wrong-secret-value-123';
    await harness.post(JSON.stringify(textUpdate(PLANTED_TEXT)), {
      'x-telegram-bot-api-secret-token': wrongSecret,
    });
    await harness.postUpdate(textUpdate(PLANTED_TEXT));
    await harness.stack.settle();
    const reply = harness.fake.messages(11110001).at(-1)!;
    harness.fake.failNext('editMessageText', {
      status: 500,
      body: { ok: false, error_code: 500, description: 'Internal Server Error' },
    });
    await harness.postUpdate(callbackUpdate(`c:${'x'.repeat(5)}`, reply.messageId!));
    await harness.stack.settle();

    const logs = harness.logLines.join('\n');

    expect(harness.logLines.length).toBeGreaterThan(3);
    expect(logs).not.toContain(harness.fake.token);
    expect(logs).not.toContain(harness.fake.token.split(':')[1]);
    expect(logs).not.toContain(harness.stack.webhookSecret);
    expect(logs).not.toContain(wrongSecret);
    expect(logs).not.toContain('zebracorn');
    expect(logs).not.toContain(PLANTED_MERCHANT);
    expect(logs).not.toContain('48.15');
  });
});
