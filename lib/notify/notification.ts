import { SLACK_WEBHOOK_NAME } from '../config';
import { E164_PHONE_NUMBER, isEmailAddress } from './addresses';
import { InvalidNotificationError } from './errors';
import {
  NOTIFICATION_KINDS,
  type NotificationKind,
  TEMPLATE_NAMES,
  type TemplateName,
  validateTemplateData,
} from './templates';
import {
  type JsonObject,
  readEnum,
  readInteger,
  readObject,
  readOptionalString,
  readRecord,
  readString,
} from './validation';

/** Version of the queue message format that {@link parseNotification} reads. */
export const NOTIFICATION_FORMAT_VERSION = 1;

/** Largest notification-queue message body this module writes or reads, well under SQS's 256 KiB. */
export const MAX_NOTIFICATION_BYTES = 64 * 1024;

/** An e-mail recipient. `userId` links the send to a user in logs when there is one. */
export interface EmailRecipient {
  userId?: string;
  emailAddress: string;
}

/** A mobile device of a user, as its SNS platform endpoint. */
export interface PushRecipient {
  userId: string;
  endpointArn: string;
}

/** A phone that receives SMS. */
export interface SmsRecipient {
  userId?: string;
  /** E.164 number such as `+351912345678`. */
  phoneNumber: string;
}

/** A Slack channel, by the name of its incoming webhook in the configuration; never the URL itself. */
export interface SlackRecipient {
  webhook: string;
}

/** Fields of every notification. */
interface NotificationBase {
  version: typeof NOTIFICATION_FORMAT_VERSION;
  /**
   * Key that identifies this notification across redeliveries and retries of its producer, such as
   * `weekly-summary:<user id>:2026-W12`. A second message of the same kind with the same key is not sent again. It is
   * logged, so it must not contain an address or a phone number.
   */
  idempotencyKey: string;
  /** Id of the request or job that caused the notification, carried through every log line. */
  correlationId: string;
  template: TemplateName;
  /** Template data, checked against the template when the message is read. */
  data: Readonly<Record<string, unknown>>;
}

/** One notification on the notification queue. */
export type Notification = NotificationBase &
  (
    | { kind: 'email'; recipient: EmailRecipient }
    | { kind: 'push'; recipient: PushRecipient }
    | { kind: 'sms'; recipient: SmsRecipient }
    | { kind: 'slack'; recipient: SlackRecipient }
  );

/** A notification of one kind. */
export type NotificationOf<K extends NotificationKind> = Extract<Notification, { kind: K }>;

const USER_ID = { pattern: /^[A-Za-z0-9_-]+$/, expected: 'an id of letters, digits, _ and -', maxLength: 64 };
// SES message tag values accept only letters, digits, _ and -, and the correlation id becomes one.
const CORRELATION_ID = {
  pattern: /^[A-Za-z0-9_-]+$/,
  expected: 'an id of letters, digits, _ and -',
  maxLength: 128,
};
const IDEMPOTENCY_KEY = {
  pattern: /^[\x21-\x7e]+$/,
  expected: 'printable ASCII without spaces',
  maxLength: 256,
};
const ENDPOINT_ARN = {
  pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\/[A-Za-z_]+\/[^/\s]+\/[0-9a-f-]+$/,
  expected: 'an SNS platform endpoint ARN',
  maxLength: 512,
};

function parseRecipient(kind: NotificationKind, value: unknown): Notification['recipient'] {
  const path = 'recipient';
  switch (kind) {
    case 'email': {
      const recipient = readObject(value, path, ['userId', 'emailAddress']);
      const emailAddress = readString(recipient, 'emailAddress', path, { maxLength: 254 });
      if (!isEmailAddress(emailAddress)) {
        throw new InvalidNotificationError('recipient.emailAddress', 'must be a single e-mail address');
      }
      return { userId: readOptionalString(recipient, 'userId', path, USER_ID), emailAddress };
    }
    case 'push': {
      const recipient = readObject(value, path, ['userId', 'endpointArn']);
      return {
        userId: readString(recipient, 'userId', path, USER_ID),
        endpointArn: readString(recipient, 'endpointArn', path, ENDPOINT_ARN),
      };
    }
    case 'sms': {
      const recipient = readObject(value, path, ['userId', 'phoneNumber']);
      return {
        userId: readOptionalString(recipient, 'userId', path, USER_ID),
        phoneNumber: readString(recipient, 'phoneNumber', path, {
          pattern: E164_PHONE_NUMBER,
          expected: 'an E.164 number such as +351912345678',
        }),
      };
    }
    case 'slack': {
      const recipient = readObject(value, path, ['webhook']);
      return {
        webhook: readString(recipient, 'webhook', path, {
          pattern: SLACK_WEBHOOK_NAME,
          expected: 'a configured webhook name such as "operations"',
        }),
      };
    }
  }
}

/**
 * Reads a notification from a queue message body. Unknown fields are rejected, and the template data must
 * fit the template, so a bad producer fails here and not halfway through a send.
 * @throws {InvalidNotificationError} naming the first invalid field; the message never repeats a value.
 */
export function parseNotification(body: string): Notification {
  if (Buffer.byteLength(body, 'utf8') > MAX_NOTIFICATION_BYTES) {
    throw new InvalidNotificationError('body', `must be at most ${MAX_NOTIFICATION_BYTES} bytes`);
  }

  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new InvalidNotificationError('body', 'is not valid JSON');
  }

  const message: JsonObject = readObject(value, 'notification', [
    'version',
    'kind',
    'idempotencyKey',
    'correlationId',
    'recipient',
    'template',
    'data',
  ]);
  readInteger(message, 'version', 'notification', NOTIFICATION_FORMAT_VERSION, NOTIFICATION_FORMAT_VERSION);
  const kind = readEnum(message, 'kind', 'notification', NOTIFICATION_KINDS);
  const template = readEnum(message, 'template', 'notification', TEMPLATE_NAMES);
  const data = readRecord(message.data, 'data');
  validateTemplateData(template, kind, data);

  return {
    version: NOTIFICATION_FORMAT_VERSION,
    kind,
    idempotencyKey: readString(message, 'idempotencyKey', 'notification', IDEMPOTENCY_KEY),
    correlationId: readString(message, 'correlationId', 'notification', CORRELATION_ID),
    recipient: parseRecipient(kind, message.recipient),
    template,
    data,
  } as Notification;
}

/**
 * Writes a notification as a queue message body, after the same checks {@link parseNotification} applies,
 * so a producer learns of a bad message before it is queued.
 * @throws {InvalidNotificationError} naming the first invalid field.
 */
export function serializeNotification(notification: Notification): string {
  const body = JSON.stringify(notification);
  parseNotification(body);

  return body;
}
