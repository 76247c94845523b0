import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Update } from '@grammyjs/types';
import type { CdkCustomResourceEvent, ScheduledEvent, SNSEvent } from 'aws-lambda';
import { type ChatUser, textUpdate } from '../../infra/local/update-factory';
import type {
  WhatsAppChangeValue,
  WhatsAppError,
  WhatsAppWebhookPayload,
} from '../../lib/channels/whatsapp/payload';
import { snsEvent } from './notify-harness';

/** Builds a private-chat photo update whose caption is `caption`, as Telegram sends a captioned photo. */
export function photoUpdate(caption: string, user: ChatUser): Update {
  const update = textUpdate(caption, { user });
  const { text: _text, ...message } = update.message!;

  return {
    ...update,
    message: {
      ...message,
      caption,
      photo: [
        { file_id: 'AgACAgQAAxkBAAIBLeakPhotoSmall', file_unique_id: 'AQADLeakSmall', width: 90, height: 67 },
        {
          file_id: 'AgACAgQAAxkBAAIBLeakPhotoLarge',
          file_unique_id: 'AQADLeakLarge',
          width: 1280,
          height: 960,
        },
      ],
    },
  } as Update;
}

/** Builds an update that fails the webhook's shape check: `date` is text, and `text` carries `text`. */
export function misshapenUpdate(text: string, user: ChatUser): unknown {
  const update = textUpdate(text, { user });

  return { ...update, message: { ...update.message, date: 'yesterday' } };
}

/** Builds the event that CloudFormation's provider framework sends for `Custom::TelegramWebhook`. */
export function customResourceEvent(
  requestType: 'Create' | 'Update' | 'Delete',
  secretArn: string,
): CdkCustomResourceEvent {
  const properties = {
    ServiceToken: 'arn:aws:lambda:us-east-1:000000000000:function:financy-test-provider',
    SecretArn: secretArn,
    WebhookUrl: 'https://leak-test.execute-api.us-east-1.amazonaws.com/webhooks/telegram',
    AllowedUpdates: ['message', 'edited_message', 'callback_query'],
    SecretVersion: 'leak-test',
  };
  const base = {
    ServiceToken: properties.ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response.example/leak-test',
    StackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Financy-test/1',
    RequestId: randomUUID(),
    LogicalResourceId: 'TelegramWebhookRegistration',
    ResourceType: 'Custom::TelegramWebhook',
    ResourceProperties: properties,
  };
  if (requestType === 'Create') {
    return { ...base, RequestType: 'Create' };
  }
  if (requestType === 'Update') {
    return {
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'telegram-webhook',
      OldResourceProperties: properties,
    };
  }

  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'telegram-webhook' };
}

/** Builds an EventBridge scheduled event for `time`, as the hourly and weekly rules send it. */
export function scheduledEvent(time: Date, rule: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [`arn:aws:events:us-east-1:000000000000:rule/${rule}`],
    detail: {},
  };
}

/** Reads an SNS event sample from `events/`. */
export function sampleSnsEvent(fileName: string): SNSEvent {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'events', fileName), 'utf8')) as SNSEvent;
}

/** An e-mail that fake SES accepted, as far as SES feedback refers to it. */
export interface SentEmailReference {
  messageId: string;
  tags: Record<string, string>;
}

/**
 * Builds SES feedback for an e-mail sent to `address`: a hard bounce whose diagnostic repeats the address,
 * a soft bounce, a complaint, a delivery, and two messages that are not valid SES notifications but carry
 * the address.
 */
export function sesFeedbackEvent(address: string, email: SentEmailReference): SNSEvent {
  const mail = {
    messageId: email.messageId,
    timestamp: new Date().toISOString(),
    source: 'notifications@financy.example',
    destination: [address],
    tags: Object.fromEntries(Object.entries(email.tags).map(([name, value]) => [name, [value]])),
    commonHeaders: { to: [`Planted Person <${address}>`], subject: 'Your Financy code' },
  };
  const at = new Date().toISOString();

  return snsEvent([
    {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: address,
            status: '5.1.1',
            action: 'failed',
            diagnosticCode: `smtp; 550 5.1.1 <${address}>: Recipient address rejected: User unknown`,
          },
        ],
        timestamp: at,
        feedbackId: `leak-hard-${randomUUID()}`,
      },
      mail,
    },
    {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Transient',
        bounceSubType: 'MailboxFull',
        bouncedRecipients: [
          {
            emailAddress: address,
            status: '4.2.2',
            diagnosticCode: `smtp; 452 4.2.2 <${address}> mailbox full`,
          },
        ],
        timestamp: at,
        feedbackId: `leak-soft-${randomUUID()}`,
      },
      mail,
    },
    {
      notificationType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: address }],
        complaintFeedbackType: 'abuse',
        timestamp: at,
        feedbackId: `leak-complaint-${randomUUID()}`,
      },
      mail,
    },
    {
      notificationType: 'Delivery',
      delivery: { recipients: [address], timestamp: at, smtpResponse: `250 2.0.0 OK <${address}>` },
      mail,
    },
    // Not JSON: cut off in the middle of the recipient list.
    `{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"${address}"`,
    // JSON, but a bounce without a bounce type or feedback id.
    { notificationType: 'Bounce', bounce: { bouncedRecipients: [{ emailAddress: address }] }, mail },
  ]);
}

/** WhatsApp Business Account and business phone number of the log-leak test's WhatsApp payloads. */
export const LEAK_WHATSAPP_ACCOUNT_ID = '100000000000731';
export const LEAK_WHATSAPP_PHONE_NUMBER_ID = '200000000000731';

/** Wraps one `messages` change value into a webhook POST body, as Meta sends it for the test's number. */
function whatsAppPayload(
  value: Omit<WhatsAppChangeValue, 'messaging_product' | 'metadata'>,
): WhatsAppWebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: LEAK_WHATSAPP_ACCOUNT_ID,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: '15550100731',
                phone_number_id: LEAK_WHATSAPP_PHONE_NUMBER_ID,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

/** Builds a webhook POST with one text message from `waId`, sent now, whose id is `messageId`. */
export function whatsAppTextPayload(waId: string, text: string, messageId: string): WhatsAppWebhookPayload {
  return whatsAppPayload({
    contacts: [{ wa_id: waId, profile: { name: 'Leak Tester' } }],
    messages: [
      {
        from: waId,
        id: messageId,
        timestamp: String(Math.floor(Date.now() / 1_000)),
        type: 'text',
        text: { body: text },
      },
    ],
  });
}

/**
 * Builds a webhook POST with the status of a message that the bot sent to `waId`. A `failed` status carries
 * `errors` as Meta reports an undeliverable message.
 */
export function whatsAppStatusPayload(
  messageId: string,
  waId: string,
  status: 'delivered' | 'failed',
): WhatsAppWebhookPayload {
  const errors: WhatsAppError[] = [
    {
      code: 131026,
      title: 'Message undeliverable',
      message: 'Message undeliverable',
      error_data: { details: 'Message Undeliverable.' },
    },
  ];

  return whatsAppPayload({
    statuses: [
      {
        id: messageId,
        status,
        timestamp: String(Math.floor(Date.now() / 1_000)),
        recipient_id: waId,
        ...(status === 'failed' ? { errors } : {}),
      },
    ],
  });
}
