import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionalCheckFailure, StoreError } from '../store/errors';

/** A user's AI spend of one UTC day, as the users table stores it in the attribute `aiSpend`. */
export interface AiSpend {
  /** UTC day as YYYY-MM-DD. */
  day: string;
  /** Spend on that day in micro-dollars (millionths of a US dollar), a whole number. */
  microUsd: number;
}

/** Storage of each user's AI spend of the current day. */
export interface AiSpendStore {
  /** Returns the micro-dollars that the user spent on `day`, 0 when nothing is stored for that day. */
  spentOn(userId: string, day: string): Promise<number>;
  /**
   * Adds `microUsd` to the user's spend on `day`, starting from 0 when the stored spend belongs to an
   * earlier day.
   * @returns the spend of the day after the addition, in micro-dollars.
   */
  add(userId: string, day: string, microUsd: number): Promise<number>;
}

/** Raised when AI spend is added for a user id that has no item in the users table. */
export class AiSpendUserNotFoundError extends Error {
  override readonly name = 'AiSpendUserNotFoundError';

  constructor(
    readonly userId: string,
    readonly table: string,
  ) {
    super(
      `Cannot add AI spend: user ${userId} has no item in table ${table}. Create the user before its first AI call.`,
    );
  }
}

/** Options of {@link DynamoAiSpendStore}. */
export interface DynamoAiSpendStoreOptions {
  client: DynamoDBDocumentClient;
  /** The users table, one item per `userId`. */
  usersTable: string;
}

// Each attempt loses only to a concurrent writer that started the same day, so the second attempt adds
// within that day. The third covers a writer whose clock had already reached the next day.
const MAX_ATTEMPTS = 3;

const NAMES = { '#userId': 'userId', '#spend': 'aiSpend', '#day': 'day', '#micro': 'microUsd' };

type AddOutcome = { added: true; total: number } | { added: false; exists: boolean; stored?: AiSpend };

/**
 * {@link AiSpendStore} on the users table. Each write is one conditional UpdateItem, so concurrent
 * invocations never lose an addition:
 * 1. Within the stored day, `SET aiSpend.microUsd = aiSpend.microUsd + :amount` on the condition that
 *    `aiSpend.day` is the given day.
 * 2. When that condition fails because no spend or an earlier day is stored, `SET aiSpend = {day, amount}`
 *    on the condition that the user exists and the stored day, if any, is still earlier.
 *
 * A stored day later than the given one means another instance's clock has reached the next UTC day, and
 * the addition goes to that later day instead.
 */
export class DynamoAiSpendStore implements AiSpendStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoAiSpendStoreOptions) {
    this.#client = options.client;
    this.#table = options.usersTable;
  }

  async spentOn(userId: string, day: string): Promise<number> {
    let item: Record<string, unknown> | undefined;
    try {
      const output = await this.#client.send(
        new GetCommand({
          TableName: this.#table,
          Key: { userId },
          ProjectionExpression: '#spend',
          ExpressionAttributeNames: { '#spend': NAMES['#spend'] },
          ConsistentRead: true,
        }),
      );
      item = output.Item;
    } catch (error) {
      throw new StoreError('GetItem (AI spend)', this.#table, { cause: error });
    }

    const stored = item?.aiSpend as AiSpend | undefined;
    return stored?.day === day ? stored.microUsd : 0;
  }

  async add(userId: string, day: string, microUsd: number): Promise<number> {
    if (!Number.isSafeInteger(microUsd) || microUsd < 0) {
      throw new RangeError(
        `AI spend of ${microUsd} micro-dollars is invalid: expected a whole number of at least 0.`,
      );
    }

    let targetDay = day;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const outcome = await this.#addWithinDay(userId, targetDay, microUsd);
      if (outcome.added) {
        return outcome.total;
      }
      if (!outcome.exists) {
        throw new AiSpendUserNotFoundError(userId, this.#table);
      }
      if (outcome.stored !== undefined && outcome.stored.day > targetDay) {
        targetDay = outcome.stored.day;
        continue;
      }
      if (await this.#startDay(userId, targetDay, microUsd)) {
        return microUsd;
      }
    }

    throw new StoreError('UpdateItem (AI spend)', this.#table, {
      cause: new Error(`the spend of user ${userId} kept changing during ${MAX_ATTEMPTS} attempts`),
    });
  }

  async #addWithinDay(userId: string, day: string, microUsd: number): Promise<AddOutcome> {
    try {
      const output = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { userId },
          UpdateExpression: 'SET #spend.#micro = #spend.#micro + :amount',
          ConditionExpression: '#spend.#day = :day',
          ExpressionAttributeNames: {
            '#spend': NAMES['#spend'],
            '#day': NAMES['#day'],
            '#micro': NAMES['#micro'],
          },
          ExpressionAttributeValues: { ':amount': microUsd, ':day': day },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const updated = output.Attributes?.aiSpend as Partial<AiSpend> | undefined;

      return { added: true, total: Number(updated?.microUsd) };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('UpdateItem (add AI spend)', this.#table, { cause: error });
      }

      // The document client does not convert the item of a failed condition, so it is still marshalled.
      const marshalled = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const old = marshalled === undefined ? undefined : unmarshall(marshalled);
      return { added: false, exists: old !== undefined, stored: old?.aiSpend as AiSpend | undefined };
    }
  }

  async #startDay(userId: string, day: string, microUsd: number): Promise<boolean> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { userId },
          UpdateExpression: 'SET #spend = :spend',
          ConditionExpression:
            'attribute_exists(#userId) AND (attribute_not_exists(#spend) OR #spend.#day < :day)',
          ExpressionAttributeNames: {
            '#userId': NAMES['#userId'],
            '#spend': NAMES['#spend'],
            '#day': NAMES['#day'],
          },
          ExpressionAttributeValues: { ':spend': { day, microUsd } satisfies AiSpend, ':day': day },
        }),
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return false;
      }
      throw new StoreError('UpdateItem (start AI spend day)', this.#table, { cause: error });
    }
  }
}
