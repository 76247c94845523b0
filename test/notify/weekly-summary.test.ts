import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { createWeeklySummaryHandler, referenceTimeOf } from '../../functions/weekly-summary/create-handler';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { loadWeeklySummaryConfig } from '../../lib/config';
import type { Transaction } from '../../lib/domain/transaction';
import type { NotificationPreferences } from '../../lib/domain/user';
import { type Notification, parseNotification } from '../../lib/notify/notification';
import {
  type NotificationQueue,
  SqsNotificationQueue,
} from '../../lib/notify/preferences/notification-queue';
import { WeeklySummaryIncompleteError } from '../../lib/notify/summary/errors';
import { PlainSummaryInsights } from '../../lib/notify/summary/insights';
import { runWeeklySummary, type WeeklySummaryResult } from '../../lib/notify/summary/run-weekly-summary';
import { renderEmail } from '../../lib/notify/templates';
import { createDocumentClient } from '../../lib/store/clients';
import { IdempotencyStore } from '../../lib/store/idempotency-store';
import { DynamoTransactionStore } from '../../lib/store/transaction-store';
import { UserStore } from '../../lib/store/user-store';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { CapturingLogger } from '../support/capturing-logger';

const EVENT = JSON.parse(
  readFileSync(path.join(__dirname, '../../events/weekly-summary-scheduled.json'), 'utf8'),
) as ScheduledEvent;
/** The week before the event's Monday, 2026-03-23, in Europe/Lisbon. */
const WEEK = { isoWeek: '2026-W12', firstDay: '2026-03-16', lastDay: '2026-03-22' };
const EMAIL = 'ana.weekly@example.com';
const PHONE = '+15551234567';
const ENDPOINT_ARN =
  'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/financy/5e3e9847-3183-3f18-a7e8-671c3a57d4b3';
const EVERY_CHANNEL: NotificationPreferences = {
  weeklySummary: true,
  channels: ['email', 'sms', 'push'],
  email: { address: EMAIL, confirmedAtEpochMs: Date.parse('2026-03-01T00:00:00Z') },
  phoneNumber: PHONE,
};

let local: LocalTables;
let sqs: SQSClient;
let queueUrl: string;
let users: UserStore;
let transactions: DynamoTransactionStore;
let dynamodb: DynamoDBClient;
let identityCounter = 0;
let messageCounter = 0;

beforeEach(async () => {
  local = await createLocalTables('weekly');
  sqs = createLocalSqsClient();
  dynamodb = new DynamoDBClient({});
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${local.tables.users}-notifications` }));
  queueUrl = queue.QueueUrl!;
  users = new UserStore({
    client: local.client,
    usersTable: local.tables.users,
    identitiesTable: local.tables.identities,
    defaultCurrency: 'EUR',
    defaultTimeZone: 'Europe/Lisbon',
  });
  transactions = new DynamoTransactionStore({ client: local.client, tableName: local.tables.transactions });
});

afterEach(() => {
  local.destroy();
  sqs.destroy();
  dynamodb.destroy();
});

async function createUser(
  preferences: NotificationPreferences | undefined,
  options: { pushEndpoint?: boolean; inactive?: boolean; homeCurrency?: string } = {},
): Promise<string> {
  identityCounter += 1;
  const { user } = await users.findOrCreate({ identity: `telegram:${77_000_000 + identityCounter}` });
  if (preferences !== undefined) {
    await users.setNotificationPreferences(user.userId, preferences);
  }
  if (options.homeCurrency !== undefined) {
    await users.updateSettings(user.userId, { homeCurrency: options.homeCurrency });
  }
  if (options.pushEndpoint === true) {
    await local.client.send(
      new UpdateCommand({
        TableName: local.tables.users,
        Key: { userId: user.userId },
        UpdateExpression: 'SET pushChannel = :channel',
        ExpressionAttributeValues: { ':channel': { status: 'enabled', endpointArn: ENDPOINT_ARN } },
      }),
    );
  }
  if (options.inactive === true) {
    await users.setStatus(user.userId, 'inactive');
  }

  return user.userId;
}

async function addTransaction(userId: string, overrides: Partial<Transaction>): Promise<void> {
  messageCounter += 1;
  await transactions.create({
    userId,
    transactionId: `tx-${messageCounter}`,
    kind: 'expense',
    amountMinor: 1000,
    currency: 'EUR',
    date: '2026-03-18',
    description: 'something',
    category: 'Food & Dining',
    status: 'saved',
    confidence: 0.9,
    source: { channel: 'telegram', chatId: userId, messageId: messageCounter },
    createdAtEpochMs: Date.parse('2026-03-18T12:00:00Z'),
    updatedAtEpochMs: Date.parse('2026-03-18T12:00:00Z'),
    ...overrides,
  });
}

async function takeNotifications(): Promise<Notification[]> {
  const notifications: Notification[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      return notifications;
    }
    for (const message of messages) {
      notifications.push(parseNotification(message.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

function handlerWith(options: { pageSize?: number } = {}) {
  const logger = new CapturingLogger('weekly-summary');
  const config = loadWeeklySummaryConfig({
    USERS_TABLE: local.tables.users,
    TRANSACTIONS_TABLE: local.tables.transactions,
    IDEMPOTENCY_TABLE: local.tables.idempotency,
    NOTIFICATION_QUEUE_URL: queueUrl,
  });
  const handler = createWeeklySummaryHandler(config, { logger, dynamodb, sqs, pageSize: options.pageSize });
  const invoke = () =>
    handler(EVENT, localLambdaContext('weekly-summary', 60)) as Promise<WeeklySummaryResult>;

  return { invoke, logger };
}

describe('weekly-summary handler', () => {
  it('queues one notification per channel', async () => {
    const userId = await createUser(EVERY_CHANNEL, { pushEndpoint: true });
    await addTransaction(userId, { amountMinor: 4250 });

    const result = await handlerWith().invoke();
    const notifications = await takeNotifications();

    expect(result).toMatchObject({ status: 'complete', usersRead: 1, notificationsQueued: 3 });
    expect(notifications.map((notification) => notification.kind).sort()).toEqual(['email', 'push', 'sms']);
    for (const notification of notifications) {
      expect(notification.idempotencyKey).toBe(`weekly-summary:${userId}:${WEEK.isoWeek}`);
      expect(notification.template).toBe('weekly-summary');
      expect(notification.correlationId).toBe(`weekly-summary-${EVENT.id}`);
      expect(notification.data).toMatchObject({
        periodStart: WEEK.firstDay,
        periodEnd: WEEK.lastDay,
        currency: 'EUR',
        totalSpent: '42.50',
        transactionCount: 1,
      });
    }
    expect(notifications.find((notification) => notification.kind === 'email')?.recipient).toEqual({
      userId,
      emailAddress: EMAIL,
    });
    expect(notifications.find((notification) => notification.kind === 'sms')?.recipient).toEqual({
      userId,
      phoneNumber: PHONE,
    });
    expect(notifications.find((notification) => notification.kind === 'push')?.recipient).toEqual({
      userId,
      endpointArn: ENDPOINT_ARN,
    });
  });

  it('queues nothing new on a second run', async () => {
    await createUser(EVERY_CHANNEL, { pushEndpoint: true });
    const { invoke } = handlerWith();
    await invoke();
    await takeNotifications();

    const second = await invoke();
    const notifications = await takeNotifications();

    expect(notifications).toEqual([]);
    expect(second).toMatchObject({ status: 'complete', notificationsQueued: 0, alreadyQueued: 3 });
  });

  it('queues a channel chosen after the first run', async () => {
    const userId = await createUser({ ...EVERY_CHANNEL, channels: ['email'] });
    const { invoke } = handlerWith();
    await invoke();
    await takeNotifications();
    await users.setNotificationPreferences(userId, { ...EVERY_CHANNEL, channels: ['email', 'sms'] });

    await invoke();
    const notifications = await takeNotifications();

    expect(notifications.map((notification) => notification.kind)).toEqual(['sms']);
  });

  it('skips channels without a destination', async () => {
    await createUser({ weeklySummary: true, channels: ['email', 'sms', 'push'] });

    const result = await handlerWith().invoke();

    expect(await takeNotifications()).toEqual([]);
    expect(result).toMatchObject({ usersRead: 1, channelsWithoutDestination: 3, notificationsQueued: 0 });
  });

  it('skips opted-out, inactive and new users', async () => {
    await createUser({ ...EVERY_CHANNEL, weeklySummary: false });
    await createUser(EVERY_CHANNEL, { inactive: true });
    await createUser(undefined);

    const result = await handlerWith().invoke();

    expect(await takeNotifications()).toEqual([]);
    expect(result.usersRead).toBe(0);
  });

  it('pages through every subscriber', async () => {
    for (let index = 0; index < 4; index += 1) {
      await createUser({ ...EVERY_CHANNEL, channels: ['email'] });
    }
    await createUser({ ...EVERY_CHANNEL, weeklySummary: false });

    const result = await handlerWith({ pageSize: 1 }).invoke();

    expect(result).toMatchObject({ usersRead: 4, notificationsQueued: 4 });
    expect(await takeNotifications()).toHaveLength(4);
  });

  it('summarizes a week in three currencies', async () => {
    const userId = await createUser({ ...EVERY_CHANNEL, channels: ['email'] });
    await addTransaction(userId, { amountMinor: 4520, category: 'Food & Dining' });
    await addTransaction(userId, {
      kind: 'income',
      amountMinor: 150000,
      category: 'Income',
      date: '2026-03-20',
    });
    await addTransaction(userId, {
      amountMinor: 1999,
      currency: 'USD',
      category: 'Shopping',
      date: '2026-03-16',
    });
    await addTransaction(userId, { amountMinor: 1200, currency: 'JPY', date: '2026-03-22' });
    await addTransaction(userId, { amountMinor: 77700, date: '2026-03-15' });
    await addTransaction(userId, { amountMinor: 88800, date: '2026-03-23' });

    await handlerWith().invoke();
    const [notification] = await takeNotifications();
    const email = renderEmail('weekly-summary', notification!.data);

    expect(notification!.data).toMatchObject({
      totalSpent: '45.20',
      totalIncome: '1500.00',
      transactionCount: 4,
      otherCurrencies: [
        { currency: 'JPY', totalSpent: '1200', totalIncome: '0', transactionCount: 1 },
        { currency: 'USD', totalSpent: '19.99', totalIncome: '0.00', transactionCount: 1 },
      ],
      insights: [
        'Food & Dining was your largest category: 45.20 EUR, 100% of your spending.',
        'You earned 1454.80 EUR more than you spent.',
      ],
    });
    expect(email.text).toContain('- USD: spent 19.99 USD');
    expect(email.text).toContain('- JPY: spent 1200 JPY');
  });

  it('keeps addresses and numbers out of logs', async () => {
    await createUser(EVERY_CHANNEL, { pushEndpoint: true });
    await createUser({ weeklySummary: true, channels: ['email'] });
    const { invoke, logger } = handlerWith();

    await invoke();
    await invoke();

    const logs = logger.lines.join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logs).not.toContain(EMAIL);
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain(ENDPOINT_ARN);
  });
});

describe('runWeeklySummary', () => {
  /** Returns the real queue, except that send number `failingAttempt` (counting from 1) fails. */
  function flakyQueue(failingAttempt?: number): NotificationQueue {
    const queue = new SqsNotificationQueue({ sqs, queueUrl });
    let attempts = 0;
    return {
      async enqueue(notification: Notification) {
        attempts += 1;
        if (attempts === failingAttempt) {
          throw new Error('SQS unavailable');
        }
        return queue.enqueue(notification);
      },
    };
  }

  function dependenciesWith(queue: NotificationQueue) {
    const client = createDocumentClient(dynamodb);
    return {
      users,
      transactions,
      claims: new IdempotencyStore({ client, tableName: local.tables.idempotency, retentionSeconds: 3_600 }),
      queue,
      insights: new PlainSummaryInsights(),
      logger: new CapturingLogger('weekly-summary'),
      budgetMs: () => 60_000,
    };
  }

  it('fails the run and queues the rest on retry', async () => {
    await createUser({ ...EVERY_CHANNEL, channels: ['email', 'sms'] });
    const run = { referenceTime: new Date(EVENT.time), correlationId: 'weekly-summary-retry' };

    const failed = runWeeklySummary(run, dependenciesWith(flakyQueue(2)));
    await expect(failed).rejects.toThrow(WeeklySummaryIncompleteError);
    const retried = await runWeeklySummary(run, dependenciesWith(flakyQueue()));
    const notifications = await takeNotifications();

    expect(retried).toMatchObject({ status: 'complete', notificationsQueued: 1, alreadyQueued: 1 });
    expect(notifications.map((notification) => notification.kind).sort()).toEqual(['email', 'sms']);
  });

  it('stops when the time runs out', async () => {
    await createUser({ ...EVERY_CHANNEL, channels: ['email'] });
    const run = { referenceTime: new Date(EVENT.time), correlationId: 'weekly-summary-late' };

    const error = await runWeeklySummary(run, {
      ...dependenciesWith(flakyQueue()),
      budgetMs: () => 1_000,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(WeeklySummaryIncompleteError);
    expect((error as WeeklySummaryIncompleteError).result).toMatchObject({
      status: 'incomplete',
      usersRead: 0,
    });
    expect(await takeNotifications()).toEqual([]);
  });
});

describe('referenceTimeOf', () => {
  it('uses the scheduled time', () => {
    expect(referenceTimeOf(EVENT, () => 0).toISOString()).toBe('2026-03-23T12:00:00.000Z');
  });

  it('falls back to the clock', () => {
    expect(
      referenceTimeOf({ time: 'not a time' }, () => Date.parse('2026-03-24T08:00:00Z')).toISOString(),
    ).toBe('2026-03-24T08:00:00.000Z');
  });
});
