import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailure, StoreError } from '../../store/errors';

/** How long after the user's last message WhatsApp accepts free-form messages: 24 hours. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3_600_000;

/** Window items outlive the window by an hour, so a clock skew between instances cannot drop an open one. */
const WINDOW_RETENTION_SECONDS = 25 * 3_600;

/**
 * Delivery states are kept for 30 days, Meta's default message time-to-live, during which it retries an
 * undelivered message and can still report its status.
 */
const MESSAGE_RETENTION_SECONDS = 30 * 86_400;

/** Failed deliveries keep at most this many of Meta's errors, with titles cut to this length. */
const MAX_STORED_ERRORS = 5;
const MAX_ERROR_TITLE_LENGTH = 200;

/**
 * Delivery state of a message the bot sent: `accepted` when the Graph API took it, then `sent`,
 * `delivered` and `read` as Meta reports them, or `failed`.
 */
export type WhatsAppDeliveryState = 'accepted' | 'sent' | 'delivered' | 'read' | 'failed';

/** A delivery status from Meta's status webhook. */
export type WhatsAppReportedStatus = Exclude<WhatsAppDeliveryState, 'accepted'>;

/** Outcome of a write that only moves state forward. */
export type StateUpdateOutcome = 'updated' | 'unchanged';

/** Outcome of {@link WhatsAppStateStore.recordStatus}. `unknown` means that no record of the message exists. */
export type StatusUpdateOutcome = StateUpdateOutcome | 'unknown';

/** A Graph API error code and title of a failed delivery. */
export interface DeliveryError {
  code: number;
  title: string;
}

/** Stored delivery state of a message the bot sent. */
export interface WhatsAppDeliveryRecord {
  messageId: string;
  phoneNumberId: string;
  waId: string;
  sentAt: Date;
  state: WhatsAppDeliveryState;
  /** When the current state was reached: the send time for `accepted`, else the status's timestamp. */
  stateAt: Date;
  /** Errors of a `failed` delivery, empty otherwise. */
  errors: DeliveryError[];
}

/** Options of {@link WhatsAppStateStore}. */
export interface WhatsAppStateStoreOptions {
  client: DynamoDBDocumentClient;
  /** The WhatsApp state table: partition key `stateKey` (S), TTL attribute `expiresAtEpochSeconds`. */
  tableName: string;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

// Order of the forward-only states. `failed` ranks above everything, so nothing replaces it.
const STATE_RANK: Readonly<Record<WhatsAppDeliveryState, number>> = {
  accepted: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

interface MessageItem {
  stateKey: string;
  phoneNumberId: string;
  waId: string;
  sentAtEpochMs: number;
  deliveryState: WhatsAppDeliveryState;
  stateRank: number;
  stateAtEpochMs: number;
  deliveryErrors?: DeliveryError[];
  expiresAtEpochSeconds: number;
}

/**
 * WhatsApp state in DynamoDB: when each user last wrote to each business number, which decides whether the
 * 24-hour customer-service window is open, and the delivery state of each message the bot sent.
 *
 * Both kinds of item only move forward, by conditional writes, because webhooks arrive late, twice and
 * out of order: an older inbound time never replaces a newer one, and a `delivered` status arriving after
 * `read` leaves `read` in place.
 */
export class WhatsAppStateStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => number;

  constructor(options: WhatsAppStateStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records that the user `waId` wrote to the business number at `at`. An earlier time than the stored one
   * changes nothing and returns `unchanged`. The item expires 25 hours after the latest time.
   */
  async recordInbound(phoneNumberId: string, waId: string, at: Date): Promise<StateUpdateOutcome> {
    const atMs = at.getTime();
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { stateKey: windowKey(phoneNumberId, waId) },
          UpdateExpression: 'SET lastInboundAtEpochMs = :at, expiresAtEpochSeconds = :expiry',
          ConditionExpression: 'attribute_not_exists(stateKey) OR lastInboundAtEpochMs < :at',
          ExpressionAttributeValues: {
            ':at': atMs,
            ':expiry': Math.ceil(atMs / 1_000) + WINDOW_RETENTION_SECONDS,
          },
        }),
      );
      return 'updated';
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return 'unchanged';
      }
      throw new StoreError('UpdateItem (inbound time)', this.#tableName, { cause: error });
    }
  }

  /**
   * Returns when the customer-service window with `waId` closes: 24 hours after the user's last message,
   * or `undefined` when no message is on record. The time may lie in the past.
   */
  async windowOpenUntil(phoneNumberId: string, waId: string): Promise<Date | undefined> {
    const item = await this.#get(windowKey(phoneNumberId, waId), 'GetItem (window)');
    const lastInboundAtEpochMs = item?.lastInboundAtEpochMs;

    return typeof lastInboundAtEpochMs === 'number'
      ? new Date(lastInboundAtEpochMs + CUSTOMER_SERVICE_WINDOW_MS)
      : undefined;
  }

  /**
   * Records a message the Graph API accepted, in state `accepted`, kept for 30 days. Recording the same
   * message again leaves the first record and any status it has since reached.
   */
  async recordSent(
    messageId: string,
    message: { phoneNumberId: string; waId: string; sentAt: Date },
  ): Promise<void> {
    const sentAtMs = message.sentAt.getTime();
    const item: MessageItem = {
      stateKey: messageKey(messageId),
      phoneNumberId: message.phoneNumberId,
      waId: message.waId,
      sentAtEpochMs: sentAtMs,
      deliveryState: 'accepted',
      stateRank: STATE_RANK.accepted,
      stateAtEpochMs: sentAtMs,
      expiresAtEpochSeconds: Math.ceil(sentAtMs / 1_000) + MESSAGE_RETENTION_SECONDS,
    };
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(stateKey)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return;
      }
      throw new StoreError('PutItem (sent message)', this.#tableName, { cause: error });
    }
  }

  /**
   * Applies a delivery status of a message the bot sent. States only advance, accepted → sent → delivered
   * → read, so a status older than the stored one returns `unchanged`. `failed` applies while the message
   * is `accepted` or `sent`, and nothing replaces it. A `failed` after `delivered` returns `unchanged`,
   * because the user already has the message. A message without a record returns `unknown` and creates
   * none, because the bot did not send it or its record expired.
   */
  async recordStatus(
    messageId: string,
    status: WhatsAppReportedStatus,
    at: Date,
    errors: readonly DeliveryError[] = [],
  ): Promise<StatusUpdateOutcome> {
    const rank = STATE_RANK[status];
    const failed = status === 'failed';
    const values: Record<string, unknown> = {
      ':state': status,
      ':rank': rank,
      ':at': at.getTime(),
      ':nowSeconds': Math.floor(this.#now() / 1_000),
      ':below': failed ? STATE_RANK.delivered : rank,
    };
    if (failed) {
      values[':errors'] = errors.slice(0, MAX_STORED_ERRORS).map((error) => ({
        code: error.code,
        title: error.title.slice(0, MAX_ERROR_TITLE_LENGTH),
      }));
    }

    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { stateKey: messageKey(messageId) },
          UpdateExpression:
            'SET deliveryState = :state, stateRank = :rank, stateAtEpochMs = :at' +
            (failed ? ', deliveryErrors = :errors' : ''),
          ConditionExpression:
            'attribute_exists(stateKey) AND expiresAtEpochSeconds >= :nowSeconds AND stateRank < :below',
          ExpressionAttributeValues: values,
          // The failed write returns the item, so an unknown message and an older status can be told apart.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'updated';
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('UpdateItem (delivery status)', this.#tableName, { cause: error });
      }
      const existing = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const item = existing === undefined ? undefined : unmarshall(existing);
      return item === undefined || this.#expired(item) ? 'unknown' : 'unchanged';
    }
  }

  /** Returns the delivery record of a message the bot sent, or `undefined` when there is none. */
  async delivery(messageId: string): Promise<WhatsAppDeliveryRecord | undefined> {
    const item = (await this.#get(messageKey(messageId), 'GetItem (delivery)')) as MessageItem | undefined;
    if (item === undefined) {
      return undefined;
    }

    return {
      messageId,
      phoneNumberId: item.phoneNumberId,
      waId: item.waId,
      sentAt: new Date(item.sentAtEpochMs),
      state: item.deliveryState,
      stateAt: new Date(item.stateAtEpochMs),
      errors: item.deliveryErrors ?? [],
    };
  }

  async #get(stateKey: string, operation: string): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { stateKey }, ConsistentRead: true }),
      );
      // TTL deletes expired items within days, not at once, so an expired item counts as absent.
      return result.Item === undefined || this.#expired(result.Item) ? undefined : result.Item;
    } catch (error) {
      throw new StoreError(operation, this.#tableName, { cause: error });
    }
  }

  #expired(item: Record<string, unknown>): boolean {
    const expiry = item.expiresAtEpochSeconds;
    return typeof expiry === 'number' && expiry < Math.floor(this.#now() / 1_000);
  }
}

function windowKey(phoneNumberId: string, waId: string): string {
  return `window#${phoneNumberId}#${waId}`;
}

function messageKey(messageId: string): string {
  return `message#${messageId}`;
}
