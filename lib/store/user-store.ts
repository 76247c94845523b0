import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PendingAction, User } from '../domain/user';
import { isConditionalCheckFailure, StoreError } from './errors';

/** Profile of a person on first contact. */
export interface NewUserProfile {
  /** Channel identity, for example `telegram:11110001`. */
  identity: string;
  languageCode?: string;
  displayName?: string;
}

/** Options of {@link UserStore}. */
export interface UserStoreOptions {
  client: DynamoDBDocumentClient;
  usersTable: string;
  identitiesTable: string;
  defaultCurrency: string;
  defaultTimeZone: string;
  now?: () => number;
}

/** Settings a user can change with /settings. */
export type UserSettingsUpdate = Partial<Pick<User, 'homeCurrency' | 'timeZone'>>;

/** Users and their channel identities. */
export class UserStore {
  readonly #options: UserStoreOptions;
  readonly #now: () => number;

  constructor(options: UserStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Returns the user behind a channel identity, creating both on first contact.
   * The identity is written with a condition in the same transaction as the user, so two concurrent
   * first messages create one user.
   */
  async findOrCreate(profile: NewUserProfile): Promise<{ user: User; created: boolean }> {
    const existing = await this.findByIdentity(profile.identity);
    if (existing !== undefined) {
      return { user: existing, created: false };
    }

    const nowMs = this.#now();
    const user: User = {
      userId: randomUUID(),
      identities: [profile.identity],
      languageCode: profile.languageCode,
      displayName: profile.displayName,
      homeCurrency: this.#options.defaultCurrency,
      timeZone: this.#options.defaultTimeZone,
      status: 'active',
      settingsConfirmed: false,
      createdAtEpochMs: nowMs,
      updatedAtEpochMs: nowMs,
    };
    try {
      await this.#options.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#options.identitiesTable,
                Item: { identity: profile.identity, userId: user.userId, createdAtEpochMs: nowMs },
                ConditionExpression: 'attribute_not_exists(#identity)',
                ExpressionAttributeNames: { '#identity': 'identity' },
              },
            },
            { Put: { TableName: this.#options.usersTable, Item: user } },
          ],
        }),
      );

      return { user, created: true };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        throw new StoreError('TransactWriteItems (create user)', this.#options.usersTable, { cause: error });
      }
    }

    const winner = await this.findByIdentity(profile.identity);
    if (winner === undefined) {
      throw new StoreError('GetItem (identity after race)', this.#options.identitiesTable, {
        cause: new Error(`identity ${profile.identity} was claimed but its user is missing`),
      });
    }

    return { user: winner, created: false };
  }

  /** Returns the user behind a channel identity, or `undefined`. */
  async findByIdentity(identity: string): Promise<User | undefined> {
    const mapping = await this.#get(this.#options.identitiesTable, { identity });
    if (mapping === undefined) {
      return undefined;
    }

    return this.get(mapping.userId as string);
  }

  /** Returns a user by id, or `undefined`. */
  async get(userId: string): Promise<User | undefined> {
    return (await this.#get(this.#options.usersTable, { userId })) as User | undefined;
  }

  /** Changes home currency or time zone and marks the settings as chosen. */
  async updateSettings(userId: string, update: UserSettingsUpdate): Promise<User> {
    const names: Record<string, string> = {
      '#confirmed': 'settingsConfirmed',
      '#updated': 'updatedAtEpochMs',
    };
    const values: Record<string, unknown> = { ':true': true, ':now': this.#now() };
    const sets = ['#confirmed = :true', '#updated = :now'];
    for (const [field, value] of Object.entries(update)) {
      if (value === undefined) {
        continue;
      }
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }

    return this.#update(userId, `SET ${sets.join(', ')}`, names, values);
  }

  /** Marks a user inactive (they blocked the bot) or active again. */
  async setStatus(userId: string, status: User['status']): Promise<void> {
    await this.#update(
      userId,
      'SET #status = :status, #updated = :now',
      { '#status': 'status', '#updated': 'updatedAtEpochMs' },
      { ':status': status, ':now': this.#now() },
    );
  }

  /** Stores what the bot waits for next from the user, or clears it with `undefined`. */
  async setPendingAction(userId: string, action: PendingAction | undefined): Promise<void> {
    if (action === undefined) {
      await this.#update(
        userId,
        'REMOVE #pending SET #updated = :now',
        { '#pending': 'pendingAction', '#updated': 'updatedAtEpochMs' },
        {
          ':now': this.#now(),
        },
      );
      return;
    }

    await this.#update(
      userId,
      'SET #pending = :pending, #updated = :now',
      { '#pending': 'pendingAction', '#updated': 'updatedAtEpochMs' },
      { ':pending': action, ':now': this.#now() },
    );
  }

  async #update(
    userId: string,
    expression: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ): Promise<User> {
    try {
      const result = await this.#options.client.send(
        new UpdateCommand({
          TableName: this.#options.usersTable,
          Key: { userId },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(userId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );

      return result.Attributes as User;
    } catch (error) {
      throw new StoreError('UpdateItem', this.#options.usersTable, { cause: error });
    }
  }

  async #get(table: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.#options.client.send(
        new GetCommand({ TableName: table, Key: key, ConsistentRead: true }),
      );

      return result.Item;
    } catch (error) {
      throw new StoreError('GetItem', table, { cause: error });
    }
  }
}
