import { readFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidNotificationError } from '../../lib/notify/errors';
import { type Notification, parseNotification, serializeNotification } from '../../lib/notify/notification';

const EVENTS = path.resolve(__dirname, '../../events');

function sample(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(EVENTS, name), 'utf8')) as Record<string, unknown>;
}

describe('parseNotification', () => {
  it.each([
    'notification-email-weekly-summary.json',
    'notification-email-confirmation.json',
    'notification-slack-breaker-opened.json',
    'notification-push-weekly-summary.json',
    'notification-sms-dlq-alert.json',
  ])('reads the sample %s', (name) => {
    const body = JSON.stringify(sample(name));

    expect(parseNotification(body)).toEqual(JSON.parse(body));
  });

  it('rejects an unknown field', () => {
    const body = JSON.stringify({ ...sample('notification-email-confirmation.json'), priority: 'high' });

    expect(() => parseNotification(body)).toThrow('notification has unknown field "priority"');
  });

  it('rejects a template the kind cannot render', () => {
    const body = JSON.stringify({ ...sample('notification-slack-breaker-opened.json'), kind: 'push' });

    expect(() => parseNotification(body)).toThrow('"operations-alert" cannot be sent as push');
  });

  it('rejects a comma-joined recipient without repeating it', () => {
    const message = sample('notification-email-confirmation.json');
    const body = JSON.stringify({
      ...message,
      recipient: { emailAddress: 'ana@example.com, ben@example.org' },
    });

    expect(() => parseNotification(body)).toThrow(InvalidNotificationError);
    expect(() => parseNotification(body)).toThrow('recipient.emailAddress must be a single e-mail address');
    try {
      parseNotification(body);
    } catch (error) {
      expect((error as Error).message).not.toContain('example.com');
    }
  });

  it('rejects a phone number that is not E.164', () => {
    const body = JSON.stringify({
      ...sample('notification-sms-dlq-alert.json'),
      recipient: { phoneNumber: '0912345678' },
    });

    expect(() => parseNotification(body)).toThrow('recipient.phoneNumber must be an E.164 number');
  });

  it('rejects a correlation id that SES cannot carry as a tag', () => {
    const body = JSON.stringify({
      ...sample('notification-email-confirmation.json'),
      correlationId: 'req 1',
    });

    expect(() => parseNotification(body)).toThrow('notification.correlationId');
  });

  it('rejects invalid JSON and another version', () => {
    expect(() => parseNotification('{')).toThrow('body is not valid JSON');
    expect(() =>
      parseNotification(JSON.stringify({ ...sample('notification-email-confirmation.json'), version: 2 })),
    ).toThrow('notification.version');
  });

  it('serializes only a valid notification', () => {
    const notification = sample('notification-email-confirmation.json') as unknown as Notification;

    expect(JSON.parse(serializeNotification(notification))).toEqual(notification);
    expect(() => serializeNotification({ ...notification, data: { code: '1' } } as Notification)).toThrow(
      'data.code',
    );
  });
});
