import type { SQSRecord } from 'aws-lambda';
import {
  NotificationRejectedError,
  SlackSecretFormatError,
  UnknownSlackWebhookError,
} from '../../lib/notify/errors';
import type { Notification } from '../../lib/notify/notification';
import {
  type NotificationProcessorDependencies,
  processNotificationRecord,
} from '../../lib/notify/process-notification';
import type { NotificationSenders, SendOutcome } from '../../lib/notify/senders/sender';
import { createSlackWebhookResolver } from '../../lib/notify/senders/slack-webhooks';
import { METRICS } from '../../lib/observability/metric-names';
import { RetryBudgetExceededError } from '../../lib/resilience/errors';
import type { ClaimOutcome } from '../../lib/store/idempotency-store';
import { CapturingLogger } from '../support/capturing-logger';
import { sqsEvent } from '../support/notify-harness';
import { RecordingMetrics } from '../unit/observability/recording-metrics';

const ALERT: Notification = {
  version: 1,
  kind: 'slack',
  idempotencyKey: 'alert:unit:1',
  correlationId: 'unit-1',
  recipient: { webhook: 'operations' },
  template: 'operations-alert',
  data: {
    alert: 'dlq-not-empty',
    stage: 'test',
    occurredAt: '2026-03-18T12:05:00.000Z',
    queueName: 'inbound-dlq.fifo',
    approximateMessages: 3,
  },
};

function record(): SQSRecord {
  return sqsEvent([ALERT]).Records[0]!;
}

/** Dependencies whose Slack sender runs `send`, with claims and deferrals recorded. */
function dependenciesWith(send: () => Promise<SendOutcome>, claim: ClaimOutcome = 'claimed') {
  const calls: string[] = [];
  const deferrals: number[] = [];
  const metrics = new RecordingMetrics();
  const unused = { send: () => Promise.reject(new Error('not used in this test')) };
  const dependencies: NotificationProcessorDependencies = {
    senders: {
      email: unused,
      push: unused,
      sms: unused,
      slack: { kind: 'slack', send },
    } as unknown as NotificationSenders,
    idempotency: {
      claim: async () => {
        calls.push('claim');
        return claim;
      },
      complete: async () => {
        calls.push('complete');
      },
      release: async () => {
        calls.push('release');
      },
    },
    deferrer: {
      defer: async (_record, delayMs) => {
        deferrals.push(delayMs);
        return Math.ceil(delayMs / 1_000);
      },
    },
    logger: new CapturingLogger('notification-sender'),
    metrics,
    budgetMs: () => 20_000,
    claimLeaseSeconds: 120,
  };

  return { dependencies, calls, deferrals, metrics };
}

describe('processNotificationRecord', () => {
  it('completes the claim after a send', async () => {
    const { dependencies, calls } = dependenciesWith(async () => ({ status: 'sent' }));

    await expect(processNotificationRecord(record(), dependencies)).resolves.toEqual({ status: 'sent' });
    expect(calls).toEqual(['claim', 'complete']);
  });

  it('skips a completed idempotency key', async () => {
    const send = jest.fn(async (): Promise<SendOutcome> => ({ status: 'sent' }));
    const { dependencies, metrics } = dependenciesWith(send, 'completed');

    await expect(processNotificationRecord(record(), dependencies)).resolves.toEqual({ status: 'duplicate' });
    expect(send).not.toHaveBeenCalled();
    expect(metrics.count(METRICS.notificationsSkipped, { kind: 'slack', reason: 'duplicate' })).toBe(1);
  });

  it('fails a record whose key another invocation holds', async () => {
    const { dependencies } = dependenciesWith(async () => ({ status: 'sent' }), 'in-progress');

    await expect(processNotificationRecord(record(), dependencies)).rejects.toThrow(
      'is being sent by another invocation',
    );
  });

  it('defers a record by the wait a 429 requested', async () => {
    const rateLimited = new RetryBudgetExceededError(120_000, 1, 20_000, 0, new Error('429'));
    const { dependencies, calls, deferrals } = dependenciesWith(() => Promise.reject(rateLimited));

    await expect(processNotificationRecord(record(), dependencies)).rejects.toBe(rateLimited);
    expect(deferrals).toEqual([120_000]);
    expect(calls).toEqual(['claim', 'release']);
  });

  it('does not defer a rejected notification', async () => {
    const rejected = new NotificationRejectedError(
      'slack',
      'no_service',
      'Slack webhook "operations" returned 404.',
    );
    const { dependencies, deferrals, metrics } = dependenciesWith(() => Promise.reject(rejected));

    await expect(processNotificationRecord(record(), dependencies)).rejects.toBe(rejected);
    expect(deferrals).toEqual([]);
    expect(metrics.count(METRICS.notificationsFailed, { kind: 'slack', reason: 'rejected' })).toBe(1);
  });
});

describe('createSlackWebhookResolver', () => {
  const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:slack';
  const source = { kind: 'secrets-manager' as const, secretId: SECRET_ID, maxAgeSeconds: 300 };
  const URL_IN_SECRET = 'https://hooks.slack.com/services/T000/B000/secret-path-value';

  it('reads the webhook URL from the secret', async () => {
    const resolve = createSlackWebhookResolver(source, {
      get: async () => JSON.stringify({ operations: URL_IN_SECRET }),
    });

    await expect(resolve('operations')).resolves.toBe(URL_IN_SECRET);
    await expect(resolve('billing')).rejects.toThrow(UnknownSlackWebhookError);
  });

  it('rejects a malformed secret without quoting it', async () => {
    const resolve = createSlackWebhookResolver(source, {
      get: async () => `{"operations": "${URL_IN_SECRET}"`,
    });

    await expect(resolve('operations')).rejects.toThrow(SlackSecretFormatError);
    await expect(resolve('operations')).rejects.not.toThrow('secret-path-value');
  });
});
