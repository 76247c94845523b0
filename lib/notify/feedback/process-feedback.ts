import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import {
  METRICS,
  type MetricsSink,
  type SesFeedbackOutcome,
  type SuppressionReasonDimension,
} from '../../observability/metric-names';
import { NO_TRACING, type Tracing } from '../../observability/tracing';
import type { ResilienceLogger } from '../../resilience/logger';
import { addressHash } from '../addresses';
import { describeError } from '../errors';
import type { DynamoSuppressionStore, FeedbackEventRef, SuppressionReason } from '../suppression-store';
import { classifyBounce, enhancedStatusOf } from './classify-bounce';
import { MalformedFeedbackError, parseSesFeedback, type SesFeedback } from './ses-notification';

/** Effect of one recipient's feedback on the suppression table. */
export type FeedbackOutcome =
  | 'hard-bounce'
  | 'soft-bounce'
  | 'undetermined-bounce'
  /** A soft bounce whose feedback id was counted before, as on a redelivered SNS message. */
  | 'duplicate-soft-bounce'
  /** SES skipped the send because of its account-level suppression list; not a new bounce. */
  | 'already-suppressed'
  | 'complaint'
  | 'delivery'
  /** A whole SNS record: a feedback type that needs no action. */
  | 'ignored'
  /** A whole SNS record that is not readable SES feedback. */
  | 'malformed';

/** Counts of what an event did, for logs and tests. */
export interface FeedbackSummary {
  records: number;
  failedRecords: number;
  outcomes: Partial<Record<FeedbackOutcome, number>>;
}

/** Dependencies of {@link processSesFeedbackEvent}. */
export interface SesFeedbackDependencies {
  suppressions: Pick<DynamoSuppressionStore, 'suppress' | 'recordSoftBounce' | 'resetSoftBounces'>;
  /** Soft bounces since the last delivery after which an address is suppressed. */
  transientBounceLimit: number;
  logger: ResilienceLogger;
  /** Receives SesFeedback and AddressesSuppressed. */
  metrics: MetricsSink;
  /**
   * Wraps each SNS record in a subsegment, annotated with `correlationId` and `sesMessageId` once the
   * record is read.
   * @default NO_TRACING
   */
  tracing?: Tracing;
}

/** Name of the trace subsegment around one SNS record of SES feedback. */
export const FEEDBACK_RECORD_SUBSEGMENT = '### processSesFeedbackRecord';

/** Some records of an SNS event could not be stored; Lambda retries the event, which is safe to repeat. */
export class FeedbackProcessingError extends Error {
  override readonly name = 'FeedbackProcessingError';

  constructor(
    readonly failedRecords: number,
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(
      `${failedRecords} of ${records} SES feedback records could not be stored; Lambda retries the event, and ` +
        'records stored before are not counted twice.',
      options,
    );
  }
}

/**
 * Records the bounces, complaints and deliveries of an SNS event in the suppression table. Permanent
 * bounces and complaints suppress every recipient at once. Soft bounces are counted once per feedback id and
 * suppress at `transientBounceLimit`, and a delivery resets the count. Every record is processed: a
 * malformed one is logged and skipped, and a storage failure is thrown only after the other records ran.
 *
 * Log lines about a readable record carry its `sesMessageId` and a `correlationId`: the `correlationId`
 * tag that the notification sender put on the e-mail when SES returned tags (event publishing does), and
 * the SES message id otherwise. The sender logs that id as `providerMessageId` when it sends.
 * @throws {FeedbackProcessingError} when a record failed to store, so that Lambda retries the event.
 */
export async function processSesFeedbackEvent(
  event: SNSEvent,
  dependencies: SesFeedbackDependencies,
): Promise<FeedbackSummary> {
  const records = event.Records ?? [];
  const summary: FeedbackSummary = { records: records.length, failedRecords: 0, outcomes: {} };
  const count = (outcome: FeedbackOutcome) => {
    summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    dependencies.metrics.record(METRICS.sesFeedback, { outcome: outcome satisfies SesFeedbackOutcome });
  };

  const tracing = dependencies.tracing ?? NO_TRACING;
  let lastError: unknown;
  for (const [index, record] of records.entries()) {
    try {
      await tracing.inSubsegment(FEEDBACK_RECORD_SUBSEGMENT, () =>
        processRecord(record, index, { ...dependencies, tracing }, count),
      );
    } catch (error) {
      summary.failedRecords += 1;
      lastError = error;
      dependencies.logger.error('Could not store SES feedback; the event will be retried', {
        ...recordIds(record, index),
        error: describeError(error),
      });
    }
  }

  if (summary.failedRecords > 0) {
    throw new FeedbackProcessingError(summary.failedRecords, summary.records, { cause: lastError });
  }

  return summary;
}

function recordIds(record: SNSEventRecord, index: number) {
  return { recordIndex: index, snsMessageId: record.Sns?.MessageId, topicArn: record.Sns?.TopicArn };
}

async function processRecord(
  record: SNSEventRecord,
  index: number,
  dependencies: SesFeedbackDependencies,
  count: (outcome: FeedbackOutcome) => void,
): Promise<void> {
  const ids = recordIds(record, index);
  const message = record.Sns?.Message;
  let feedback: SesFeedback;
  try {
    feedback = parseSesFeedback(message);
  } catch (error) {
    if (!(error instanceof MalformedFeedbackError)) {
      throw error;
    }
    // Retrying cannot fix the message, so it is logged with its ids and skipped.
    dependencies.logger.error('Skipped malformed SES feedback', {
      ...ids,
      messageBytes: typeof message === 'string' ? Buffer.byteLength(message, 'utf8') : undefined,
      reason: error.reason,
    });
    count('malformed');
    return;
  }

  if (feedback.type === 'ignored') {
    dependencies.logger.info('Ignored SES feedback of a type that needs no action', {
      ...ids,
      notificationType: feedback.notificationType,
    });
    count('ignored');
    return;
  }

  const context = {
    ...ids,
    sesMessageId: feedback.mail.sesMessageId,
    correlationId: feedback.mail.correlationId ?? feedback.mail.sesMessageId,
  };
  dependencies.tracing?.annotate({
    correlationId: context.correlationId,
    sesMessageId: context.sesMessageId,
  });
  if (feedback.invalidRecipients > 0) {
    dependencies.logger.warn('SES feedback has recipient entries without a usable address', {
      ...context,
      invalidRecipients: feedback.invalidRecipients,
    });
  }

  switch (feedback.type) {
    case 'Bounce':
      await recordBounce(feedback, context, record, dependencies, count);
      return;
    case 'Complaint':
      await recordComplaint(feedback, context, record, dependencies, count);
      return;
    case 'Delivery':
      for (const address of feedback.recipients) {
        await dependencies.suppressions.resetSoftBounces(address);
        count('delivery');
      }
      return;
  }
}

type LogContext = Record<string, unknown>;

async function recordBounce(
  feedback: Extract<SesFeedback, { type: 'Bounce' }>,
  context: LogContext,
  record: SNSEventRecord,
  dependencies: SesFeedbackDependencies,
  count: (outcome: FeedbackOutcome) => void,
): Promise<void> {
  const { logger, suppressions } = dependencies;
  const feedbackId = feedback.feedbackId ?? record.Sns.MessageId;
  for (const recipient of feedback.recipients) {
    const bounceClass = classifyBounce(feedback.bounceType, feedback.bounceSubType, recipient);
    const event: FeedbackEventRef = {
      type: 'Bounce',
      feedbackId,
      sesMessageId: feedback.mail.sesMessageId,
      bounceType: feedback.bounceType,
      bounceSubType: feedback.bounceSubType,
      status: enhancedStatusOf(recipient),
      timestamp: feedback.timestamp,
    };
    const details = {
      ...context,
      addressHash: addressHash(recipient.address),
      feedbackId,
      bounceType: feedback.bounceType,
      bounceSubType: feedback.bounceSubType,
      status: event.status,
    };

    if (bounceClass === 'hard' || bounceClass === 'already-suppressed') {
      const reason: SuppressionReason =
        bounceClass === 'hard' ? 'hard-bounce' : 'ses-account-suppression-list';
      const newlySuppressed = await suppressions.suppress(recipient.address, reason, event);
      logger.info(
        bounceClass === 'hard'
          ? 'Suppressed an address after a hard bounce'
          : 'Recorded an address that SES already suppresses',
        {
          ...details,
          newlySuppressed,
        },
      );
      countSuppression(newlySuppressed, reason, dependencies);
      count(bounceClass === 'hard' ? 'hard-bounce' : 'already-suppressed');
      continue;
    }

    const undetermined = bounceClass === 'undetermined';
    const outcome = await suppressions.recordSoftBounce(recipient.address, event, {
      limit: dependencies.transientBounceLimit,
      undetermined,
    });
    const logDetails = { ...details, ...outcome, limit: dependencies.transientBounceLimit };
    if (!outcome.counted) {
      logger.info('Soft bounce was counted before; skipped the duplicate', logDetails);
      count('duplicate-soft-bounce');
      continue;
    }
    if (undetermined) {
      logger.warn('Counted an undetermined bounce as a soft bounce', logDetails);
    } else {
      logger.info('Counted a soft bounce', logDetails);
    }
    countSuppression(outcome.newlySuppressed, 'soft-bounce-limit', dependencies);
    count(undetermined ? 'undetermined-bounce' : 'soft-bounce');
  }
}

async function recordComplaint(
  feedback: Extract<SesFeedback, { type: 'Complaint' }>,
  context: LogContext,
  record: SNSEventRecord,
  dependencies: SesFeedbackDependencies,
  count: (outcome: FeedbackOutcome) => void,
): Promise<void> {
  const feedbackId = feedback.feedbackId ?? record.Sns.MessageId;
  // OnAccountSuppressionList: SES did not send, so the recipient did not complain again.
  const alreadySuppressed = feedback.complaintSubType === 'OnAccountSuppressionList';
  const reason: SuppressionReason = alreadySuppressed ? 'ses-account-suppression-list' : 'complaint';
  for (const address of feedback.recipients) {
    const newlySuppressed = await dependencies.suppressions.suppress(address, reason, {
      type: 'Complaint',
      feedbackId,
      sesMessageId: feedback.mail.sesMessageId,
      complaintFeedbackType: feedback.complaintFeedbackType,
      timestamp: feedback.timestamp,
    });
    const logMessage = alreadySuppressed
      ? 'Recorded an address that SES already suppresses'
      : 'Suppressed an address after a complaint';
    dependencies.logger.info(logMessage, {
      ...context,
      addressHash: addressHash(address),
      feedbackId,
      complaintFeedbackType: feedback.complaintFeedbackType,
      complaintSubType: feedback.complaintSubType,
      newlySuppressed,
    });
    countSuppression(newlySuppressed, reason, dependencies);
    count(alreadySuppressed ? 'already-suppressed' : 'complaint');
  }
}

function countSuppression(
  newlySuppressed: boolean,
  reason: SuppressionReason,
  dependencies: SesFeedbackDependencies,
) {
  if (newlySuppressed) {
    dependencies.metrics.record(METRICS.addressesSuppressed, {
      reason: reason satisfies SuppressionReasonDimension,
    });
  }
}
