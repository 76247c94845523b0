import { SLACK_ERRORS } from '../../infra/local/fake-slack/server';
import { addressHash } from '../../lib/notify/addresses';
import type { Notification } from '../../lib/notify/notification';
import { type NotifyHarness, snsEvent, startNotifyHarness } from '../support/notify-harness';

const PLANTED_ADDRESS = 'Planted.Person@Example.com';
const PLANTED_PHONE = '+15555550199';

describe('notification log privacy', () => {
  let harness: NotifyHarness;

  beforeAll(async () => {
    harness = await startNotifyHarness();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('keeps addresses, phone numbers and webhook URLs out of logs', async () => {
    const alert: Notification = {
      version: 1,
      kind: 'slack',
      idempotencyKey: 'alert:privacy:1',
      correlationId: 'privacy-1',
      recipient: { webhook: 'operations' },
      template: 'operations-alert',
      data: {
        alert: 'fx-refresh-failing',
        stage: 'test',
        occurredAt: '2026-03-18T12:00:00.000Z',
        provider: 'frankfurter',
        consecutiveFailures: 3,
      },
    };
    harness.slack.failNext('operations', SLACK_ERRORS.rateLimited(1));
    await harness.send(alert);
    harness.slack.failNext('operations', SLACK_ERRORS.noService);
    await harness.send({ ...alert, idempotencyKey: 'alert:privacy:2' });
    await harness.send({
      version: 1,
      kind: 'email',
      idempotencyKey: 'privacy:email:1',
      correlationId: 'privacy-2',
      recipient: { emailAddress: PLANTED_ADDRESS },
      template: 'email-confirmation',
      data: { code: '482913', expiresInMinutes: 30 },
    });
    await harness.send({
      version: 1,
      kind: 'sms',
      idempotencyKey: 'privacy:sms:1',
      correlationId: 'privacy-3',
      recipient: { phoneNumber: PLANTED_PHONE },
      template: 'operations-alert',
      data: alert.data,
    });
    await harness.send(JSON.stringify({ ...alert, recipient: { emailAddress: PLANTED_ADDRESS } }));
    await harness.feedback(
      snsEvent([
        {
          notificationType: 'Bounce',
          bounce: {
            bounceType: 'Undetermined',
            bouncedRecipients: [{ emailAddress: PLANTED_ADDRESS }],
            feedbackId: 'privacy-feedback',
          },
          mail: {
            messageId: 'privacy-msg',
            commonHeaders: { to: [`${PLANTED_ADDRESS}, other@example.com`] },
          },
        },
        {
          notificationType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: PLANTED_ADDRESS }],
            feedbackId: 'privacy-complaint',
          },
          mail: { messageId: 'privacy-msg' },
        },
      ]),
    );

    const logs = harness.logLines.join('\n');
    const secretPath = new URL(harness.operationsWebhookUrl).pathname;

    expect(harness.logLines.length).toBeGreaterThan(6);
    expect(logs.toLowerCase()).not.toContain(PLANTED_ADDRESS.toLowerCase());
    expect(logs).not.toContain('Planted.Person');
    expect(logs).not.toContain(PLANTED_PHONE);
    expect(logs).not.toContain('5555550199');
    expect(logs).not.toContain(harness.operationsWebhookUrl);
    expect(logs).not.toContain(secretPath.split('/').at(-1));
    expect(logs).not.toContain('482913');
    expect(logs).not.toContain(addressHash(PLANTED_PHONE));
  });
});
