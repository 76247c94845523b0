import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startFakeTelegram } from '../../infra/local/fake-telegram/server';
import type { FakeTelegram } from '../../infra/local/fake-telegram/types';
import type { LocalFxRefreshOutcome } from '../../infra/local/local-fx-refresh';
import { type NotificationFeed, watchLocalNotifications } from '../../infra/local/notification-feed';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { DynamoFxRateStore } from '../../lib/fx/rate-store';
import type { Notification } from '../../lib/notify/notification';
import { METRICS } from '../../lib/observability/metric-names';
import { createDocumentClient } from '../../lib/store/clients';
import { CapturingLogger } from '../support/capturing-logger';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIRMATION = JSON.parse(
  readFileSync(path.join(ROOT, 'events', 'notification-email-confirmation.json'), 'utf8'),
) as Notification;
const BREAKER_ALERT = JSON.parse(
  readFileSync(path.join(ROOT, 'events', 'notification-slack-breaker-opened.json'), 'utf8'),
) as Notification;

/** Polls `condition` every 50 ms until it holds, and fails after `timeoutMs`. */
async function waitFor(description: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('local stack with notifications and fx-refresh', () => {
  const sqs = createLocalSqsClient();
  const documents = createDocumentClient();
  const logLines: string[] = [];
  const metrics = new RecordingMetrics();
  const refreshes: LocalFxRefreshOutcome[] = [];
  const feedLines: string[] = [];
  let telegram: FakeTelegram;
  let stack: LocalStack;
  let feed: NotificationFeed;

  beforeAll(async () => {
    telegram = await startFakeTelegram();
    stack = await startLocalStack({
      botToken: telegram.token,
      telegramApiBaseUrl: telegram.url,
      prefix: `test-${randomBytes(4).toString('hex')}`,
      visibilityTimeoutSeconds: 1,
      webhookLogger: new CapturingLogger('telegram-webhook', logLines),
      processorLogger: new CapturingLogger('message-processor', logLines),
      metrics,
      fxRefresh: {
        logger: new CapturingLogger('fx-refresh', logLines),
        onRefresh: (outcome) => refreshes.push(outcome),
      },
      notifications: { logger: new CapturingLogger('notification-sender', logLines) },
    });
    feed = watchLocalNotifications(stack.notifications!, (line) => feedLines.push(line));
  });

  afterAll(async () => {
    feed.stop();
    await stack.stop();
    await telegram.stop();
    sqs.destroy();
    documents.destroy();
  });

  function logged(): Record<string, unknown>[] {
    return logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function enqueue(notification: Notification): Promise<void> {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.notifications!.queueUrl,
        MessageBody: JSON.stringify(notification),
      }),
    );
  }

  describe('fx-refresh', () => {
    it('refreshes once before the stack starts', () => {
      expect(refreshes).toHaveLength(1);
      expect(stack.fxRefresh!.firstOutcome).toEqual(refreshes[0]);
    });

    it('stores the rates of the fake providers at start', async () => {
      const latest = await new DynamoFxRateStore(documents, stack.fxRefresh!.ratesTable).getLatest('USD');

      expect(latest?.version).toBe(1);
      expect(latest?.rates.EUR).toMatchObject({ rate: '0.92', provider: 'exchangerate-api' });
      expect(Object.keys(latest?.rates ?? {})).toHaveLength(14);
    });

    it('records the FX metrics of the refresh at start', () => {
      expect(metrics.count(METRICS.fxRefreshes, { outcome: 'complete' })).toBeGreaterThanOrEqual(1);
      expect(metrics.named(METRICS.fxRatesAge).length).toBeGreaterThanOrEqual(1);
    });

    it('gives the processor the rate table', () => {
      expect(stack.environment).toMatchObject({
        FX_RATES_TABLE: stack.fxRefresh!.ratesTable,
        FX_BASE_CURRENCY: 'USD',
      });
    });

    it('refreshes again on request', async () => {
      const outcome = await stack.fxRefresh!.refresh();

      expect(outcome).toMatchObject({ result: { status: 'complete', version: 2 } });
      expect(refreshes).toHaveLength(2);
    });
  });

  describe('notifications', () => {
    it('gives the processor the notification queue', () => {
      expect(stack.environment.NOTIFICATION_QUEUE_URL).toBe(stack.notifications!.queueUrl);
    });

    it('sends a queued e-mail through the fake SES', async () => {
      const notification = {
        ...CONFIRMATION,
        idempotencyKey: `email-confirmation:local:${randomBytes(4).toString('hex')}`,
      };

      await enqueue(notification);
      await waitFor('the e-mail at the fake SES', () => stack.notifications!.ses.sent.length > 0);

      const [email] = stack.notifications!.ses.sent;
      expect(email!.to).toEqual(['ana@example.com']);
      expect(email!.tags).toMatchObject({ template: 'email-confirmation', correlationId: 'req-7f3c2a' });
      expect(email!.configurationSetName).toBe('financy-local');
    });

    it('logs the send with the correlation id', async () => {
      await waitFor('the send log line', () => logged().some((line) => line.message === 'Notification sent'));

      expect(logged().find((line) => line.message === 'Notification sent')).toMatchObject({
        service: 'notification-sender',
        correlationId: 'req-7f3c2a',
        notificationKind: 'email',
      });
    });

    it('counts the sent notification', () => {
      expect(metrics.count(METRICS.notificationsSent, { kind: 'email' })).toBe(1);
    });

    it('posts a queued Slack alert to the fake webhook', async () => {
      await enqueue(BREAKER_ALERT);
      await waitFor('the Slack message', () => stack.notifications!.slack.messages.length > 0);

      expect(stack.notifications!.slack.messages[0]!.webhook).toBe('operations');
    });

    it('shows each delivery without addresses', async () => {
      await waitFor('two feed lines', () => feedLines.length >= 2);

      expect(feedLines[0]).toMatch(/^e-mail › ".+" to 1 recipient \(fake SES, /);
      expect(feedLines[0]).toContain('\n  482913');
      expect(feedLines[1]).toMatch(/^Slack operations › .+\(fake Slack webhook\)$/);
      expect(feedLines.join('\n')).not.toContain('ana@example.com');
    });
  });
});

describe('local stack without notifications and fx-refresh', () => {
  it('gives the processor no rate table and no notification queue', async () => {
    const telegram = await startFakeTelegram();
    const stack = await startLocalStack({
      botToken: telegram.token,
      telegramApiBaseUrl: telegram.url,
      prefix: `test-${randomBytes(4).toString('hex')}`,
      webhookLogger: new CapturingLogger('telegram-webhook'),
      processorLogger: new CapturingLogger('message-processor'),
      metrics: new RecordingMetrics(),
      startProcessor: false,
    });
    try {
      expect(stack.fxRefresh).toBeUndefined();
      expect(stack.notifications).toBeUndefined();
      expect(stack.environment).not.toHaveProperty('FX_RATES_TABLE');
      expect(stack.environment).not.toHaveProperty('NOTIFICATION_QUEUE_URL');
    } finally {
      await stack.stop();
      await telegram.stop();
    }
  });
});

describe('npm start with notifications and fx-refresh', () => {
  let status: number | null;
  let stderr: string;
  let logLines: Record<string, unknown>[];

  beforeAll(() => {
    const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'financy-start-')), 'functions.log');
    const result = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['infra/local/start.ts', '--replay', 'events/telegram/text-expense.json', '--log-file', logFile],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, TELEGRAM_BOT_TOKEN: '' } },
    );
    status = result.status;
    stderr = result.stderr;
    logLines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }, 130_000);

  it('exits 0', () => {
    expect(status).toBe(0);
  });

  it('names the notification queue and the fakes', () => {
    expect(stderr).toContain('Notification queue');
    expect(stderr).toMatch(/fake SES {9}http:\/\/127\.0\.0\.1:\d+/);
    expect(stderr).toMatch(/fake Slack {7}http:\/\/127\.0\.0\.1:\d+/);
  });

  it('reports the refresh at start', () => {
    expect(stderr).toMatch(/FX rates {11}complete: 14 rates against USD updated, version 1/);
  });

  it('writes the refresh to the log file', () => {
    expect(logLines.find((line) => line.message === 'FX refresh finished')).toMatchObject({
      service: 'fx-refresh',
      status: 'complete',
    });
    expect(logLines.filter((line) => '_aws' in line && 'FxRatesAge' in line)).toEqual([
      expect.objectContaining({ service: 'fx-refresh' }),
    ]);
  });
});
