import { SLACK_ERRORS } from '../../infra/local/fake-slack/server';
import { FEEDBACK_RECORD_SUBSEGMENT } from '../../lib/notify/feedback/process-feedback';
import type { Notification } from '../../lib/notify/notification';
import { NOTIFICATION_SUBSEGMENT } from '../../lib/notify/process-notification';
import { METRICS } from '../../lib/observability/metric-names';
import { type NotifyHarness, snsEvent, startNotifyHarness } from '../support/notify-harness';
import { FakeTracer } from '../unit/observability/fake-tracer';

let sequence = 0;

function ids(prefix: string): { idempotencyKey: string; correlationId: string } {
  sequence += 1;
  return {
    idempotencyKey: `${prefix}:observability:${sequence}`,
    correlationId: `${prefix}-obs-${sequence}`,
  };
}

function slackAlert(): Notification {
  return {
    version: 1,
    kind: 'slack',
    ...ids('alert'),
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
}

function smsAlert(): Notification {
  return { ...slackAlert(), ...ids('sms'), kind: 'sms', recipient: { phoneNumber: '+15555550100' } };
}

function confirmationEmail(): Notification {
  return {
    version: 1,
    kind: 'email',
    ...ids('confirm'),
    recipient: { emailAddress: `observability-${sequence}@example.com` },
    template: 'email-confirmation',
    data: { code: '482913', expiresInMinutes: 30 },
  };
}

function hardBounce(address: string, sesMessageId: string, correlationTag?: string) {
  return {
    notificationType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address, status: '5.1.1' }],
      feedbackId: `feedback-${sesMessageId}`,
      timestamp: '2026-03-18T11:00:00.000Z',
    },
    mail: {
      messageId: sesMessageId,
      destination: [address],
      ...(correlationTag === undefined ? {} : { tags: { correlationId: [correlationTag] } }),
    },
  };
}

describe('notification-sender observability', () => {
  let harness: NotifyHarness;
  let tracer: FakeTracer;

  beforeAll(async () => {
    tracer = new FakeTracer('notification-sender');
    harness = await startNotifyHarness({ senderTracer: tracer });
  });

  afterAll(async () => {
    await harness.stop();
  });

  /** Returns the record subsegment of the notification with `correlationId`. */
  function recordSegment(correlationId: string) {
    return tracer
      .named(NOTIFICATION_SUBSEGMENT)
      .find((segment) => segment.annotations.correlationId === correlationId);
  }

  function logged(): Record<string, unknown>[] {
    return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  describe('tracing', () => {
    it('annotates each record subsegment with its ids', async () => {
      const alert = slackAlert();
      const email = confirmationEmail();

      await harness.send(alert, email);

      expect(recordSegment(alert.correlationId)?.annotations).toEqual({
        correlationId: alert.correlationId,
        notificationKind: 'slack',
      });
      expect(recordSegment(email.correlationId)?.annotations).toEqual({
        correlationId: email.correlationId,
        notificationKind: 'email',
      });
    });

    it('traces the Slack post as a remote call', async () => {
      const alert = slackAlert();

      await harness.send(alert);

      const calls = recordSegment(alert.correlationId)!.subsegments;
      expect(calls.map((segment) => segment.name)).toEqual(['slack.incomingWebhook']);
      expect(calls[0]!.attributes).toEqual({ namespace: 'remote' });
    });

    it('names the SNS operation of an SMS', async () => {
      const sms = smsAlert();

      await harness.send(sms);

      expect(recordSegment(sms.correlationId)!.subsegments.map((segment) => segment.name)).toEqual([
        'sns.Publish',
      ]);
    });

    it('traces both SES calls of an e-mail', async () => {
      const email = confirmationEmail();

      await harness.send(email);

      // GetSuppressedDestination, which returns NotFoundException for an address not on the list, then SendEmail.
      expect(recordSegment(email.correlationId)!.subsegments.map((segment) => segment.name)).toEqual([
        'ses',
        'ses',
      ]);
    });

    it('flags a Slack 429 as a throttle', async () => {
      harness.slack.failNext('operations', SLACK_ERRORS.rateLimited(1));
      const alert = slackAlert();

      await harness.send(alert);

      expect(recordSegment(alert.correlationId)!.subsegments.map((segment) => segment.flags)).toEqual([
        ['error', 'throttle'],
        [],
      ]);
    });

    it('keeps the Slack webhook URL and the addresses out of the trace', async () => {
      const email = confirmationEmail();

      await harness.send(slackAlert(), email);

      expect(tracer.serialized()).not.toContain(harness.operationsWebhookUrl);
      expect(tracer.serialized()).not.toContain(new URL(harness.operationsWebhookUrl).pathname);
      expect(tracer.serialized()).not.toContain('example.com');
    });

    it('traces the AWS clients', () => {
      expect(tracer.capturedClients).toEqual(
        expect.arrayContaining([
          'DynamoDBClient',
          'SESv2Client',
          'SNSClient',
          'SQSClient',
          'SecretsManagerClient',
        ]),
      );
    });
  });

  describe('log keys', () => {
    it('puts the correlation id on the send line', async () => {
      const alert = slackAlert();

      await harness.send(alert);

      expect(
        logged().find(
          (line) => line.message === 'Notification sent' && line.idempotencyKey === alert.idempotencyKey,
        ),
      ).toMatchObject({ correlationId: alert.correlationId, notificationKind: 'slack' });
    });

    it('puts the correlation id on the resilience layer lines', async () => {
      // Slack takes no idempotency key, so only a 429 is retried.
      harness.slack.failNext('operations', SLACK_ERRORS.rateLimited(1));
      const alert = slackAlert();
      const before = harness.logLines.length;

      await harness.send(alert);

      const retry = logged()
        .slice(before)
        .find((line) => line.message === 'Retrying call after a dependency failure');
      expect(retry).toMatchObject({ dependency: 'slack', correlationId: alert.correlationId });
    });

    it('removes the ids after the record', async () => {
      const alert = slackAlert();
      const before = harness.logLines.length;

      await harness.send(alert, '{"version": 1}');

      const invalid = logged()
        .slice(before)
        .find((line) => String(line.message).startsWith('Invalid notification record'));
      expect(invalid).toBeDefined();
      expect(invalid).not.toHaveProperty('correlationId');
    });
  });

  describe('metrics', () => {
    it('records the notification metrics of the contract', async () => {
      const before = harness.metrics.count(METRICS.notificationsSent, { kind: 'sms' });

      await harness.send(smsAlert());

      expect(harness.metrics.count(METRICS.notificationsSent, { kind: 'sms' })).toBe(before + 1);
    });

    it('gives the resilience layer the provider as dependency', async () => {
      harness.slack.failNext('operations', SLACK_ERRORS.rateLimited(1));
      const before = harness.metrics.count(METRICS.providerRateLimited, { dependency: 'slack' });

      await harness.send(slackAlert());

      expect(harness.metrics.count(METRICS.providerRateLimited, { dependency: 'slack' })).toBe(before + 1);
    });
  });
});

describe('ses-feedback observability', () => {
  let harness: NotifyHarness;
  let tracer: FakeTracer;

  beforeAll(async () => {
    tracer = new FakeTracer('ses-feedback');
    harness = await startNotifyHarness({ feedbackTracer: tracer });
  });

  afterAll(async () => {
    await harness.stop();
  });

  function logged(): Record<string, unknown>[] {
    return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('annotates each record with the SES message id as correlation id', async () => {
    await harness.feedback(snsEvent([hardBounce('bounce-1@example.com', 'ses-message-1')]));

    const segment = tracer
      .named(FEEDBACK_RECORD_SUBSEGMENT)
      .find((candidate) => candidate.annotations.sesMessageId === 'ses-message-1');
    expect(segment?.annotations).toEqual({ correlationId: 'ses-message-1', sesMessageId: 'ses-message-1' });
  });

  it("prefers the notification's correlation id tag", async () => {
    await harness.feedback(snsEvent([hardBounce('bounce-2@example.com', 'ses-message-2', 'req-7f3c2a')]));

    const line = logged().find(
      (candidate) =>
        candidate.message === 'Suppressed an address after a hard bounce' &&
        candidate.sesMessageId === 'ses-message-2',
    );
    expect(line).toMatchObject({ correlationId: 'req-7f3c2a' });
  });

  it('logs the SES message id as correlation id without tags', async () => {
    await harness.feedback(snsEvent([hardBounce('bounce-3@example.com', 'ses-message-3')]));

    const line = logged().find((candidate) => candidate.sesMessageId === 'ses-message-3');
    expect(line).toMatchObject({ correlationId: 'ses-message-3' });
  });

  it('records the feedback metrics of the contract', async () => {
    const before = harness.metrics.count(METRICS.addressesSuppressed, { reason: 'hard-bounce' });

    await harness.feedback(snsEvent([hardBounce('bounce-4@example.com', 'ses-message-4')]));

    expect(harness.metrics.count(METRICS.addressesSuppressed, { reason: 'hard-bounce' })).toBe(before + 1);
    expect(harness.metrics.count(METRICS.sesFeedback, { outcome: 'hard-bounce' })).toBeGreaterThan(0);
  });

  it('traces the DynamoDB client', () => {
    expect(tracer.capturedClients).toContain('DynamoDBClient');
  });
});
