import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../store/errors';
import { oldItemOfConditionFailure } from './condition-failure';
import { InvalidResilienceOptionError } from './errors';
import type { RateLimit } from './limits';
import { type ResilienceLogger, SILENT_LOGGER } from './logger';

/** Outcome of {@link DynamoTokenBucket.take}. */
export type TakeResult = { granted: true } | { granted: false; waitMs: number };

/** Options of {@link DynamoTokenBucket}. */
export interface TokenBucketOptions {
  client: DynamoDBDocumentClient;
  /** The resilience table, partition key `stateKey`. */
  tableName: string;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  logger?: ResilienceLogger;
  /** Conditional updates that one take may send before it reports a short wait. Default 4. */
  maxRequestsPerTake?: number;
}

const TAT = 'theoreticalArrivalMs';
// Items stay this long after their bucket is full again, so that clock skew between instances cannot let
// TTL delete a bucket that is still partly empty by another instance's clock.
const EXPIRY_MARGIN_SECONDS = 3_600;
// Bound of the per-instance cache of last-seen arrival times, one entry per bucket key.
const MAX_CACHED_KEYS = 10_000;

type UpdateOutcome = { granted: true; tat: number } | { granted: false; tat: number | undefined };

/**
 * Token buckets shared by every instance through one DynamoDB item per key, using GCRA (the generic cell
 * rate algorithm). A bucket of capacity C refilling r tokens per second has an emission interval
 * T = 1000 / r ms per token. The item stores only the theoretical arrival time (TAT), the moment at which
 * the bucket would be full again. A take of cost n at time `now` is granted when
 *
 *   max(TAT, now) + n·T ≤ now + C·T            and then sets TAT to max(TAT, now) + n·T
 *
 * DynamoDB cannot compute `max` in an update, so each attempt is ONE conditional UpdateItem for the case it
 * expects, and a failed condition returns the current item (`ReturnValuesOnConditionCheckFailure: ALL_OLD`)
 * to decide the next step without a read:
 *
 *   idle:    SET TAT = now + n·T    if TAT is absent or TAT ≤ now
 *   queued:  SET TAT = TAT + n·T    if now < TAT ≤ now + (C − n)·T
 *   denied:  no write when TAT > now + (C − n)·T; the wait is TAT − now − (C − n)·T
 *
 * Correct under concurrency: DynamoDB evaluates each condition and applies its update atomically on the
 * item, so every grant raises TAT by at least n·T and leaves TAT ≤ now + C·T. Summing over the grants whose
 * `now` lies in an interval of W ms gives the bound: they admit a total cost of at most C + r·W/1000,
 * whatever their order, provided the instances' clocks agree. Clock skew between instances widens the
 * interval by the skew.
 *
 * Because TAT never decreases, each instance keeps the last TAT it saw per key as a lower bound, and
 * denies without a request while that bound already exceeds the limit.
 */
export class DynamoTokenBucket {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => number;
  readonly #logger: ResilienceLogger;
  readonly #maxRequestsPerTake: number;
  readonly #knownTat = new Map<string, number>();
  #dynamoRequests = 0;

  constructor(options: TokenBucketOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#maxRequestsPerTake = options.maxRequestsPerTake ?? 4;
  }

  /** DynamoDB requests sent so far, failed ones included. */
  get dynamoRequests(): number {
    return this.#dynamoRequests;
  }

  /**
   * Takes `cost` tokens from the bucket `key` with the given limit, or returns how long to wait before
   * they could be granted. The wait is a lower bound: another instance may take the tokens first.
   * @throws {InvalidResilienceOptionError} when the limit is not positive or `cost` exceeds the capacity.
   * @throws {StoreError} when DynamoDB fails.
   * @example await buckets.take(`telegram:chat:${chatId}`, { capacity: 1, refillPerSecond: 1 })
   */
  async take(key: string, limit: RateLimit, cost = 1): Promise<TakeResult> {
    validateTake(key, limit, cost);
    const intervalMs = 1_000 / limit.refillPerSecond;
    const incrementMs = cost * intervalMs;
    const toleranceMs = (limit.capacity - cost) * intervalMs;

    let knownTat = this.#knownTat.get(key);
    for (let request = 0; request < this.#maxRequestsPerTake; request += 1) {
      const nowMs = this.#now();
      const latestGrantTat = nowMs + toleranceMs;
      if (knownTat !== undefined && knownTat > latestGrantTat) {
        return { granted: false, waitMs: Math.ceil(knownTat - latestGrantTat) };
      }

      const expiresAtEpochSeconds =
        Math.ceil((nowMs + limit.capacity * intervalMs) / 1_000) + EXPIRY_MARGIN_SECONDS;
      const outcome =
        knownTat === undefined || knownTat <= nowMs
          ? await this.#takeIdle(key, nowMs, incrementMs, expiresAtEpochSeconds)
          : await this.#takeQueued(key, nowMs, latestGrantTat, incrementMs, expiresAtEpochSeconds);

      this.#remember(key, outcome.tat);
      if (outcome.granted) {
        return { granted: true };
      }
      knownTat = outcome.tat;
    }

    // Reached only when the bucket keeps flipping between idle and queued under this take.
    this.#logger.warn('Token bucket take gave up after conflicting updates', {
      key,
      requests: this.#maxRequestsPerTake,
    });
    return { granted: false, waitMs: Math.ceil(intervalMs) };
  }

  #takeIdle(key: string, nowMs: number, incrementMs: number, expiresAt: number): Promise<UpdateOutcome> {
    return this.#update(key, {
      UpdateExpression: 'SET #tat = :newTat, expiresAtEpochSeconds = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#tat) OR #tat <= :now',
      ExpressionAttributeValues: { ':newTat': nowMs + incrementMs, ':now': nowMs, ':expiresAt': expiresAt },
      grantedTat: nowMs + incrementMs,
    });
  }

  #takeQueued(
    key: string,
    nowMs: number,
    latestGrantTat: number,
    incrementMs: number,
    expiresAt: number,
  ): Promise<UpdateOutcome> {
    return this.#update(key, {
      UpdateExpression: 'SET #tat = #tat + :increment, expiresAtEpochSeconds = :expiresAt',
      ConditionExpression: '#tat > :now AND #tat <= :latest',
      ExpressionAttributeValues: {
        ':increment': incrementMs,
        ':now': nowMs,
        ':latest': latestGrantTat,
        ':expiresAt': expiresAt,
      },
      grantedTat: undefined,
    });
  }

  async #update(
    key: string,
    request: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, number>;
      /** TAT after a grant when the caller knows it, else read from the response. */
      grantedTat: number | undefined;
    },
  ): Promise<UpdateOutcome> {
    this.#dynamoRequests += 1;
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { stateKey: bucketStateKey(key) },
          UpdateExpression: request.UpdateExpression,
          ConditionExpression: request.ConditionExpression,
          ExpressionAttributeNames: { '#tat': TAT },
          ExpressionAttributeValues: request.ExpressionAttributeValues,
          ReturnValues: request.grantedTat === undefined ? 'UPDATED_NEW' : 'NONE',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );

      return { granted: true, tat: request.grantedTat ?? Number(result.Attributes?.[TAT]) };
    } catch (error) {
      const oldItem = oldItemOfConditionFailure(error);
      if (oldItem === null) {
        throw new StoreError('UpdateItem (token bucket)', this.#tableName, { cause: error });
      }

      const tat = oldItem?.[TAT];
      return { granted: false, tat: typeof tat === 'number' ? tat : undefined };
    }
  }

  #remember(key: string, tat: number | undefined): void {
    this.#knownTat.delete(key);
    if (tat === undefined || !Number.isFinite(tat)) {
      return;
    }

    this.#knownTat.set(key, tat);
    if (this.#knownTat.size > MAX_CACHED_KEYS) {
      const oldest = this.#knownTat.keys().next().value;
      if (oldest !== undefined) {
        this.#knownTat.delete(oldest);
      }
    }
  }
}

/** Partition key of a bucket's item in the resilience table. */
export function bucketStateKey(key: string): string {
  return `bucket#${key}`;
}

function validateTake(key: string, limit: RateLimit, cost: number): void {
  if (!(Number.isFinite(limit.capacity) && limit.capacity > 0)) {
    throw new InvalidResilienceOptionError(
      `capacity of rate limit ${key}`,
      limit.capacity,
      'a positive number',
    );
  }
  if (!(Number.isFinite(limit.refillPerSecond) && limit.refillPerSecond > 0)) {
    throw new InvalidResilienceOptionError(
      `refillPerSecond of rate limit ${key}`,
      limit.refillPerSecond,
      'a positive number',
    );
  }
  if (!(Number.isFinite(cost) && cost > 0 && cost <= limit.capacity)) {
    throw new InvalidResilienceOptionError(
      `cost of a take from rate limit ${key}`,
      cost,
      `a positive number no larger than the capacity ${limit.capacity}, or the take could never be granted`,
    );
  }
}
