import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, StoreError } from './errors';

/** Attribute that marks a transaction moved by a link, naming the user it came from. */
export const MOVED_FROM_ATTRIBUTE = 'movedFromUserId';

/** Transactions moved at once; each move is its own DynamoDB transaction. */
const PARALLEL_MOVES = 10;

/** The transactions that {@link moveTransactions} moves, and their destination. */
export interface TransactionMove {
  fromUserId: string;
  toUserId: string;
  /**
   * `forward` moves every transaction of `fromUserId` and marks each with the user it came from. `back`
   * moves only those marked as coming from `toUserId`, and removes the mark.
   */
  direction: 'forward' | 'back';
}

/**
 * Moves transactions from one user's partition to another's. Each transaction moves in its own DynamoDB
 * transaction (put the copy if absent, delete the original if present), so it is never in both partitions
 * or in neither, and a retry moves only what is left. The copy keeps every attribute, its source message
 * included, so an edit of that message still finds it. Returns the number moved.
 */
export async function moveTransactions(
  client: DynamoDBDocumentClient,
  tableName: string,
  move: TransactionMove,
): Promise<number> {
  let moved = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await queryPage(client, tableName, move, startKey);
    for (let index = 0; index < page.items.length; index += PARALLEL_MOVES) {
      const results = await Promise.all(
        page.items.slice(index, index + PARALLEL_MOVES).map((item) => moveOne(client, tableName, item, move)),
      );
      moved += results.filter(Boolean).length;
    }
    startKey = page.nextKey;
  } while (startKey !== undefined);

  return moved;
}

async function queryPage(
  client: DynamoDBDocumentClient,
  tableName: string,
  move: TransactionMove,
  startKey: Record<string, unknown> | undefined,
): Promise<{ items: Record<string, unknown>[]; nextKey?: Record<string, unknown> }> {
  const back = move.direction === 'back';
  try {
    const result = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'userId = :from',
        ...(back
          ? {
              FilterExpression: '#movedFrom = :to',
              ExpressionAttributeNames: { '#movedFrom': MOVED_FROM_ATTRIBUTE },
            }
          : {}),
        ExpressionAttributeValues: { ':from': move.fromUserId, ...(back ? { ':to': move.toUserId } : {}) },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );

    return { items: result.Items ?? [], nextKey: result.LastEvaluatedKey };
  } catch (error) {
    throw new StoreError('Query (transactions to move)', tableName, { cause: error });
  }
}

/** Moves one transaction; returns false when it was deleted before it could move. */
async function moveOne(
  client: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  move: TransactionMove,
): Promise<boolean> {
  const { [MOVED_FROM_ATTRIBUTE]: _mark, ...unmarked } = item;
  const copy =
    move.direction === 'forward'
      ? { ...unmarked, userId: move.toUserId, [MOVED_FROM_ATTRIBUTE]: move.fromUserId }
      : { ...unmarked, userId: move.toUserId };
  const transactionId = item.transactionId as string;
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: copy,
              ConditionExpression: 'attribute_not_exists(transactionId)',
            },
          },
          {
            Delete: {
              TableName: tableName,
              Key: { userId: move.fromUserId, transactionId },
              ConditionExpression: 'attribute_exists(transactionId)',
            },
          },
        ],
      }),
    );

    return true;
  } catch (error) {
    if (!isConditionalCheckFailure(error)) {
      throw new StoreError('TransactWriteItems (move transaction)', tableName, { cause: error });
    }
  }

  // The original was deleted meanwhile (nothing to move), or the target already has this id, which
  // deterministic ids from distinct events exclude.
  if (!(await exists(client, tableName, move.fromUserId, transactionId))) {
    return false;
  }
  throw new StoreError('TransactWriteItems (move transaction)', tableName, {
    cause: new Error(
      `transaction ${transactionId} exists for both user ${move.fromUserId} and user ${move.toUserId}; ` +
        'compare the two items and delete the duplicate, then retry the link',
    ),
  });
}

async function exists(
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  transactionId: string,
): Promise<boolean> {
  try {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: { userId, transactionId }, ConsistentRead: true }),
    );

    return result.Item !== undefined;
  } catch (error) {
    throw new StoreError('GetItem (transaction to move)', tableName, { cause: error });
  }
}
