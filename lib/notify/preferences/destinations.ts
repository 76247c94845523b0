import { notificationDestinationOf, type User, type UserNotificationChannel } from '../../domain/user';
import { NOTIFICATION_FORMAT_VERSION, type Notification } from '../notification';
import type { TemplateName } from '../templates';

/** The template, data and keys of a notification, without its recipient. */
export interface NotificationContent {
  template: TemplateName;
  data: Readonly<Record<string, unknown>>;
  idempotencyKey: string;
  correlationId: string;
}

/**
 * Builds the notification of `content` to `user` on `channel`. Returns `undefined` when the user has no
 * destination on that channel: no confirmed address, no number or no enabled device.
 */
export function notificationFor(
  user: Pick<User, 'userId' | 'notifications' | 'pushChannel'>,
  channel: UserNotificationChannel,
  content: NotificationContent,
): Notification | undefined {
  const destination = notificationDestinationOf(user, channel);
  if (destination === undefined) {
    return undefined;
  }

  const base = { version: NOTIFICATION_FORMAT_VERSION as typeof NOTIFICATION_FORMAT_VERSION, ...content };
  switch (channel) {
    case 'email':
      return { ...base, kind: 'email', recipient: { userId: user.userId, emailAddress: destination } };
    case 'sms':
      return { ...base, kind: 'sms', recipient: { userId: user.userId, phoneNumber: destination } };
    case 'push':
      return { ...base, kind: 'push', recipient: { userId: user.userId, endpointArn: destination } };
  }
}

/** Turns an id such as the chat event key `telegram:500000101` into a correlation id: letters, digits, _ and -. */
export function correlationIdFrom(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128);
}
