import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoreError } from '../store/errors';
import { type OldItem, oldItemOfConditionFailure } from './condition-failure';
import type { CircuitState } from './errors';

/** A breaker's item, with defaults for absent attributes. An absent item is closed at version 0. */
export interface BreakerItem {
  state: CircuitState;
  /** Incremented by every state transition. Reports from permits of an older version are dropped. */
  version: number;
  consecutiveFailures: number;
  /** While open: the time from which trial calls are allowed. */
  openUntilMs: number;
  /** While half-open: trial slots taken in the current round. */
  trialsInFlight: number;
  /** While half-open: the time after which unreported trials count as lost. */
  trialsDeadlineMs: number;
}

/** One conditional UpdateItem on a breaker item. */
export interface BreakerUpdate {
  /** Assignments of the SET clause. The TTL assignment is added to them. */
  set?: string[];
  /** Body of an ADD clause, such as `consecutiveFailures :one`. */
  add?: string;
  condition: string;
  values: Record<string, string | number>;
  /** Return the item after the update. */
  returnNew?: boolean;
}

/** Outcome of a {@link BreakerUpdate}: the new item when requested, or the current one when the condition failed. */
export type BreakerUpdateOutcome =
  | { applied: true; item: BreakerItem | undefined }
  | { applied: false; current: BreakerItem };

/**
 * Reads and conditionally updates circuit breaker items in the resilience table, one item per dependency.
 * In expressions, `#state` and `#version` name the state and version attributes.
 */
export class BreakerTable {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #retentionSeconds: number;
  readonly #now: () => number;
  #requests = 0;

  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    retentionSeconds: number,
    now: () => number,
  ) {
    this.#client = client;
    this.#tableName = tableName;
    this.#retentionSeconds = retentionSeconds;
    this.#now = now;
  }

  /** DynamoDB requests sent so far, failed ones included. */
  get requests(): number {
    return this.#requests;
  }

  /**
   * Reads the breaker of `dependency` with a strongly consistent read.
   * @throws {StoreError} when DynamoDB fails.
   */
  async read(dependency: string): Promise<BreakerItem> {
    this.#requests += 1;
    try {
      const result = await this.#client.send(
        new GetCommand({
          TableName: this.#tableName,
          Key: { stateKey: breakerStateKey(dependency) },
          ConsistentRead: true,
        }),
      );

      return toBreakerItem(result.Item);
    } catch (error) {
      throw new StoreError('GetItem (circuit breaker)', this.#tableName, { cause: error });
    }
  }

  /**
   * Sends one conditional UpdateItem that also moves the item's TTL to `retentionSeconds` from now. A failed
   * condition returns the current item, from `ReturnValuesOnConditionCheckFailure`, instead of throwing.
   * @throws {StoreError} when DynamoDB fails for any other reason.
   */
  async update(dependency: string, request: BreakerUpdate): Promise<BreakerUpdateOutcome> {
    const assignments = [...(request.set ?? []), 'expiresAtEpochSeconds = :expiresAt'];
    const add = request.add === undefined ? '' : ` ADD ${request.add}`;
    const updateExpression = `SET ${assignments.join(', ')}${add}`;

    this.#requests += 1;
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: { stateKey: breakerStateKey(dependency) },
          UpdateExpression: updateExpression,
          ConditionExpression: request.condition,
          ExpressionAttributeNames: usedNames(`${updateExpression} ${request.condition}`),
          ExpressionAttributeValues: {
            ...request.values,
            ':expiresAt': Math.floor(this.#now() / 1_000) + this.#retentionSeconds,
          },
          ReturnValues: request.returnNew === true ? 'ALL_NEW' : 'NONE',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );

      const item = result.Attributes === undefined ? undefined : toBreakerItem(result.Attributes);
      return { applied: true, item };
    } catch (error) {
      const oldItem = oldItemOfConditionFailure(error);
      if (oldItem === null) {
        throw new StoreError('UpdateItem (circuit breaker)', this.#tableName, { cause: error });
      }

      return { applied: false, current: toBreakerItem(oldItem) };
    }
  }
}

/** Partition key of a breaker's item in the resilience table. */
export function breakerStateKey(dependency: string): string {
  return `breaker#${dependency}`;
}

// DynamoDB rejects attribute names that the expressions do not use, so only the used ones are sent.
function usedNames(expressions: string): Record<string, string> {
  const names: Record<string, string> = {};
  if (expressions.includes('#state')) {
    names['#state'] = 'circuitState';
  }
  if (expressions.includes('#version')) {
    names['#version'] = 'version';
  }

  return names;
}

function toBreakerItem(raw: Record<string, unknown> | OldItem | undefined): BreakerItem {
  const numberOf = (name: string): number => {
    const value = raw?.[name];
    return typeof value === 'number' ? value : 0;
  };
  const state = raw?.circuitState;

  return {
    state: state === 'open' || state === 'half-open' ? state : 'closed',
    version: numberOf('version'),
    consecutiveFailures: numberOf('consecutiveFailures'),
    openUntilMs: numberOf('openUntilMs'),
    trialsInFlight: numberOf('trialsInFlight'),
    trialsDeadlineMs: numberOf('trialsDeadlineMs'),
  };
}
