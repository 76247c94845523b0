import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationPreferences, User } from '../domain/user';
import { isConditionalCheckFailure, StoreError } from './errors';

/** Table and client of {@link EmailConfirmationWrites}: the users table of the user store. */
export interface EmailConfirmationWritesOptions {
  client: DynamoDBDocumentClient;
  usersTable: string;
  /** Clock in epoch milliseconds. */
  now?: () => number;
}

/**
 * Writes to a user's pending e-mail confirmation that succeed only while confirmation `requestId` is still
 * pending, so a replaced or completed confirmation is never changed. Each write returns `undefined` (or
 * false) instead of throwing when its condition fails. `UserStore` delegates its e-mail confirmation
 * methods here.
 */
export class EmailConfirmationWrites {
  readonly #client: DynamoDBDocumentClient;
  readonly #usersTable: string;
  readonly #now: () => number;

  constructor(options: EmailConfirmationWritesOptions) {
    this.#client = options.client;
    this.#usersTable = options.usersTable;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Records that the code e-mail of confirmation `requestId` is queued. Returns false when that
   * confirmation is no longer pending.
   */
  async markEnqueued(userId: string, requestId: string): Promise<boolean> {
    const user = await this.#conditionalUpdate(
      userId,
      'SET #confirmation.#enqueued = :true',
      '#confirmation.#requestId = :requestId',
      { '#confirmation': 'emailConfirmation', '#enqueued': 'enqueued', '#requestId': 'requestId' },
      { ':true': true, ':requestId': requestId },
    );

    return user !== undefined;
  }

  /**
   * Counts a wrong code for confirmation `requestId`. Returns the updated user, or `undefined` when that
   * confirmation is no longer pending or already has `maxFailedAttempts` wrong codes.
   */
  async recordFailedAttempt(
    userId: string,
    requestId: string,
    maxFailedAttempts: number,
  ): Promise<User | undefined> {
    return this.#conditionalUpdate(
      userId,
      'SET #confirmation.#failed = #confirmation.#failed + :one, #updated = :now',
      '#confirmation.#requestId = :requestId AND #confirmation.#failed < :max',
      {
        '#confirmation': 'emailConfirmation',
        '#failed': 'failedAttempts',
        '#requestId': 'requestId',
        '#updated': 'updatedAtEpochMs',
      },
      { ':one': 1, ':requestId': requestId, ':max': maxFailedAttempts, ':now': this.#now() },
    );
  }

  /**
   * Stores `preferences` (which contain the confirmed address) and removes confirmation `requestId` in one
   * conditional write, so a code confirms at most once. Returns `undefined` when the confirmation is no
   * longer pending, has expired at `nowMs`, or has `maxFailedAttempts` wrong codes.
   */
  async complete(
    userId: string,
    requestId: string,
    preferences: NotificationPreferences,
    limits: { nowMs: number; maxFailedAttempts: number },
  ): Promise<User | undefined> {
    return this.#conditionalUpdate(
      userId,
      'SET #notifications = :notifications, #updated = :now REMOVE #confirmation',
      '#confirmation.#requestId = :requestId AND #confirmation.#failed < :max AND ' +
        '#confirmation.#expires > :nowMs',
      {
        '#notifications': 'notifications',
        '#confirmation': 'emailConfirmation',
        '#requestId': 'requestId',
        '#failed': 'failedAttempts',
        '#expires': 'expiresAtEpochMs',
        '#updated': 'updatedAtEpochMs',
      },
      {
        ':notifications': preferences,
        ':requestId': requestId,
        ':max': limits.maxFailedAttempts,
        ':nowMs': limits.nowMs,
        ':now': this.#now(),
      },
    );
  }

  async #conditionalUpdate(
    userId: string,
    expression: string,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<User | undefined> {
    try {
      const result = await this.#client.send(
        new UpdateCommand({
          TableName: this.#usersTable,
          Key: { userId },
          UpdateExpression: expression,
          ConditionExpression: `attribute_exists(userId) AND ${condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );

      return result.Attributes as User;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return undefined;
      }
      throw new StoreError('UpdateItem (conditional)', this.#usersTable, { cause: error });
    }
  }
}
