import { GetSuppressedDestinationCommand, type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import { addressHash } from '../addresses';
import { NotificationRejectedError } from '../errors';
import type { NotificationOf } from '../notification';
import type { SuppressionLookup } from '../suppression-store';
import { renderEmail } from '../templates';
import { awsErrorName, classifySesError, isServiceError } from './provider-errors';
import type { NotificationSender, SendContext, SendOutcome } from './sender';

/** Options of {@link SesEmailSender}. */
export interface SesEmailSenderOptions {
  /** SES v2 client. Give it `maxAttempts: 1`, because the resilience layer retries. */
  ses: SESv2Client;
  suppressions: SuppressionLookup;
  resilience: ResilientCaller;
  /** Sender address, such as `Financy <reports@example.com>`. */
  fromAddress: string;
  /** Configuration set that publishes bounces and complaints for the feedback function. */
  configurationSetName: string;
}

/**
 * Sends e-mail through SES v2. Before each send it checks our suppression table and then the SES
 * account-level suppression list, and skips a suppressed address. Sends take from the `ses:emails` buckets
 * (14 per second, 200,000 per day) and run through the `ses` circuit breaker.
 */
export class SesEmailSender implements NotificationSender<'email'> {
  readonly kind = 'email';
  readonly #options: SesEmailSenderOptions;

  constructor(options: SesEmailSenderOptions) {
    this.#options = options;
  }

  async send(notification: NotificationOf<'email'>, context: SendContext): Promise<SendOutcome> {
    const address = notification.recipient.emailAddress;
    if (await this.#options.suppressions.isSuppressed(address)) {
      return { status: 'skipped', reason: 'suppressed' };
    }
    if (await this.#onAccountSuppressionList(address, context)) {
      return { status: 'skipped', reason: 'ses-account-suppressed' };
    }

    const email = renderEmail(notification.template, notification.data);
    const command = new SendEmailCommand({
      FromEmailAddress: this.#options.fromAddress,
      Destination: { ToAddresses: [address] },
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: email.html, Charset: 'UTF-8' },
            Text: { Data: email.text, Charset: 'UTF-8' },
          },
        },
      },
      ConfigurationSetName: this.#options.configurationSetName,
      // SES event publishing returns these tags in `mail.tags`, which ties feedback to the notification.
      EmailTags: [
        { Name: 'template', Value: notification.template },
        { Name: 'correlationId', Value: notification.correlationId },
      ],
    });

    try {
      const result = await this.#options.resilience.call(
        {
          dependency: 'ses',
          rateLimits: rateLimitsFor('ses:emails'),
          // SendEmail takes no idempotency key, so only a rejected (429) or unsent attempt is retried.
          idempotent: false,
          budgetMs: context.budgetMs(),
          classify: classifySesError,
        },
        () => this.#options.ses.send(command),
      );

      return { status: 'sent', providerMessageId: result.MessageId };
    } catch (error) {
      throw rejectedOrOriginal(error);
    }
  }

  /**
   * Returns true when `address` is on the SES account-level suppression list. GetSuppressedDestination
   * returns NotFoundException for an address that is not on it.
   */
  async #onAccountSuppressionList(address: string, context: SendContext): Promise<boolean> {
    try {
      await this.#options.resilience.call(
        { dependency: 'ses', idempotent: true, budgetMs: context.budgetMs(), classify: classifySesError },
        () => this.#options.ses.send(new GetSuppressedDestinationCommand({ EmailAddress: address })),
      );
    } catch (error) {
      if (awsErrorName(error) === 'NotFoundException') {
        return false;
      }
      context.logger.warn('Could not check the SES account-level suppression list', {
        addressHash: addressHash(address),
        error: awsErrorName(error) ?? String(error),
      });
      throw error;
    }

    return true;
  }
}

/**
 * Wraps SES errors that a retry cannot fix in {@link NotificationRejectedError}; returns any other error as
 * it is, so the resilience layer's "try later" errors keep their type.
 */
function rejectedOrOriginal(error: unknown): unknown {
  const name = awsErrorName(error);
  if (name !== undefined && isServiceError(error) && classifySesError(error) === 'caller-error') {
    return new NotificationRejectedError(
      'ses',
      name,
      `SES rejected the e-mail with ${name}; fix the message or the sending identity, then redrive the record.`,
      { cause: error },
    );
  }

  return error;
}
