import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { classifyFailure } from '../../resilience/failure';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { NotificationRejectedError } from '../errors';
import type { NotificationOf } from '../notification';
import type { PushChannels } from '../push-channel-store';
import { type RenderedPush, renderPush } from '../templates';
import { awsErrorName, isServiceError } from './provider-errors';
import type { NotificationSender, SendContext, SendOutcome } from './sender';

/** Options of {@link SnsPushSender}. */
export interface SnsPushSenderOptions {
  /** SNS client. Give it `maxAttempts: 1`, because the resilience layer retries. */
  sns: SNSClient;
  channels: PushChannels;
  resilience: ResilientCaller;
}

/**
 * Returns an SNS message with one payload per platform (`MessageStructure: 'json'`): FCM, APNs and its
 * sandbox, and `default` for any other platform. Each platform payload is itself a JSON string.
 */
export function platformMessage(push: RenderedPush, correlationId: string): string {
  const apns = JSON.stringify({ aps: { alert: { title: push.title, body: push.body } }, correlationId });

  return JSON.stringify({
    default: push.body,
    GCM: JSON.stringify({ notification: { title: push.title, body: push.body }, data: { correlationId } }),
    APNS: apns,
    APNS_SANDBOX: apns,
  });
}

/**
 * Sends mobile push notifications through SNS platform endpoints (Publish with `TargetArn`). An endpoint
 * that SNS reports disabled (EndpointDisabled, after the push service rejected the device token) disables
 * the user's push channel, and later pushes to it are skipped without calling SNS.
 */
export class SnsPushSender implements NotificationSender<'push'> {
  readonly kind = 'push';
  readonly #options: SnsPushSenderOptions;

  constructor(options: SnsPushSenderOptions) {
    this.#options = options;
  }

  async send(notification: NotificationOf<'push'>, context: SendContext): Promise<SendOutcome> {
    const { userId, endpointArn } = notification.recipient;
    if (await this.#options.channels.isDisabled(userId, endpointArn)) {
      return { status: 'skipped', reason: 'push-channel-disabled' };
    }

    const message = platformMessage(
      renderPush(notification.template, notification.data),
      notification.correlationId,
    );
    try {
      const result = await this.#options.resilience.call(
        { dependency: 'sns', idempotent: false, budgetMs: context.budgetMs(), classify: classifyFailure },
        () =>
          this.#options.sns.send(
            new PublishCommand({ TargetArn: endpointArn, Message: message, MessageStructure: 'json' }),
          ),
      );

      return { status: 'sent', providerMessageId: result.MessageId };
    } catch (error) {
      if (awsErrorName(error) !== 'EndpointDisabledException') {
        throw rejectedOrOriginal(error);
      }
    }

    const disabled = await this.#options.channels.disable(userId, endpointArn, 'EndpointDisabled');
    context.logger.warn('Push endpoint is disabled; disabled the user push channel', {
      userId,
      userFound: disabled,
    });

    return { status: 'skipped', reason: 'endpoint-disabled' };
  }
}

/** Wraps SNS caller errors in {@link NotificationRejectedError}; returns any other error as it is. */
export function rejectedOrOriginal(error: unknown): unknown {
  const name = awsErrorName(error);
  if (name !== undefined && isServiceError(error) && classifyFailure(error) === 'caller-error') {
    return new NotificationRejectedError(
      'sns',
      name,
      `SNS rejected the publish with ${name}; check the endpoint, the phone number or the platform application, ` +
        'then redrive the record.',
      { cause: error },
    );
  }

  return error;
}
