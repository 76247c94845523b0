import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { classifyFailure } from '../../resilience/failure';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import type { NotificationOf } from '../notification';
import { renderSms } from '../templates';
import type { NotificationSender, SendContext, SendOutcome } from './sender';
import { rejectedOrOriginal } from './sns-push-sender';

/** Options of {@link SnsSmsSender}. */
export interface SnsSmsSenderOptions {
  /** SNS client. Give it `maxAttempts: 1`, because the resilience layer retries. */
  sns: SNSClient;
  resilience: ResilientCaller;
  /** Sender ID shown where the destination country supports one. */
  senderId?: string;
}

/**
 * Sends SMS through SNS (Publish with `PhoneNumber`) as the Transactional type, which SNS routes for
 * reliable delivery rather than lowest cost. Sends take from the `sns:sms` bucket.
 */
export class SnsSmsSender implements NotificationSender<'sms'> {
  readonly kind = 'sms';
  readonly #options: SnsSmsSenderOptions;

  constructor(options: SnsSmsSenderOptions) {
    this.#options = options;
  }

  async send(notification: NotificationOf<'sms'>, context: SendContext): Promise<SendOutcome> {
    const attributes: Record<string, MessageAttributeValue> = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    };
    if (this.#options.senderId !== undefined) {
      attributes['AWS.SNS.SMS.SenderID'] = { DataType: 'String', StringValue: this.#options.senderId };
    }
    const command = new PublishCommand({
      PhoneNumber: notification.recipient.phoneNumber,
      Message: renderSms(notification.template, notification.data),
      MessageAttributes: attributes,
    });

    try {
      const result = await this.#options.resilience.call(
        {
          dependency: 'sns',
          rateLimits: rateLimitsFor('sns:sms'),
          idempotent: false,
          budgetMs: context.budgetMs(),
          classify: classifyFailure,
        },
        () => this.#options.sns.send(command),
      );

      return { status: 'sent', providerMessageId: result.MessageId };
    } catch (error) {
      throw rejectedOrOriginal(error);
    }
  }
}
