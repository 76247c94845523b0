import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Notification } from '../../lib/notify/notification';
import { METRICS } from '../../lib/observability/metric-names';
import { type NotifyHarness, snsEvent, startNotifyHarness } from '../support/notify-harness';

const EVENTS = path.resolve(__dirname, '../../events');
const SES_01 = JSON.parse(
  readFileSync(path.join(EVENTS, 'ses-bounce-two-recipients-comma-joined-to.json'), 'utf8'),
);
const SES_02 = JSON.parse(
  readFileSync(path.join(EVENTS, 'ses-bounce-classification-cases.json'), 'utf8'),
) as {
  notifications: { label: string; message: Record<string, unknown> }[];
};

let sequence = 0;

function confirmationTo(emailAddress: string): Notification {
  sequence += 1;
  return {
    version: 1,
    kind: 'email',
    idempotencyKey: `email-confirmation:test:${sequence}`,
    correlationId: `test-${sequence}`,
    recipient: { emailAddress },
    template: 'email-confirmation',
    data: { code: '482913', expiresInMinutes: 30 },
  };
}

function softBounce(address: string, feedbackId: string, bounceType = 'Transient', status = '4.2.2') {
  return {
    notificationType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Transient' ? 'MailboxFull' : 'Undetermined',
      bouncedRecipients: [{ emailAddress: address, status }],
      feedbackId,
      timestamp: '2024-06-05T11:00:00.000Z',
    },
    mail: { messageId: `msg-${feedbackId}`, destination: [address] },
  };
}

describe('SES feedback and suppression', () => {
  let harness: NotifyHarness;

  beforeAll(async () => {
    harness = await startNotifyHarness({ transientBounceLimit: 3 });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('suppresses both recipients of the SES-01 event', async () => {
    const summary = await harness.feedback(SES_01);

    expect(summary.outcomes['hard-bounce']).toBe(2);
    expect(await harness.suppression('ana@example.com')).toMatchObject({
      suppressed: true,
      reason: 'hard-bounce',
      sourceEvent: { type: 'Bounce', feedbackId: '0100000000000000-fake-000000', status: '5.1.1' },
    });
    expect(await harness.suppression('ben@example.org')).toMatchObject({
      suppressed: true,
      reason: 'hard-bounce',
    });
  });

  it('skips and counts the next send to a hard-bounced address', async () => {
    const before = harness.metrics.count(METRICS.notificationsSkipped, {
      kind: 'email',
      reason: 'suppressed',
    });

    const response = await harness.send(confirmationTo('Ana@Example.com'));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.ses.sent).toHaveLength(0);
    expect(harness.ses.calls).toHaveLength(0);
    expect(harness.metrics.count(METRICS.notificationsSkipped, { kind: 'email', reason: 'suppressed' })).toBe(
      before + 1,
    );
  });

  it('sends to an address without history', async () => {
    const response = await harness.send(confirmationTo('fresh@example.com'));

    expect(response.batchItemFailures).toEqual([]);
    expect(harness.ses.sent.map((email) => email.to)).toContainEqual(['fresh@example.com']);
    expect(harness.ses.sent.at(-1)).toMatchObject({
      configurationSetName: 'financy-test',
      subject: 'Confirm your e-mail address for Financy',
      tags: { template: 'email-confirmation' },
    });
  });

  it('suppresses after the third soft bounce', async () => {
    const address = 'soft@example.com';
    await harness.feedback(snsEvent([softBounce(address, 'soft-1')]));
    await harness.feedback(snsEvent([softBounce(address, 'soft-2')]));

    expect(await harness.suppression(address)).toMatchObject({ suppressed: false, softBounceCount: 2 });

    await harness.feedback(snsEvent([softBounce(address, 'soft-3')]));

    expect(await harness.suppression(address)).toMatchObject({
      suppressed: true,
      reason: 'soft-bounce-limit',
      softBounceCount: 3,
    });
  });

  it('counts a redelivered soft bounce once', async () => {
    const address = 'twice@example.com';
    const event = snsEvent([softBounce(address, 'dup-1')]);
    await harness.feedback(event);
    const summary = await harness.feedback(event);

    expect(summary.outcomes['duplicate-soft-bounce']).toBe(1);
    expect(await harness.suppression(address)).toMatchObject({ suppressed: false, softBounceCount: 1 });
  });

  it('resets the soft-bounce count after a delivery', async () => {
    const address = 'recovers@example.com';
    await harness.feedback(snsEvent([softBounce(address, 'rec-1'), softBounce(address, 'rec-2')]));
    await harness.feedback(
      snsEvent([{ eventType: 'Delivery', delivery: { recipients: [address] }, mail: { messageId: 'm' } }]),
    );
    await harness.feedback(snsEvent([softBounce(address, 'rec-3')]));

    expect(await harness.suppression(address)).toMatchObject({ suppressed: false, softBounceCount: 1 });
  });

  describe('SES-02 classification', () => {
    let summary: Awaited<ReturnType<NotifyHarness['feedback']>>;

    beforeAll(async () => {
      summary = await harness.feedback(snsEvent(SES_02.notifications.map((entry) => entry.message)));
    });

    it('suppresses a Transient bounce with a 5.x.x status', async () => {
      expect(await harness.suppression('c1@example.com')).toMatchObject({
        suppressed: true,
        reason: 'hard-bounce',
      });
    });

    it('counts an Undetermined bounce as soft and logs it', async () => {
      expect(await harness.suppression('c2@example.com')).toMatchObject({
        suppressed: false,
        softBounceCount: 1,
        undeterminedBounceCount: 1,
      });
      const warnings = harness.logLines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line.message === 'Counted an undetermined bounce as a soft bounce');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        level: 'WARN',
        feedbackId: 'fake-c2@example.com',
        softBounceCount: 1,
      });
    });

    it('counts a MailboxFull 4.2.2 bounce as soft', async () => {
      expect(await harness.suppression('c3@example.com')).toMatchObject({
        suppressed: false,
        softBounceCount: 1,
      });
    });

    it('suppresses OnAccountSuppressionList without counting a bounce', async () => {
      expect(await harness.suppression('c4@example.com')).toMatchObject({
        suppressed: true,
        reason: 'ses-account-suppression-list',
        softBounceCount: 0,
      });
      expect(summary.outcomes).toEqual({
        'hard-bounce': 1,
        'undetermined-bounce': 1,
        'soft-bounce': 1,
        'already-suppressed': 1,
      });
    });
  });

  it('suppresses complained recipients at once', async () => {
    await harness.feedback(
      snsEvent([
        {
          notificationType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: 'Angry@Example.com' }],
            complaintFeedbackType: 'abuse',
            feedbackId: 'complaint-1',
          },
          mail: { messageId: 'complained-msg' },
        },
      ]),
    );

    expect(await harness.suppression('angry@example.com')).toMatchObject({
      suppressed: true,
      reason: 'complaint',
      sourceEvent: { type: 'Complaint', complaintFeedbackType: 'abuse' },
    });
  });

  it('processes every record around a malformed one', async () => {
    const event = snsEvent(['{"notificationType": "Bounce", "bounce": ', SES_01.Records[0].Sns.Message]);
    const malformedId = event.Records[0]!.Sns.MessageId;
    const logCount = harness.logLines.length;

    const summary = await harness.feedback(event);

    expect(summary).toMatchObject({
      records: 2,
      failedRecords: 0,
      outcomes: { malformed: 1, 'hard-bounce': 2 },
    });
    const errors = harness.logLines
      .slice(logCount)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(errors).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'Skipped malformed SES feedback',
        snsMessageId: malformedId,
        recordIndex: 0,
        reason: 'the SNS Message is not valid JSON',
      }),
    );
  });

  it('logs and ignores a misspelled type instead of dropping it silently', async () => {
    const logCount = harness.logLines.length;

    const summary = await harness.feedback(
      snsEvent([{ notificationType: 'Complaints', complaint: { complainedRecipients: [] } }]),
    );

    expect(summary.outcomes).toEqual({ ignored: 1 });
    expect(harness.logLines.slice(logCount).join('\n')).toContain('"notificationType":"Complaints"');
  });

  it('skips an address on the SES account-level suppression list', async () => {
    harness.ses.suppress('listed@example.com');
    const sentBefore = harness.ses.sent.length;

    await harness.send(confirmationTo('listed@example.com'));

    expect(harness.ses.sent).toHaveLength(sentBefore);
    expect(
      harness.metrics.count(METRICS.notificationsSkipped, {
        kind: 'email',
        reason: 'ses-account-suppressed',
      }),
    ).toBe(1);
  });
});
