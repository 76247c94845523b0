import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Channel, IssuedLinkCode, RequestCount } from '../domain/user';
import { isConditionalCheckFailure, StoreError } from './errors';

/** Tables and client of the link stores: the users and identities tables of the user store. */
export interface LinkTablesOptions {
  client: DynamoDBDocumentClient;
  usersTable: string;
  identitiesTable: string;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/** A link code's item in the identities table. */
export interface LinkCodeItem {
  /** Hex SHA-256 of the normalized code. */
  codeHash: string;
  /** The user who issued the code, and into whom the redeeming user is merged. */
  userId: string;
  /** Channel the code was issued on. */
  issuedBy: Channel;
  issuedAtEpochMs: number;
  expiresAtEpochMs: number;
  /** The user whose redemption reserved the code. A reserved code no longer expires for that user. */
  redeemingUserId?: string;
}

/** Input of {@link LinkCodeStore.issue}. */
export interface IssueLinkCodeInput {
  userId: string;
  issuedBy: Channel;
  code: IssuedLinkCode;
  /** The user's code count including this code. */
  requests: RequestCount;
  /** Hash of the user's code that this one replaces, as read with the user. */
  previousCodeHash?: string;
}

/**
 * Returns the identities-table key of a code. Channel identities have the form `<channel>:<id>`, so no
 * identity can take this key.
 */
export function linkCodeKey(codeHash: string): string {
  return `link-code#${codeHash}`;
}

/**
 * Link codes in the identities table, which already maps keys to user ids: `link-code#<hex SHA-256>` points
 * at the user who issued the code.
 *
 * The identities table has no TTL, so expiry is checked on every read. An expired code is deleted when
 * someone sends it or its user asks for a new one.
 * NOTE: an expired code stays in the table until someone sends it or its user requests another code.
 */
export class LinkCodeStore {
  readonly #options: LinkTablesOptions;
  readonly #now: () => number;

  constructor(options: LinkTablesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Stores a new code for a user in one transaction: the code item, the user's `linkCode` and code count,
   * and the removal of the code it replaces. Returns false when a condition failed: another code has the
   * same hash, the user's code changed since it was read, or the user was merged.
   */
  async issue(input: IssueLinkCodeInput): Promise<boolean> {
    const { code, previousCodeHash } = input;
    const linkCodeCondition =
      previousCodeHash === undefined ? 'attribute_not_exists(#linkCode)' : '#linkCode.#codeHash = :previous';
    const replaced =
      previousCodeHash === undefined || previousCodeHash === code.codeHash
        ? []
        : [
            {
              Delete: {
                TableName: this.#options.identitiesTable,
                Key: { identity: linkCodeKey(previousCodeHash) },
                ConditionExpression: 'attribute_not_exists(#identity) OR userId = :userId',
                ExpressionAttributeNames: { '#identity': 'identity' },
                ExpressionAttributeValues: { ':userId': input.userId },
              },
            },
          ];
    const item: LinkCodeItem & { identity: string } = {
      identity: linkCodeKey(code.codeHash),
      codeHash: code.codeHash,
      userId: input.userId,
      issuedBy: input.issuedBy,
      issuedAtEpochMs: code.issuedAtEpochMs,
      expiresAtEpochMs: code.expiresAtEpochMs,
    };

    try {
      await this.#options.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#options.identitiesTable,
                Item: item,
                ConditionExpression: 'attribute_not_exists(#identity)',
                ExpressionAttributeNames: { '#identity': 'identity' },
              },
            },
            {
              Update: {
                TableName: this.#options.usersTable,
                Key: { userId: input.userId },
                UpdateExpression: 'SET #linkCode = :code, #requests = :requests, #updated = :now',
                ConditionExpression: `attribute_exists(userId) AND attribute_not_exists(#mergedInto) AND ${linkCodeCondition}`,
                ExpressionAttributeNames: {
                  '#linkCode': 'linkCode',
                  '#requests': 'linkCodeRequests',
                  '#mergedInto': 'mergedInto',
                  '#updated': 'updatedAtEpochMs',
                  ...(previousCodeHash === undefined ? {} : { '#codeHash': 'codeHash' }),
                },
                ExpressionAttributeValues: {
                  ':code': code,
                  ':requests': input.requests,
                  ':now': this.#now(),
                  ...(previousCodeHash === undefined ? {} : { ':previous': previousCodeHash }),
                },
              },
            },
            ...replaced,
          ],
        }),
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return false;
      }
      throw new StoreError('TransactWriteItems (issue link code)', this.#options.identitiesTable, {
        cause: error,
      });
    }
  }

  /** Returns the code item with this hash, expired or not, or `undefined`. */
  async find(codeHash: string): Promise<LinkCodeItem | undefined> {
    try {
      const result = await this.#options.client.send(
        new GetCommand({
          TableName: this.#options.identitiesTable,
          Key: { identity: linkCodeKey(codeHash) },
          ConsistentRead: true,
        }),
      );
      if (result.Item === undefined) {
        return undefined;
      }
      const { identity: _identity, ...code } = result.Item;

      return code as LinkCodeItem;
    } catch (error) {
      throw new StoreError('GetItem (link code)', this.#options.identitiesTable, { cause: error });
    }
  }

  /** Deletes an expired code unless a redemption reserved it meanwhile. */
  async deleteExpired(code: LinkCodeItem): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteCommand({
          TableName: this.#options.identitiesTable,
          Key: { identity: linkCodeKey(code.codeHash) },
          ConditionExpression: '#expires <= :now AND attribute_not_exists(#redeeming)',
          ExpressionAttributeNames: { '#expires': 'expiresAtEpochMs', '#redeeming': 'redeemingUserId' },
          ExpressionAttributeValues: { ':now': this.#now() },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return;
      }
      throw new StoreError('DeleteItem (expired link code)', this.#options.identitiesTable, { cause: error });
    }
  }

  /** Stores the user's count of wrong or expired codes. */
  async recordFailures(userId: string, failures: RequestCount): Promise<void> {
    try {
      await this.#options.client.send(
        new UpdateCommand({
          TableName: this.#options.usersTable,
          Key: { userId },
          UpdateExpression: 'SET #failures = :failures',
          ConditionExpression: 'attribute_exists(userId)',
          ExpressionAttributeNames: { '#failures': 'linkCodeFailures' },
          ExpressionAttributeValues: { ':failures': failures },
        }),
      );
    } catch (error) {
      throw new StoreError('UpdateItem (link code failures)', this.#options.usersTable, { cause: error });
    }
  }
}
