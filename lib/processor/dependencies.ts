import type { Logger } from '@aws-lambda-powertools/logger';
import type { ChatChannel } from '../channels/channel';
import type { Channel } from '../domain/user';
import type { MetricsSink } from '../observability/metric-names';
import type { Tracing } from '../observability/tracing';
import type { IdempotencyStore } from '../store/idempotency-store';
import type { TransactionStore } from '../store/transaction-store';
import type { UserStore } from '../store/user-store';
import type { RecordDeferrer } from './deferral';

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
  /** Gives a record back to its queue with a delay; absent in tests that do not exercise deferral. */
  deferrer?: RecordDeferrer;
  /** Clock in epoch milliseconds. */
  now(): number;
}
