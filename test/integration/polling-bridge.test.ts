import {
  BotTokenRejectedError,
  startPollingBridge,
  WebhookActiveError,
} from '../../infra/local/polling-bridge';
import { ANA, textUpdate } from '../../infra/local/update-factory';
import { TelegramApiClient } from '../../lib/channels/telegram/api-client';
import { startTestStack, type TestStack } from '../support/test-stack';

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('polling bridge', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('feeds polled updates to the webhook', async () => {
    const client = new TelegramApiClient({ token: harness.fake.token, baseUrl: harness.fake.url });
    const bridge = startPollingBridge(client, harness.stack, () => undefined);
    const { update_id: _ignored, ...update } = textUpdate('bus ticket 2.80');

    harness.fake.pushUpdate(update);
    await waitFor(() => harness.fake.messages(ANA.id).some((message) => message.text.includes('2.80 USD')));
    bridge.stop();

    const stored = await harness.transactions();
    expect(stored.filter((transaction) => transaction.amountMinor === 280)).toHaveLength(1);
  });

  it('stops when the bot has a webhook', async () => {
    const client = new TelegramApiClient({ token: harness.fake.token, baseUrl: harness.fake.url });
    await client.setWebhook({ url: 'https://127.0.0.1:8443/webhooks/telegram' });

    const bridge = startPollingBridge(client, harness.stack, () => undefined);

    await expect(bridge.done).rejects.toBeInstanceOf(WebhookActiveError);
    await client.deleteWebhook();
  });

  it('stops when the token is rejected', async () => {
    const client = new TelegramApiClient({ token: '123:wrong', baseUrl: harness.fake.url });

    const bridge = startPollingBridge(client, harness.stack, () => undefined);

    await expect(bridge.done).rejects.toBeInstanceOf(BotTokenRejectedError);
  });
});
