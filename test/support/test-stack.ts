import { randomBytes } from 'node:crypto';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Update } from '@grammyjs/types';
import { startFakeTelegram } from '../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import { startFakeWhatsApp } from '../../infra/local/fake-whatsapp/server';
import type { FakeWhatsApp } from '../../infra/local/fake-whatsapp/types';
import { type LocalAi, type LocalAiOptions, startLocalAi } from '../../infra/local/local-ai';
import { postWhatsAppPayload } from '../../infra/local/local-whatsapp';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import type { Transaction } from '../../lib/domain/transaction';
import type { User } from '../../lib/domain/user';
import { DynamoFxRateStore, type RateSnapshot } from '../../lib/fx/rate-store';
import { type Notification, parseNotification } from '../../lib/notify/notification';
import type { CircuitBreakerSettings } from '../../lib/resilience/circuit-breaker';
import { type MetricPoint, RecordingMetrics } from '../unit/observability/recording-metrics';
import { CapturingLogger } from './capturing-logger';

/** A local stack with a fake Bot API and captured logs, for one test file. */
export interface TestStack {
  stack: LocalStack;
  fake: FakeTelegram;
  /** Every log line of both functions, as JSON strings. */
  logLines: string[];
  /** Every metric data point of both functions, in place of EMF lines. */
  metricPoints: MetricPoint[];
  /** Posts a raw request to the webhook. */
  post(body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Posts an update with the right secret, as Telegram does. */
  postUpdate(update: Update): Promise<{ status: number; body: string }>;
  transactions(): Promise<Transaction[]>;
  users(): Promise<User[]>;
  /**
   * Writes the latest exchange rates (and that day's copy) as the fx-refresh function does. Only with the
   * `fxRates` option, which configures the processor with the rate table.
   */
  seedFxRates(snapshot: FxRateSeed): Promise<void>;
  /** URL of the notification queue, when the stack was started with `notificationQueue: true`. */
  notificationQueueUrl?: string;
  /** Receives, deletes and returns every message on the notification queue, or none without the queue. */
  takeNotifications(): Promise<Notification[]>;
  /** The WhatsApp side, when the stack was started with `whatsapp: true`. */
  whatsapp?: TestWhatsApp;
  /** The fake AI providers, when the stack was started with the `ai` option. */
  ai?: LocalAi;
  stop(): Promise<void>;
}

/** The fake Graph API and a signed poster for the WhatsApp webhook. */
export interface TestWhatsApp {
  fake: FakeWhatsApp;
  appSecret: string;
  verifyToken: string;
  /** The WhatsApp state table (windows and delivery states). */
  stateTable: string;
  /** Posts a webhook payload signed with the app secret, as Meta does. */
  post(payload: unknown): Promise<{ status: number; body: string }>;
}

/** Business phone number ids of the WhatsApp test stack: those of the shared WA cases. */
export const TEST_PHONE_NUMBER_IDS = ['200000000000002', '200000000000009'];

/** Exchange rates to store against `baseCurrency`, with `updatedAtEpochMs` defaulting to now. */
export type FxRateSeed = Pick<RateSnapshot, 'rates'> & { updatedAtEpochMs?: number };

/** Options of {@link startTestStack}. */
export interface TestStackOptions {
  visibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
  environment?: Record<string, string>;
  startProcessor?: boolean;
  processorTimeoutSeconds?: number;
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /** Tracers for the two functions, such as fakes that record segments. */
  webhookTracer?: Tracer;
  processorTracer?: Tracer;
  /**
   * Configures the processor with the stack's FX rate table (FX_RATES_TABLE, FX_BASE_CURRENCY) and seeds
   * it with `rates`. Without it, the processor converts nothing, as when no rate table is deployed.
   */
  fxRates?: FxRateSeed & { baseCurrency: string };
  /**
   * Creates a standard notification queue on the emulator and passes its URL to the processor as
   * NOTIFICATION_QUEUE_URL, so /settings can send e-mail confirmation codes.
   * @default false
   */
  notificationQueue?: boolean;
  /**
   * Starts a fake Graph API and serves /webhooks/whatsapp, with {@link TEST_PHONE_NUMBER_IDS} as the
   * business numbers. The fake does not enforce the 24-hour window, so tests check our own window state.
   * @default false
   */
  whatsapp?: boolean | { enforceWindow: boolean };
  /**
   * Starts fake OpenAI, Vision (unless `vision: false`) and, with `transcriber: 'transcribe'`, Amazon
   * Transcribe servers, creates the S3 buckets, and points the processor at them.
   * @default no AI: the local parser answers alone and media gets the "cannot read" reply
   */
  ai?: Omit<LocalAiOptions, 'prefix'>;
}

/**
 * Starts the local stack against the emulators that jest's global setup started, with its own table
 * and queue names so test files can run in parallel.
 */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const fake = await startFakeTelegram();
  const logLines: string[] = [];
  const metricPoints: MetricPoint[] = [];
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  // provisionLocalResources creates every table of lib/store/tables.ts, named `<prefix>-<table id>`.
  const fxRatesTable = `${prefix}-fxRates`;
  const fxEnvironment: Record<string, string> =
    options.fxRates === undefined
      ? {}
      : { FX_RATES_TABLE: fxRatesTable, FX_BASE_CURRENCY: options.fxRates.baseCurrency };
  const sqs = createLocalSqsClient();
  const notificationQueueUrl =
    options.notificationQueue === true
      ? (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-notifications` }))).QueueUrl
      : undefined;
  const notificationEnvironment: Record<string, string> =
    notificationQueueUrl === undefined ? {} : { NOTIFICATION_QUEUE_URL: notificationQueueUrl };
  const whatsappFake =
    options.whatsapp === undefined || options.whatsapp === false
      ? undefined
      : await startFakeWhatsApp({
          phoneNumberIds: TEST_PHONE_NUMBER_IDS,
          enforceWindow: options.whatsapp !== true && options.whatsapp.enforceWindow,
        });
  const whatsappSecrets = {
    appSecret: randomBytes(16).toString('hex'),
    verifyToken: randomBytes(16).toString('hex'),
  };
  const ai = options.ai === undefined ? undefined : await startLocalAi({ prefix, ...options.ai });
  const stack = await startLocalStack({
    whatsapp:
      whatsappFake === undefined
        ? undefined
        : {
            graphApiBaseUrl: whatsappFake.url,
            accessToken: whatsappFake.accessToken,
            ...whatsappSecrets,
            phoneNumberIds: TEST_PHONE_NUMBER_IDS,
            webhookLogger: new CapturingLogger('whatsapp-webhook', logLines),
          },
    botToken: fake.token,
    telegramApiBaseUrl: fake.url,
    prefix,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 1,
    maxReceiveCount: options.maxReceiveCount ?? 3,
    webhookLogger: new CapturingLogger('telegram-webhook', logLines),
    processorLogger: new CapturingLogger('message-processor', logLines),
    environment: { ...fxEnvironment, ...notificationEnvironment, ...ai?.environment, ...options.environment },
    startProcessor: options.startProcessor,
    processorTimeoutSeconds: options.processorTimeoutSeconds,
    breakerSettings: options.breakerSettings,
    metrics: new RecordingMetrics(metricPoints),
    webhookTracer: options.webhookTracer,
    processorTracer: options.processorTracer,
  });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const scan = async <T>(table: string): Promise<T[]> => {
    const result = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    return (result.Items ?? []) as T[];
  };
  const post = async (body: string | Buffer, headers: Record<string, string> = {}) => {
    const response = await fetch(stack.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, body: await response.text() };
  };
  const rateStore = new DynamoFxRateStore(documents, fxRatesTable);
  const seedFxRates = async (seed: FxRateSeed) => {
    if (options.fxRates === undefined) {
      throw new Error('seedFxRates needs the fxRates option, which configures the processor with the table.');
    }
    const { baseCurrency } = options.fxRates;
    const version = (await rateStore.getLatest(baseCurrency))?.version ?? 0;
    await rateStore.saveLatest(
      { baseCurrency, rates: seed.rates, updatedAtEpochMs: seed.updatedAtEpochMs ?? Date.now() },
      version,
    );
  };
  if (options.fxRates !== undefined) {
    await seedFxRates(options.fxRates);
  }

  return {
    stack,
    fake,
    logLines,
    metricPoints,
    post,
    postUpdate: (update) => {
      fake.observeUpdate(update);
      return post(JSON.stringify(update), { 'X-Telegram-Bot-Api-Secret-Token': stack.webhookSecret });
    },
    transactions: () => scan<Transaction>(stack.resources.tables.transactions),
    users: () => scan<User>(stack.resources.tables.users),
    seedFxRates,
    notificationQueueUrl,
    ai,
    whatsapp:
      whatsappFake === undefined
        ? undefined
        : {
            fake: whatsappFake,
            ...whatsappSecrets,
            stateTable: stack.resources.whatsappStateTable,
            post: (payload) =>
              postWhatsAppPayload(stack.whatsappWebhookUrl!, whatsappSecrets.appSecret, payload),
          },
    async takeNotifications() {
      if (notificationQueueUrl === undefined) {
        return [];
      }
      const notifications: Notification[] = [];
      for (;;) {
        const received = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: notificationQueueUrl, MaxNumberOfMessages: 10 }),
        );
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          return notifications;
        }
        for (const message of messages) {
          notifications.push(parseNotification(message.Body ?? ''));
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: notificationQueueUrl,
              ReceiptHandle: message.ReceiptHandle,
            }),
          );
        }
      }
    },
    async stop() {
      await stack.stop();
      await fake.stop();
      await whatsappFake?.close();
      await ai?.stop();
      documents.destroy();
      sqs.destroy();
    },
  };
}

/**
 * Registers jest hooks for a describe block: a test stack starts before its tests and stops after them,
 * and each test ends with a check that no record reached the dead-letter queue. `onStarted` receives the
 * running stack.
 */
export function useTestStack(options: TestStackOptions, onStarted: (stack: TestStack) => void): void {
  let harness: TestStack | undefined;

  beforeAll(async () => {
    harness = await startTestStack(options);
    onStarted(harness);
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  afterEach(async () => {
    expect(await harness!.stack.deadLetterCount()).toBe(0);
  });
}
