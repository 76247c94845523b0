import type { ResilienceLogger } from '../../resilience/logger';
import type { NotificationOf } from '../notification';
import type { NotificationKind } from '../templates';

/** Reason a notification was not sent although nothing failed. */
export type SkipReason =
  /** The address is on our suppression list. */
  | 'suppressed'
  /** The address is on the SES account-level suppression list. */
  | 'ses-account-suppressed'
  /** The user's push channel was disabled for this endpoint before. */
  | 'push-channel-disabled'
  /** SNS reported the endpoint disabled on this send; the push channel is now disabled. */
  | 'endpoint-disabled';

/** Outcome of one send: sent, or skipped with a reason. */
export type SendOutcome =
  | {
      status: 'sent' /** The provider's id of the message, when it returns one. */;
      providerMessageId?: string;
    }
  | { status: 'skipped'; reason: SkipReason };

/** Per-send context from the function invocation. */
export interface SendContext {
  /** Milliseconds that the send may still take, waits and retries included. */
  budgetMs(): number;
  logger: ResilienceLogger;
}

/**
 * Sends notifications of one kind. A sender returns `skipped` for recipients that must not be contacted, and
 * throws when the send failed: {@link NotificationRejectedError} when a retry cannot help, the resilience
 * layer's errors when the send must wait, and the provider's error otherwise.
 */
export interface NotificationSender<K extends NotificationKind> {
  readonly kind: K;
  send(notification: NotificationOf<K>, context: SendContext): Promise<SendOutcome>;
}

/** One sender per kind. */
export type NotificationSenders = { readonly [K in NotificationKind]: NotificationSender<K> };
