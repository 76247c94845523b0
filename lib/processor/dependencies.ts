import type { Logger } from '@aws-lambda-powertools/logger';
import type { ChatChannel } from '../channels/channel';
import type { Channel } from '../domain/user';
import type { FxRateReader } from '../fx/rate-reader';
import type { NotificationQueue } from '../notify/preferences/notification-queue';
import type { MetricsSink } from '../observability/metric-names';
import type { Tracing } from '../observability/tracing';
import type { IdempotencyStore } from '../store/idempotency-store';
import type { TransactionStore } from '../store/transaction-store';
import type { UserStore } from '../store/user-store';
import type { ProcessorAi } from './ai/services';
import type { ProcessorAlbums } from './albums/album-settings';
import type { DeliveryStatusEvent } from './chat-event';
import type { RecordDeferrer } from './deferral';

/**
 * Outcome of recording a delivery status: `updated`, `unchanged` (the message already had that state or a
 * later one, since statuses can arrive out of order) or `unknown` (not a message the bot sent, or one
 * whose record expired).
 */
export type DeliveryRecordOutcome = 'updated' | 'unchanged' | 'unknown';

/** Records the delivery state of the bot's messages. */
export interface DeliveryTracker {
  record(event: DeliveryStatusEvent): Promise<DeliveryRecordOutcome>;
}

/**
 * Raised when an event arrives from a channel this deployment has no credentials for, such as a WhatsApp
 * envelope on a processor without WHATSAPP_SECRET_ARN. The record is retried and then kept in the
 * dead-letter queue until the channel is configured and the queue redriven.
 */
export class ChannelNotConfiguredError extends Error {
  override readonly name = 'ChannelNotConfiguredError';

  constructor(readonly channel: Channel) {
    super(
      `Channel ${channel} is not configured on this processor. Set its secret (for WhatsApp, WHATSAPP_SECRET_ARN ` +
        'and WHATSAPP_STATE_TABLE), then redrive the dead-letter queue.',
    );
  }
}

/** Everything the processor core uses, injected so tests and the local stack can supply their own. */
export interface ProcessorDependencies {
  users: UserStore;
  transactions: TransactionStore;
  idempotency: IdempotencyStore;
  /** Returns the sending side of a channel; may load secrets on first use. */
  channel(channel: Channel): Promise<ChatChannel>;
  logger: Logger;
  /** Receives UpdatesProcessed and ProcessingLag per finished record. */
  metrics: MetricsSink;
  /** Wraps each record in a subsegment annotated with `channel`, `updateId` and `correlationId`. */
  tracing: Tracing;
  /**
   * Exchange rates for converting transactions to the user's home currency. Absent when no rate table is
   * configured: transactions in other currencies are then listed apart, not converted.
   */
  rates?: Pick<FxRateReader, 'getRate'>;
  /** Gives a record back to its queue with a delay; absent in tests that do not exercise deferral. */
  deferrer?: RecordDeferrer;
  /** The notification queue for e-mail confirmation codes, absent where e-mail is not available. */
  notificationQueue?: NotificationQueue;
  /**
   * Keeps the delivery state of the bot's messages from the channels' status reports. Absent when no
   * channel reports delivery (Telegram does not); statuses are then only logged.
   */
  deliveries?: DeliveryTracker;
  /** AI understanding, transcription, OCR and their cost metering; absent where no AI is configured. */
  ai?: ProcessorAi;
  /**
   * Buffers the photos of an album so they are read together; absent where the processor cannot queue
   * (no INBOUND_QUEUE_URL). Each album photo is then read on its own.
   */
  albums?: ProcessorAlbums;
  /** Clock in epoch milliseconds. */
  now(): number;
}
