import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Transaction, TransactionConversion, TransactionSource } from '../domain/transaction';
import { isConditionalCheckFailure, StoreError } from './errors';
import { TRANSACTION_INDEXES } from './tables';
import { MOVED_FROM_ATTRIBUTE, moveTransactions, type TransactionMove } from './transaction-move';

/** Fields of a transaction that the user can change after it was recorded. */
export type TransactionChanges = Partial<
  Pick<
    Transaction,
    | 'amountMinor'
    | 'currency'
    | 'description'
    | 'merchant'
    | 'category'
    | 'status'
    | 'date'
    | 'kind'
    | 'replyMarkerKey'
  >
>;

/** Persistence of transactions, behind an interface so the processor can be tested with any store. */
export interface TransactionStore {
  /** Writes a new transaction unless one with the same id exists; returns the stored one either way. */
  create(transaction: Transaction): Promise<{ transaction: Transaction; created: boolean }>;
  get(userId: string, transactionId: string): Promise<Transaction | undefined>;
  /** Finds the transaction created from one channel message. */
  findBySource(source: TransactionSource): Promise<Transaction | undefined>;
  /** Applies changes; returns `undefined` when the transaction no longer exists. */
  update(
    userId: string,
    transactionId: string,
    changes: TransactionChanges,
  ): Promise<Transaction | undefined>;
  /**
   * Applies the AI re-check of a draft: the changes, and the removal of `needsAiReview` and `reviewText`.
   * Only a transaction still marked for review is changed, so two re-checks of one draft apply once.
   * Returns `undefined` when the transaction no longer exists or was re-checked already.
   */
  finishAiReview(
    userId: string,
    transactionId: string,
    changes: TransactionChanges,
  ): Promise<Transaction | undefined>;
  /**
   * Stores a conversion, but only while the amount, currency and date are still those of `basis`, the
   * transaction it was computed from. Returns the updated transaction, or `undefined` when the
   * transaction changed or no longer exists.
   */
  saveConversion(basis: Transaction, conversion: TransactionConversion): Promise<Transaction | undefined>;
  /** Deletes; returns the deleted transaction, or `undefined` when it was already gone. */
  delete(userId: string, transactionId: string): Promise<Transaction | undefined>;
  /** Lists a user's transactions with local dates from `fromDate` to `toDate`, both `YYYY-MM-DD` and inclusive. */
  listByDate(userId: string, fromDate: string, toDate: string): Promise<Transaction[]>;
  /** Moves transactions to another user when two users are linked, and returns the number moved. */
  move(move: TransactionMove): Promise<number>;
}

/** Fields that a stored conversion was computed from, so changing any of them removes it. */
const CONVERSION_BASIS = ['amountMinor', 'currency', 'date'] as const;

/** Builds the `bySource` index key of a message. */
export function sourceRef(source: TransactionSource): string {
  return `${source.channel}:${source.chatId}:${source.messageId}`;
}

/** {@link TransactionStore} on DynamoDB. */
export class DynamoTransactionStore implements TransactionStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; now?: () => number }) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? Date.now;
  }

  async create(transaction: Transaction): Promise<{ transaction: Transaction; created: boolean }> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            ...transaction,
            dateKey: `${transaction.date}#${transaction.transactionId}`,
            sourceRef: sourceRef(transaction.source),
          },
          ConditionExpression: 'attribute_not_exists(transactionId)',
        }),
      );

      return { transaction, created: true };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('PutItem', this.#table, { cause: error });
      }
    }

    const existing = await this.get(transaction.userId, transaction.transactionId);
    if (existing === undefined) {
      throw new StoreError('GetItem (after conditional put)', this.#table, {
        cause: new Error(`transaction ${transaction.transactionId} exists but could not be read`),
      });
    }

    return { transaction: existing, created: false };
  }

  async get(userId: string, transactionId: string): Promise<Transaction | undefined> {
    try {
      const result = await this.#client.send(
        new GetCommand({ TableName: this.#table, Key: { userId, transactionId }, ConsistentRead: true }),
      );

      return result.Item === undefined ? undefined : toTransaction(result.Item);
    } catch (error) {
      throw new StoreError('GetItem', this.#table, { cause: error });
    }
  }

  async findBySource(source: TransactionSource): Promise<Transaction | undefined> {
    try {
      const result = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: TRANSACTION_INDEXES.bySource,
          KeyConditionExpression: 'sourceRef = :ref',
          ExpressionAttributeValues: { ':ref': sourceRef(source) },
          Limit: 1,
        }),
      );
      const item = result.Items?.[0];

      return item === undefined ? undefined : toTransaction(item);
    } catch (error) {
      throw new StoreError('Query (bySource)', this.#table, { cause: error });
    }
  }

  async update(
    userId: string,
    transactionId: string,
    changes: TransactionChanges,
  ): Promise<Transaction | undefined> {
    return this.#applyChanges(userId, transactionId, changes, false);
  }

  async finishAiReview(
    userId: string,
    transactionId: string,
    changes: TransactionChanges,
  ): Promise<Transaction | undefined> {
    return this.#applyChanges(userId, transactionId, changes, true);
  }

  async #applyChanges(
    userId: string,
    transactionId: string,
    changes: TransactionChanges,
    endAiReview: boolean,
  ): Promise<Transaction | undefined> {
    const names: Record<string, string> = { '#updated': 'updatedAtEpochMs' };
    const values: Record<string, unknown> = { ':now': this.#now() };
    const sets = ['#updated = :now'];
    for (const [field, value] of Object.entries(changes)) {
      if (value === undefined) {
        continue;
      }
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    if (changes.date !== undefined) {
      names['#dateKey'] = 'dateKey';
      values[':dateKey'] = `${changes.date}#${transactionId}`;
      sets.push('#dateKey = :dateKey');
    }
    // A conversion of the old amount, currency or date would be wrong, so /balance converts again.
    const removes: string[] = [];
    if (CONVERSION_BASIS.some((field) => changes[field] !== undefined)) {
      names['#conversion'] = 'conversion';
      removes.push('#conversion');
    }
    let condition = 'attribute_exists(transactionId)';
    if (endAiReview) {
      names['#needsAiReview'] = 'needsAiReview';
      names['#reviewText'] = 'reviewText';
      values[':true'] = true;
      removes.push('#needsAiReview', '#reviewText');
      condition += ' AND #needsAiReview = :true';
    }
    const remove = removes.length === 0 ? '' : ` REMOVE ${removes.join(', ')}`;

    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { userId, transactionId },
          UpdateExpression: `SET ${sets.join(', ')}${remove}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );

      return toTransaction(result.Attributes!);
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return undefined;
      }
      throw new StoreError('UpdateItem', this.#table, { cause: error });
    }
  }

  async saveConversion(
    basis: Transaction,
    conversion: TransactionConversion,
  ): Promise<Transaction | undefined> {
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { userId: basis.userId, transactionId: basis.transactionId },
          // updatedAtEpochMs is left as it is, because it records changes by the user and a conversion is not one.
          UpdateExpression: 'SET #conversion = :conversion',
          ConditionExpression:
            'attribute_exists(transactionId) AND #amountMinor = :amountMinor AND #currency = :currency ' +
            'AND #date = :date',
          ExpressionAttributeNames: {
            '#conversion': 'conversion',
            '#amountMinor': 'amountMinor',
            '#currency': 'currency',
            '#date': 'date',
          },
          ExpressionAttributeValues: {
            ':conversion': conversion,
            ':amountMinor': basis.amountMinor,
            ':currency': basis.currency,
            ':date': basis.date,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );

      return toTransaction(result.Attributes!);
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return undefined;
      }
      throw new StoreError('UpdateItem (conversion)', this.#table, { cause: error });
    }
  }

  async delete(userId: string, transactionId: string): Promise<Transaction | undefined> {
    try {
      const result = await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { userId, transactionId },
          ReturnValues: 'ALL_OLD',
        }),
      );

      return result.Attributes === undefined ? undefined : toTransaction(result.Attributes);
    } catch (error) {
      throw new StoreError('DeleteItem', this.#table, { cause: error });
    }
  }

  async listByDate(userId: string, fromDate: string, toDate: string): Promise<Transaction[]> {
    const transactions: Transaction[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      try {
        const page = await this.#client.send(
          new QueryCommand({
            TableName: this.#table,
            IndexName: TRANSACTION_INDEXES.byDate,
            KeyConditionExpression: 'userId = :user AND dateKey BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':user': userId,
              ':from': `${fromDate}#`,
              ':to': `${toDate}#\uffff`,
            },
            ExclusiveStartKey: startKey,
          }),
        );
        transactions.push(...(page.Items ?? []).map(toTransaction));
        startKey = page.LastEvaluatedKey;
      } catch (error) {
        throw new StoreError('Query (byDate)', this.#table, { cause: error });
      }
    } while (startKey !== undefined);

    return transactions;
  }

  async move(move: TransactionMove): Promise<number> {
    return moveTransactions(this.#client, this.#table, move);
  }
}

function toTransaction(item: Record<string, unknown>): Transaction {
  const {
    dateKey: _dateKey,
    sourceRef: _sourceRef,
    [MOVED_FROM_ATTRIBUTE]: _movedFrom,
    ...transaction
  } = item;

  return transaction as unknown as Transaction;
}
