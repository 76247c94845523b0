import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BOT_TOKEN_PLACEHOLDER,
  InvalidRegistrationPropertyError,
  InvalidWebhookSecretError,
  parseApiBaseUrl,
  parseRegistrationProperties,
  reconcileTelegramWebhook,
  type WebhookRegistrationDependencies,
  type WebhookRegistrationRequest,
} from '../../lib/channels/telegram/register-webhook';
import { ConfigError } from '../../lib/config';
import type { TelegramSecrets } from '../../lib/secrets/telegram-secrets';
import { FakeBotApi } from './fake-bot-api';

const BOT_TOKEN = '123456789:AAFakeTokenForTests_only-0123456789';
const WEBHOOK_SECRET = 'Generated0Webhook0Secret0With0Letters0And0Digits0Only';
const WEBHOOK_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/telegram';

const fake = new FakeBotApi();
const sleeps: number[] = [];

function dependencies(
  secrets: TelegramSecrets | Error,
  overrides: Partial<WebhookRegistrationDependencies> = {},
): WebhookRegistrationDependencies {
  return {
    loadSecrets: async () => {
      if (secrets instanceof Error) {
        throw secrets;
      }

      return secrets;
    },
    apiBaseUrl: fake.baseUrl,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  };
}

function request(requestType: WebhookRegistrationRequest['requestType']): WebhookRegistrationRequest {
  return { requestType, webhookUrl: WEBHOOK_URL, allowedUpdates: ['message', 'callback_query'] };
}

const realSecrets: TelegramSecrets = { botToken: BOT_TOKEN, webhookSecret: WEBHOOK_SECRET };
const placeholderSecrets: TelegramSecrets = {
  botToken: BOT_TOKEN_PLACEHOLDER,
  webhookSecret: WEBHOOK_SECRET,
};

beforeAll(() => fake.start());
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

describe('reconcileTelegramWebhook', () => {
  it.each(['Create', 'Update'] as const)('calls setWebhook on %s', async (requestType) => {
    const result = await reconcileTelegramWebhook(request(requestType), dependencies(realSecrets));

    expect(result.status).toBe('registered');
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: `/bot${BOT_TOKEN}/setWebhook`,
        body: {
          url: WEBHOOK_URL,
          secret_token: WEBHOOK_SECRET,
          allowed_updates: ['message', 'callback_query'],
          drop_pending_updates: false,
        },
      },
    ]);
  });

  it('skips setWebhook for the placeholder token', async () => {
    const result = await reconcileTelegramWebhook(request('Create'), dependencies(placeholderSecrets));

    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(/^skipped: .*Set botToken in the secret, then redeploy/);
    expect(fake.requests).toEqual([]);
  });

  it('calls deleteWebhook on Delete', async () => {
    const result = await reconcileTelegramWebhook(request('Delete'), dependencies(realSecrets));

    expect(result.status).toBe('deleted');
    expect(fake.requests).toEqual([
      { method: 'POST', path: `/bot${BOT_TOKEN}/deleteWebhook`, body: { drop_pending_updates: false } },
    ]);
  });

  it('skips deleteWebhook for the placeholder token', async () => {
    const result = await reconcileTelegramWebhook(request('Delete'), dependencies(placeholderSecrets));

    expect(result.status).toBe('skipped');
    expect(fake.requests).toEqual([]);
  });

  it('skips Delete when the secret is unreadable', async () => {
    const failure = new Error(
      'ResourceNotFoundException: Secrets Manager can not find the specified secret.',
    );

    const result = await reconcileTelegramWebhook(request('Delete'), dependencies(failure));

    expect(result.status).toBe('skipped');
    expect(result.message).toContain('ResourceNotFoundException');
  });

  it('skips Delete when Telegram rejects it', async () => {
    fake.respondWith({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });

    const result = await reconcileTelegramWebhook(request('Delete'), dependencies(realSecrets));

    expect(result.status).toBe('skipped');
    expect(result.message).toContain('401 "Unauthorized"');
    expect(result.message).not.toContain(BOT_TOKEN);
  });

  it('throws when Telegram rejects the URL', async () => {
    fake.respondWith({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: 'Bad Request: bad webhook: HTTPS url must be provided',
      },
    });

    const outcome = reconcileTelegramWebhook(request('Create'), dependencies(realSecrets));

    await expect(outcome).rejects.toMatchObject({
      name: 'TelegramRequestError',
      method: 'setWebhook',
      errorCode: 400,
    });
    await expect(outcome).rejects.toThrow('bad webhook');
  });

  it('retries server errors with growing delays', async () => {
    const serverError = { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    fake.respondWith(serverError, serverError);

    const result = await reconcileTelegramWebhook(request('Update'), dependencies(realSecrets));

    expect(result.status).toBe('registered');
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it('gives up after maxAttempts server errors', async () => {
    const serverError = {
      status: 500,
      body: { ok: false, error_code: 500, description: 'Internal Server Error' },
    };
    fake.respondWith(serverError, serverError);

    const outcome = reconcileTelegramWebhook(
      request('Create'),
      dependencies(realSecrets, { maxAttempts: 2 }),
    );

    await expect(outcome).rejects.toMatchObject({ name: 'TelegramServerError', errorCode: 500 });
    expect(fake.requests).toHaveLength(2);
  });

  it('waits out a rate limit once', async () => {
    fake.respondWith({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 3',
        parameters: { retry_after: 3 },
      },
    });

    const result = await reconcileTelegramWebhook(request('Create'), dependencies(realSecrets));

    expect(result.status).toBe('registered');
    expect(sleeps).toEqual([3_000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('keeps the token out of network errors', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    await once(closed, 'close');

    const outcome = reconcileTelegramWebhook(
      request('Create'),
      dependencies(realSecrets, { apiBaseUrl: `http://127.0.0.1:${port}`, maxAttempts: 1 }),
    );

    await expect(outcome).rejects.toMatchObject({ name: 'TelegramNetworkError' });
    const error = (await outcome.catch((caught: unknown) => caught)) as Error;
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(BOT_TOKEN);
  });

  it('rejects a webhook secret with invalid characters', async () => {
    const secrets = { botToken: BOT_TOKEN, webhookSecret: 'has spaces and $ymbols' };

    const outcome = reconcileTelegramWebhook(request('Create'), dependencies(secrets));

    await expect(outcome).rejects.toThrow(InvalidWebhookSecretError);
    await expect(outcome).rejects.not.toThrow('has spaces');
    expect(fake.requests).toEqual([]);
  });

  it('propagates secret read failures on Create', async () => {
    const failure = new Error('AccessDeniedException');

    await expect(reconcileTelegramWebhook(request('Create'), dependencies(failure))).rejects.toBe(failure);
  });
});

describe('parseRegistrationProperties', () => {
  const valid = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:000000000000:function:provider',
    SecretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:bot',
    WebhookUrl: WEBHOOK_URL,
    AllowedUpdates: ['message'],
    SecretVersion: 'v2',
  };

  it('returns valid properties', () => {
    expect(parseRegistrationProperties(valid)).toEqual({
      SecretArn: valid.SecretArn,
      WebhookUrl: WEBHOOK_URL,
      AllowedUpdates: ['message'],
      SecretVersion: 'v2',
    });
  });

  it.each([
    ['SecretArn', { ...valid, SecretArn: '' }],
    ['WebhookUrl', { ...valid, WebhookUrl: 'http://insecure.example/webhooks/telegram' }],
    ['WebhookUrl', { ...valid, WebhookUrl: undefined }],
    ['AllowedUpdates', { ...valid, AllowedUpdates: 'message' }],
  ])('rejects an invalid %s', (property, properties) => {
    expect(() => parseRegistrationProperties(properties)).toThrow(InvalidRegistrationPropertyError);
    expect(() => parseRegistrationProperties(properties)).toThrow(`property ${property} is invalid`);
  });
});

describe('parseApiBaseUrl', () => {
  it('defaults to the official server', () => {
    expect(parseApiBaseUrl(undefined)).toBe('https://api.telegram.org');
  });

  it('drops trailing slashes', () => {
    expect(parseApiBaseUrl('http://127.0.0.1:8081/')).toBe('http://127.0.0.1:8081');
  });

  it('rejects a relative URL', () => {
    expect(() => parseApiBaseUrl('api.telegram.org')).toThrow(ConfigError);
  });
});
