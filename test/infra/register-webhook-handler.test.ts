import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CdkCustomResourceEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeBotApi } from './fake-bot-api';

const BOT_TOKEN = '987654321:AAHandlerTestToken_do-not-log';
const WEBHOOK_SECRET = 'HandlerTestWebhookSecret0123456789abcdef';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:financy-telegram-AbCdEf';

const fake = new FakeBotApi();
const secretsManager = mockClient(SecretsManagerClient);
let handler: (event: CdkCustomResourceEvent, context: Context) => Promise<unknown>;
let output: string[] = [];

const context = {
  functionName: 'telegram-register-webhook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:telegram-register-webhook',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

function event(requestType: 'Create' | 'Update' | 'Delete'): CdkCustomResourceEvent {
  const base = {
    ServiceToken: 'arn:aws:lambda:eu-west-1:000000000000:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/response',
    StackId: 'arn:aws:cloudformation:eu-west-1:000000000000:stack/Financy-dev/1',
    RequestId: 'request-1',
    LogicalResourceId: 'TelegramWebhookRegistration',
    ResourceType: 'Custom::TelegramWebhook',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-1:000000000000:function:provider',
      SecretArn: SECRET_ARN,
      WebhookUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/telegram',
      AllowedUpdates: ['message'],
      SecretVersion: 'initial',
    },
  };
  if (requestType === 'Create') {
    return { ...base, RequestType: 'Create' };
  }
  if (requestType === 'Update') {
    return {
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'telegram-webhook',
      OldResourceProperties: base.ResourceProperties,
    };
  }

  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'telegram-webhook' };
}

function storeSecret(botToken: string): void {
  secretsManager
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: JSON.stringify({ botToken, webhookSecret: WEBHOOK_SECRET }) });
}

beforeAll(async () => {
  await fake.start();
  process.env.TELEGRAM_API_BASE_URL = fake.baseUrl;
  process.env.AWS_REGION = 'eu-west-1';
  // The handler reads its settings at module load, so it is imported after they are set.
  ({ handler } = await import('../../functions/telegram-register-webhook/handler'));
});

afterAll(async () => {
  delete process.env.TELEGRAM_API_BASE_URL;
  await fake.stop();
});

beforeEach(() => {
  fake.reset();
  secretsManager.reset();
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      output.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('telegram-register-webhook handler', () => {
  it('registers on Create', async () => {
    storeSecret(BOT_TOKEN);

    const response = await handler(event('Create'), context);

    expect(response).toEqual({
      PhysicalResourceId: 'telegram-webhook',
      Data: { Status: 'registered', Message: expect.stringContaining('registered https://') },
    });
    expect(fake.requests.map((request) => request.path)).toEqual([`/bot${BOT_TOKEN}/setWebhook`]);
  });

  it('keeps the physical id on Update', async () => {
    storeSecret(BOT_TOKEN);

    const response = await handler(event('Update'), context);

    expect(response).toMatchObject({
      PhysicalResourceId: 'telegram-webhook',
      Data: { Status: 'registered' },
    });
  });

  it('reports a skip for the placeholder token', async () => {
    storeSecret('REPLACE_ME');

    const response = await handler(event('Create'), context);

    expect(response).toMatchObject({
      Data: { Status: 'skipped', Message: expect.stringMatching(/^skipped: /) },
    });
    expect(fake.requests).toEqual([]);
  });

  it('deletes the webhook on Delete', async () => {
    storeSecret(BOT_TOKEN);

    const response = await handler(event('Delete'), context);

    expect(response).toMatchObject({ Data: { Status: 'deleted' } });
    expect(fake.requests.map((request) => request.path)).toEqual([`/bot${BOT_TOKEN}/deleteWebhook`]);
  });

  it('logs the outcome without credentials', async () => {
    storeSecret(BOT_TOKEN);

    await handler(event('Create'), context);

    const logged = output.join('');
    expect(logged).toContain('Telegram webhook registration finished');
    expect(logged).toContain('"detail":"registered https://');
    expect(logged).not.toContain('"level":"WARN"');
    expect(logged).not.toContain(BOT_TOKEN);
    expect(logged).not.toContain(WEBHOOK_SECRET);
  });
});
