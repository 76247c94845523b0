import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, StoreError } from '../store/errors';
import { suppressionKey } from './addresses';

/** Reason an address is suppressed. */
export type SuppressionReason =
  /** A permanent bounce, or a 5.x.x status under any bounce label. */
  | 'hard-bounce'
  | 'complaint'
  /** As many soft bounces since the last delivery as the configured limit. */
  | 'soft-bounce-limit'
  /** SES reported that the address is on the account-level suppression list. */
  | 'ses-account-suppression-list';

/** The SES event behind a suppression or a counted soft bounce, without any address. */
export interface FeedbackEventRef {
  type: 'Bounce' | 'Complaint';
  /** SES `feedbackId`, or the SNS message id when SES sent none. */
  feedbackId: string;
  /** SES `mail.messageId` of the e-mail that bounced or was complained about. */
  sesMessageId?: string;
  bounceType?: string;
  bounceSubType?: string;
  /** Enhanced status code of the bounce, such as `5.1.1`. */
  status?: string;
  complaintFeedbackType?: string;
  /** When SES observed the event, as SES reported it. */
  timestamp?: string;
}

/** One item of the suppression table. */
export interface SuppressionRecord {
  /** Lower-cased address, the partition key. */
  address: string;
  suppressed: boolean;
  reason?: SuppressionReason;
  suppressedAtEpochMs?: number;
  /** The event that suppressed the address. */
  sourceEvent?: FeedbackEventRef;
  /** Soft bounces (Transient and Undetermined) since the last delivery. */
  softBounceCount: number;
  /** The Undetermined bounces among them. */
  undeterminedBounceCount?: number;
  lastSoftBounce?: FeedbackEventRef;
  updatedAtEpochMs: number;
}

/** Outcome of {@link DynamoSuppressionStore.recordSoftBounce}. */
export interface SoftBounceOutcome {
  /** False when this feedback id was counted before, as on a redelivered SNS notification. */
  counted: boolean;
  softBounceCount: number;
  /** True when this bounce reached the limit and suppressed the address. */
  newlySuppressed: boolean;
}

/** The read that senders need: whether an address is suppressed. */
export interface SuppressionLookup {
  isSuppressed(address: string): Promise<boolean>;
}

/** Options of {@link DynamoSuppressionStore}. */
export interface SuppressionStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/**
 * The e-mail suppression list in DynamoDB, one item per lower-cased address. Every write is a single
 * UpdateItem, so concurrent feedback for one address cannot lose a count, and a redelivered event is
 * recognised by its feedback id.
 */
export class DynamoSuppressionStore implements SuppressionLookup {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: SuppressionStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  /** Returns the item of `address`, or `undefined` when the address has no history. */
  async get(address: string): Promise<SuppressionRecord | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { address: suppressionKey(address) },
          ConsistentRead: true,
        }),
      );

      return result.Item as SuppressionRecord | undefined;
    } catch (error) {
      throw new StoreError('GetItem', this.#tableName, { cause: error });
    }
  }

  async isSuppressed(address: string): Promise<boolean> {
    return (await this.get(address))?.suppressed === true;
  }

  /**
   * Suppresses `address`. An address that is already suppressed keeps its first reason, time and source
   * event. Returns whether this call suppressed it.
   */
  async suppress(address: string, reason: SuppressionReason, event: FeedbackEventRef): Promise<boolean> {
    const nowMs = this.#now();
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { address: suppressionKey(address) },
          UpdateExpression:
            'SET suppressed = :true, reason = if_not_exists(reason, :reason), ' +
            'suppressedAtEpochMs = if_not_exists(suppressedAtEpochMs, :now), ' +
            'sourceEvent = if_not_exists(sourceEvent, :event), ' +
            'softBounceCount = if_not_exists(softBounceCount, :zero), updatedAtEpochMs = :now',
          ExpressionAttributeValues: {
            ':true': true,
            ':reason': reason,
            ':now': nowMs,
            ':event': event,
            ':zero': 0,
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );

      return result.Attributes?.suppressed !== true;
    } catch (error) {
      throw new StoreError('UpdateItem (suppress)', this.#tableName, { cause: error });
    }
  }

  /**
   * Counts a soft bounce of `address` once per feedback id, and suppresses the address when the count
   * reaches `limit`. Undetermined bounces also count in `undeterminedBounceCount`.
   */
  async recordSoftBounce(
    address: string,
    event: FeedbackEventRef,
    options: { limit: number; undetermined: boolean },
  ): Promise<SoftBounceOutcome> {
    const nowMs = this.#now();
    let updated: SuppressionRecord;
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { address: suppressionKey(address) },
          UpdateExpression:
            `SET updatedAtEpochMs = :now, lastSoftBounce = :event, suppressed = if_not_exists(suppressed, :false) ` +
            `ADD softBounceCount :one, countedFeedbackIds :feedbackIds` +
            (options.undetermined ? ', undeterminedBounceCount :one' : ''),
          // A feedback id already in the set means SNS delivered this event before.
          ConditionExpression:
            'attribute_not_exists(countedFeedbackIds) OR NOT contains(countedFeedbackIds, :feedbackId)',
          ExpressionAttributeValues: {
            ':now': nowMs,
            ':event': event,
            ':false': false,
            ':one': 1,
            ':feedbackIds': new Set([event.feedbackId]),
            ':feedbackId': event.feedbackId,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      updated = result.Attributes as SuppressionRecord;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        const existing = await this.get(address);
        return { counted: false, softBounceCount: existing?.softBounceCount ?? 0, newlySuppressed: false };
      }
      throw new StoreError('UpdateItem (soft bounce)', this.#tableName, { cause: error });
    }

    if (updated.softBounceCount < options.limit || updated.suppressed) {
      return { counted: true, softBounceCount: updated.softBounceCount, newlySuppressed: false };
    }

    const newlySuppressed = await this.suppress(address, 'soft-bounce-limit', event);
    return { counted: true, softBounceCount: updated.softBounceCount, newlySuppressed };
  }

  /**
   * Resets the soft-bounce count of `address` after a delivery, so only soft bounces in a row lead to
   * suppression. Writes nothing for an address without soft bounces. A suppressed address stays suppressed.
   */
  async resetSoftBounces(address: string): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { address: suppressionKey(address) },
          UpdateExpression: 'SET softBounceCount = :zero, updatedAtEpochMs = :now REMOVE countedFeedbackIds',
          ConditionExpression: 'attribute_exists(address) AND softBounceCount > :zero',
          ExpressionAttributeValues: { ':zero': 0, ':now': this.#now() },
        }),
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return false;
      }
      throw new StoreError('UpdateItem (reset soft bounces)', this.#tableName, { cause: error });
    }
  }
}
