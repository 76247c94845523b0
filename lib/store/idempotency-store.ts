import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailure, StoreError } from './errors';

/** Outcome of {@link IdempotencyStore.claim}. */
export type ClaimOutcome =
  /** This caller owns the key and must do the work, then call `complete` or `release`. */
  | 'claimed'
  /** The work was done before: skip it. */
  | 'completed'
  /** Another invocation holds an unexpired lease: retry later. */
  | 'in-progress';

/** Options of {@link IdempotencyStore}. */
export interface IdempotencyStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** How long a completed key is remembered. Must be far longer than SQS FIFO's 5-minute deduplication window. */
  retentionSeconds: number;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/**
 * Exactly-once claims and markers in DynamoDB.
 *
 * A claim moves `in-progress` (with a lease) → `completed`. A claim whose lease ran out, because the
 * invocation that held it crashed or timed out, can be taken over:
 *
 *   put if  attribute_not_exists(key)                           first delivery
 *       or  expiresAtEpochSeconds < now                          expired, TTL has not deleted it yet
 *       or  status = in-progress AND leaseExpiresAt < now        crashed holder
 *
 * The steps inside the claimed work must themselves be idempotent (deterministic ids, conditional
 * writes, markers), because a takeover repeats whatever the crashed holder had done before it died.
 */
export class IdempotencyStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #retentionSeconds: number;
  readonly #now: () => number;

  constructor(options: IdempotencyStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#retentionSeconds = options.retentionSeconds;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Claims `key` for `leaseSeconds`, or reports that it was completed or is held by someone else.
   * @example if ((await store.claim('update:telegram:42', 60)) !== 'claimed') return;
   */
  async claim(key: string, leaseSeconds: number): Promise<ClaimOutcome> {
    return (await this.claimWithDetails(key, leaseSeconds)).outcome;
  }

  /**
   * Claims like {@link claim} and also returns whether the key was new (`fresh`). A fresh claim means no
   * earlier attempt ran, so its markers need not be read. A taken-over claim returns `fresh: false`.
   */
  async claimWithDetails(
    key: string,
    leaseSeconds: number,
  ): Promise<{ outcome: ClaimOutcome; fresh: boolean }> {
    const nowMs = this.#now();
    let previous: Record<string, unknown> | undefined;
    try {
      const result = await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            key,
            status: 'in-progress',
            leaseExpiresAtEpochMs: nowMs + leaseSeconds * 1_000,
            expiresAtEpochSeconds: this.#expiry(nowMs),
          },
          ConditionExpression:
            'attribute_not_exists(#key) OR expiresAtEpochSeconds < :nowSeconds OR ' +
            '(#status = :inProgress AND leaseExpiresAtEpochMs < :now)',
          ExpressionAttributeNames: { '#key': 'key', '#status': 'status' },
          ExpressionAttributeValues: {
            ':inProgress': 'in-progress',
            ':now': nowMs,
            ':nowSeconds': Math.floor(nowMs / 1_000),
          },
          ReturnValues: 'ALL_OLD',
          // A duplicate delivery learns the existing status from the failed write, without a read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );

      return { outcome: 'claimed', fresh: result.Attributes === undefined };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('PutItem (claim)', this.#tableName, { cause: error });
      }
      previous = (error as { Item?: Record<string, unknown> }).Item;
    }

    const existing = previous === undefined ? await this.#get(key) : unmarshallItem(previous);
    if (existing === undefined) {
      // The item expired between the put and the read: claim again.
      return this.claimWithDetails(key, leaseSeconds);
    }

    return { outcome: existing.status === 'completed' ? 'completed' : 'in-progress', fresh: false };
  }

  /** Marks a claimed key as completed, so redeliveries within the retention are skipped. */
  async complete(key: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { key },
          UpdateExpression:
            'SET #status = :completed, completedAtEpochMs = :now, expiresAtEpochSeconds = :expiry',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':now': this.#now(),
            ':expiry': this.#expiry(this.#now()),
          },
        }),
      );
    } catch (error) {
      throw new StoreError('UpdateItem (complete)', this.#tableName, { cause: error });
    }
  }

  /** Gives a claim back after a failure, so the retry of the same record can claim it at once. */
  async release(key: string): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: { key },
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress' },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return;
      }
      throw new StoreError('DeleteItem (release)', this.#tableName, { cause: error });
    }
  }

  /** Returns true when a marker (for example "reply sent for update 42") exists. */
  async hasMarker(key: string): Promise<boolean> {
    return (await this.#get(key)) !== undefined;
  }

  /** Returns a marker's attributes, such as the id of the message a reply became, or `undefined`. */
  async getMarker(key: string): Promise<Record<string, unknown> | undefined> {
    return this.#get(key);
  }

  /** Records a marker, with optional attributes, that lives as long as completed claims. */
  async putMarker(key: string, attributes: Record<string, string | number> = {}): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...attributes, key, status: 'completed', expiresAtEpochSeconds: this.#expiry(this.#now()) },
        }),
      );
    } catch (error) {
      throw new StoreError('PutItem (marker)', this.#tableName, { cause: error });
    }
  }

  async #get(key: string): Promise<({ status: string } & Record<string, unknown>) | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#tableName, Key: { key }, ConsistentRead: true }),
      );

      const item = result.Item as
        | ({ status: string; expiresAtEpochSeconds: number } & Record<string, unknown>)
        | undefined;
      // TTL deletes expired items within days, not at once, so an expired item counts as absent.
      if (item !== undefined && item.expiresAtEpochSeconds < Math.floor(this.#now() / 1_000)) {
        return undefined;
      }

      return item;
    } catch (error) {
      throw new StoreError('GetItem', this.#tableName, { cause: error });
    }
  }

  #expiry(nowMs: number): number {
    return Math.floor(nowMs / 1_000) + this.#retentionSeconds;
  }
}

/** Reads the item that a failed condition check returned, which arrives in DynamoDB's attribute-value form. */
function unmarshallItem(item: Record<string, unknown>): { status: string } & Record<string, unknown> {
  return unmarshall(item as Parameters<typeof unmarshall>[0]) as { status: string } & Record<string, unknown>;
}
