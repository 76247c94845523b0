import { classifyFailure } from '../../resilience/failure';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { NotificationRejectedError } from '../errors';
import type { NotificationOf } from '../notification';
import { renderSlack } from '../templates';
import type { NotificationSender, SendContext, SendOutcome } from './sender';
import { type SlackWebhookClient, SlackWebhookError } from './slack-client';
import type { SlackWebhookResolver } from './slack-webhooks';

/** Options of {@link SlackSender}. */
export interface SlackSenderOptions {
  client: SlackWebhookClient;
  resolveWebhook: SlackWebhookResolver;
  resilience: ResilientCaller;
}

/**
 * Posts operations alerts to Slack incoming webhooks. Each webhook has its own `slack:webhook:<name>`
 * bucket of 1 message per second, and a 429 is retried no earlier than its Retry-After. A 4xx other than
 * 429 means the webhook or the payload is wrong, which a retry does not fix.
 */
export class SlackSender implements NotificationSender<'slack'> {
  readonly kind = 'slack';
  readonly #options: SlackSenderOptions;

  constructor(options: SlackSenderOptions) {
    this.#options = options;
  }

  async send(notification: NotificationOf<'slack'>, context: SendContext): Promise<SendOutcome> {
    const { webhook } = notification.recipient;
    const webhookUrl = await this.#options.resolveWebhook(webhook);
    const message = renderSlack(notification.template, notification.data);

    try {
      await this.#options.resilience.call(
        {
          dependency: 'slack',
          rateLimits: rateLimitsFor('slack:webhook', webhook),
          // Incoming webhooks take no idempotency key: only a 429 or an unsent request is retried.
          idempotent: false,
          budgetMs: context.budgetMs(),
          classify: classifyFailure,
        },
        () => this.#options.client.post(webhook, webhookUrl, message),
      );
    } catch (error) {
      if (error instanceof SlackWebhookError && classifyFailure(error) === 'caller-error') {
        throw new NotificationRejectedError(
          'slack',
          error.code,
          `${error.message} Check the webhook in the Slack secret or the message payload, then redrive the record.`,
          { cause: error },
        );
      }
      throw error;
    }

    return { status: 'sent' };
  }
}
