import { SES_ERRORS } from '../../infra/local/fake-ses/server';
import { SLACK_ERRORS } from '../../infra/local/fake-slack/server';
import { SNS_ERRORS } from '../../infra/local/fake-sns/server';
import type { Notification } from '../../lib/notify/notification';
import { METRICS } from '../../lib/observability/metric-names';
import { type NotifyHarness, startNotifyHarness } from '../support/notify-harness';

let sequence = 0;

function nextKey(prefix: string): { idempotencyKey: string; correlationId: string } {
  sequence += 1;
  return { idempotencyKey: `${prefix}:${sequence}`, correlationId: `${prefix}-${sequence}` };
}

const WEEKLY_DATA = {
  periodStart: '2026-03-16',
  periodEnd: '2026-03-22',
  currency: 'EUR',
  totalSpent: '312.40',
  totalIncome: '1500.00',
  transactionCount: 23,
  topCategories: [],
};

function email(emailAddress: string): Notification {
  return {
    version: 1,
    kind: 'email',
    ...nextKey('weekly'),
    recipient: { userId: 'user-0001', emailAddress },
    template: 'weekly-summary',
    data: WEEKLY_DATA,
  };
}

function push(userId: string, endpointArn: string): Notification {
  return {
    version: 1,
    kind: 'push',
    ...nextKey('push'),
    recipient: { userId, endpointArn },
    template: 'weekly-summary',
    data: WEEKLY_DATA,
  };
}

function slackAlert(): Notification {
  return {
    version: 1,
    kind: 'slack',
    ...nextKey('alert'),
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

describe('notification senders', () => {
  let harness: NotifyHarness;

  beforeAll(async () => {
    harness = await startNotifyHarness();
  });

  afterAll(async () => {
    await harness.stop();
  });

  beforeEach(() => {
    harness.sleeps.length = 0;
  });

  describe('SES e-mail', () => {
    it('retries SES throttling and sends', async () => {
      harness.ses.failNext('SendEmail', SES_ERRORS.throttled, 2);
      const sentBefore = harness.ses.sent.length;

      const response = await harness.send(email('throttled@example.com'));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.ses.sent).toHaveLength(sentBefore + 1);
      const sendCalls = harness.ses.calls.filter((call) => call.operation === 'SendEmail').slice(-3);
      expect(sendCalls.map((call) => call.status)).toEqual([429, 429, 200]);
      // Full jitter with random() = 0.5: half of 1 s, then half of 2 s.
      expect(harness.sleeps).toEqual(expect.arrayContaining([500, 1_000]));
    });

    it('fails the record on MessageRejected without retrying it', async () => {
      // GetSuppressedDestination returns NotFoundException first: the address is not on the SES list.
      harness.ses.failNext('SendEmail', SES_ERRORS.messageRejected);
      const callsBefore = harness.ses.calls.length;

      const response = await harness.send(email('rejected@example.com'));

      expect(response.batchItemFailures).toHaveLength(1);
      expect(harness.ses.calls.slice(callsBefore).map((call) => call.errorType ?? call.status)).toEqual([
        'NotFoundException',
        'MessageRejected',
      ]);
      expect(harness.logLines.at(-1)).toContain('"code":"MessageRejected"');
      expect(harness.metrics.count(METRICS.notificationsFailed, { kind: 'email', reason: 'rejected' })).toBe(
        1,
      );
    });

    it('fails the record while the account is suspended', async () => {
      harness.ses.failNext('SendEmail', SES_ERRORS.accountSuspended);

      const response = await harness.send(email('suspended@example.com'));

      expect(response.batchItemFailures).toHaveLength(1);
      expect(harness.metrics.count(METRICS.notificationsFailed, { kind: 'email', reason: 'error' })).toBe(1);
    });

    it('sends a notification once per idempotency key', async () => {
      const notification = email('once@example.com');
      const sentBefore = harness.ses.sent.length;

      await harness.send(notification);
      await harness.send(notification);

      expect(harness.ses.sent).toHaveLength(sentBefore + 1);
      expect(
        harness.metrics.count(METRICS.notificationsSkipped, { kind: 'email', reason: 'duplicate' }),
      ).toBe(1);
    });

    it('fails an invalid record alone', async () => {
      const valid = email('valid@example.com');

      const response = await harness.send('{"version":1,"kind":"fax"}', valid);

      expect(response.batchItemFailures).toHaveLength(1);
      expect(harness.ses.sent.at(-1)?.to).toEqual(['valid@example.com']);
    });
  });

  describe('SNS push', () => {
    it('sends a push with a payload per platform', async () => {
      await harness.putUser('user-push-ok');
      const endpointArn = harness.sns.createEndpoint();

      const response = await harness.send(push('user-push-ok', endpointArn));

      expect(response.batchItemFailures).toEqual([]);
      const published = harness.sns.published.at(-1)!;
      expect(published).toMatchObject({ targetArn: endpointArn, messageStructure: 'json' });
      const payload = JSON.parse(published.message) as Record<string, string>;
      expect(JSON.parse(payload.GCM!)).toMatchObject({ notification: { title: 'Your weekly summary' } });
      expect(JSON.parse(payload.APNS!)).toMatchObject({ aps: { alert: { title: 'Your weekly summary' } } });
    });

    it('disables the push channel on EndpointDisabled and skips later pushes', async () => {
      await harness.putUser('user-push-gone');
      const endpointArn = harness.sns.createEndpoint('APNS');
      harness.sns.disableEndpoint(endpointArn);

      const first = await harness.send(push('user-push-gone', endpointArn));
      const callsAfterFirst = harness.sns.calls.length;
      const second = await harness.send(push('user-push-gone', endpointArn));

      expect(first.batchItemFailures).toEqual([]);
      expect(second.batchItemFailures).toEqual([]);
      expect(await harness.getUser('user-push-gone')).toMatchObject({
        pushChannel: { status: 'disabled', endpointArn, reason: 'EndpointDisabled' },
      });
      expect(harness.sns.calls).toHaveLength(callsAfterFirst);
      expect(
        harness.metrics.count(METRICS.notificationsSkipped, {
          kind: 'push',
          reason: 'endpoint-disabled',
        }),
      ).toBe(1);
      expect(
        harness.metrics.count(METRICS.notificationsSkipped, {
          kind: 'push',
          reason: 'push-channel-disabled',
        }),
      ).toBe(1);
    });

    it('retries SNS throttling', async () => {
      await harness.putUser('user-push-throttled');
      const endpointArn = harness.sns.createEndpoint();
      harness.sns.failNext(SNS_ERRORS.throttled);

      const response = await harness.send(push('user-push-throttled', endpointArn));

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.sns.calls.slice(-2).map((call) => call.status)).toEqual([429, 200]);
    });
  });

  describe('SNS SMS', () => {
    it('publishes a transactional SMS to the phone number', async () => {
      const response = await harness.send({
        version: 1,
        kind: 'sms',
        ...nextKey('sms'),
        recipient: { phoneNumber: '+15555550100' },
        template: 'operations-alert',
        data: slackAlert().data,
      });

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.sns.published.at(-1)).toMatchObject({
        phoneNumber: '+15555550100',
        message: 'Financy [test] Dead-letter queue inbound-dlq.fifo is not empty',
        attributes: {
          'AWS.SNS.SMS.SMSType': { dataType: 'String', stringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { dataType: 'String', stringValue: 'Financy' },
        },
      });
    });
  });

  describe('Slack webhook', () => {
    it('posts the alert with fallback text and blocks', async () => {
      const response = await harness.send(slackAlert());

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.slack.messages.at(-1)).toMatchObject({
        webhook: 'operations',
        payload: { text: '[test] Dead-letter queue inbound-dlq.fifo is not empty' },
      });
      expect(harness.slack.messages.at(-1)?.payload.blocks).toHaveLength(4);
    });

    it('waits the Retry-After of a 429 before the next attempt', async () => {
      harness.clock.advance(5_000);
      harness.slack.failNext('operations', SLACK_ERRORS.rateLimited(7));
      const callsBefore = harness.slack.calls.length;

      const response = await harness.send(slackAlert());

      expect(response.batchItemFailures).toEqual([]);
      expect(harness.slack.calls.slice(callsBefore).map((call) => call.status)).toEqual([429, 200]);
      // The backoff would be 500 ms; the 429 asked for 7 s, and that is the only wait before attempt 2.
      expect(harness.sleeps).toEqual([7_000]);
    });

    it('keeps to 1 message per second per webhook', async () => {
      harness.clock.advance(5_000);

      await harness.send(slackAlert(), slackAlert());

      expect(harness.sleeps).toHaveLength(1);
      expect(harness.sleeps[0]).toBeGreaterThan(900);
      expect(harness.sleeps[0]).toBeLessThanOrEqual(1_000);
    });

    it.each([
      ['no_service', SLACK_ERRORS.noService],
      ['channel_is_archived', SLACK_ERRORS.channelIsArchived],
      ['invalid_payload', SLACK_ERRORS.invalidPayload],
    ])('fails the record on %s without retrying it', async (code, failure) => {
      harness.clock.advance(5_000);
      harness.slack.failNext('operations', failure);
      const callsBefore = harness.slack.calls.length;

      const response = await harness.send(slackAlert());

      expect(response.batchItemFailures).toHaveLength(1);
      expect(harness.slack.calls).toHaveLength(callsBefore + 1);
      expect(harness.logLines.at(-1)).toContain(`"code":"${code}"`);
    });
  });
});
