import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { currencyOfCountry } from '../domain/country-currency';
import type {
  CategoryCorrection,
  EmailCodeRequests,
  NotificationPreferences,
  PendingAction,
  PendingEmailConfirmation,
  User,
} from '../domain/user';
import { EmailConfirmationWrites } from './email-confirmation-writes';
import { isConditionalCheckFailure, StoreError } from './errors';
import { IdentityLinkStore } from './identity-link-store';
import { LinkCodeStore } from './link-code-store';

/** Profile of a person on first contact. */
export interface NewUserProfile {
  /** Channel identity, for example `telegram:11110001`. */
  identity: string;
  languageCode?: string;
  displayName?: string;
  /** ISO 3166-1 alpha-2 country, when the channel tells it; its currency becomes the home currency. */
  country?: string;
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

/** One page of {@link UserStore.listWeeklySummarySubscribers}. */
export interface UserPage {
  users: User[];
  /** Key to pass back for the next page, or `undefined` after the last page. */
  nextKey?: Record<string, unknown>;
}

/** How many merchant corrections a user keeps for the AI prompt. */
export const MAX_CATEGORY_CORRECTIONS = 10;

/** Users and their channel identities. */
export class UserStore {
  readonly #options: UserStoreOptions;
  readonly #now: () => number;
  /** Link codes from /link, on this store's tables. */
  readonly linkCodes: LinkCodeStore;
  /** Merges of one user into another by a link code, on this store's tables. */
  readonly identityLinks: IdentityLinkStore;
  readonly #emailConfirmations: EmailConfirmationWrites;

  constructor(options: UserStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.linkCodes = new LinkCodeStore(options);
    this.identityLinks = new IdentityLinkStore(options);
    this.#emailConfirmations = new EmailConfirmationWrites(options);
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
      homeCurrency: currencyOfCountry(profile.country) ?? this.#options.defaultCurrency,
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

  /**
   * Remembers that the user moved a merchant to `category`, newest first, keeping the last
   * {@link MAX_CATEGORY_CORRECTIONS} merchants. The AI prompt carries them so its answers follow the user.
   */
  async recordCategoryCorrection(
    user: Pick<User, 'userId' | 'categoryCorrections'>,
    correction: CategoryCorrection,
  ): Promise<void> {
    const merchant = correction.merchant.trim().toLowerCase();
    const others = (user.categoryCorrections ?? []).filter(
      (entry) => entry.merchant.toLowerCase() !== merchant,
    );
    const corrections = [
      { merchant: correction.merchant.trim(), category: correction.category },
      ...others,
    ].slice(0, MAX_CATEGORY_CORRECTIONS);
    await this.#update(
      user.userId,
      'SET #corrections = :corrections, #updated = :now',
      { '#corrections': 'categoryCorrections', '#updated': 'updatedAtEpochMs' },
      { ':corrections': corrections, ':now': this.#now() },
    );
  }

  /**
   * Turns the AI summary of /stats on or off. Unlike {@link updateSettings}, it leaves `settingsConfirmed`
   * alone, because the opt-in is unrelated to currency and time zone.
   */
  async setAiInsights(userId: string, enabled: boolean): Promise<User> {
    return this.#update(
      userId,
      'SET #insights = :enabled, #updated = :now',
      { '#insights': 'aiInsights', '#updated': 'updatedAtEpochMs' },
      { ':enabled': enabled, ':now': this.#now() },
    );
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

  /**
   * Replaces the user's notification preferences. With `clearEmailConfirmation`, a pending e-mail
   * confirmation is dropped in the same write.
   */
  async setNotificationPreferences(
    userId: string,
    preferences: NotificationPreferences,
    options: { clearEmailConfirmation?: boolean } = {},
  ): Promise<User> {
    const remove = options.clearEmailConfirmation === true ? ' REMOVE #confirmation' : '';

    return this.#update(
      userId,
      `SET #notifications = :notifications, #updated = :now${remove}`,
      {
        '#notifications': 'notifications',
        '#updated': 'updatedAtEpochMs',
        ...(remove === '' ? {} : { '#confirmation': 'emailConfirmation' }),
      },
      { ':notifications': preferences, ':now': this.#now() },
    );
  }

  /** Stores a new pending e-mail confirmation, replacing any earlier one, and the updated code count. */
  async startEmailConfirmation(
    userId: string,
    confirmation: PendingEmailConfirmation,
    requests: EmailCodeRequests,
  ): Promise<User> {
    return this.#update(
      userId,
      'SET #confirmation = :confirmation, #requests = :requests, #updated = :now',
      {
        '#confirmation': 'emailConfirmation',
        '#requests': 'emailCodeRequests',
        '#updated': 'updatedAtEpochMs',
      },
      { ':confirmation': confirmation, ':requests': requests, ':now': this.#now() },
    );
  }

  /** Marks the code e-mail as queued, as {@link EmailConfirmationWrites.markEnqueued} describes. */
  async markEmailConfirmationEnqueued(userId: string, requestId: string): Promise<boolean> {
    return this.#emailConfirmations.markEnqueued(userId, requestId);
  }

  /** Counts a wrong code, as {@link EmailConfirmationWrites.recordFailedAttempt} describes. */
  async recordFailedEmailConfirmation(
    userId: string,
    requestId: string,
    maxFailedAttempts: number,
  ): Promise<User | undefined> {
    return this.#emailConfirmations.recordFailedAttempt(userId, requestId, maxFailedAttempts);
  }

  /** Confirms the address at most once, as {@link EmailConfirmationWrites.complete} describes. */
  async completeEmailConfirmation(
    userId: string,
    requestId: string,
    preferences: NotificationPreferences,
    limits: { nowMs: number; maxFailedAttempts: number },
  ): Promise<User | undefined> {
    return this.#emailConfirmations.complete(userId, requestId, preferences, limits);
  }

  /** Removes the pending e-mail confirmation, if any. */
  async clearEmailConfirmation(userId: string): Promise<void> {
    await this.#update(
      userId,
      'REMOVE #confirmation SET #updated = :now',
      { '#confirmation': 'emailConfirmation', '#updated': 'updatedAtEpochMs' },
      { ':now': this.#now() },
    );
  }

  /**
   * Returns one page of active users who turned the weekly summary on, read with a Scan and a filter.
   * `pageSize` bounds the items read per page before the filter, so a page may hold fewer users, or none,
   * while `nextKey` is still set.
   * NOTE: a Scan reads the whole users table each week; a sparse index on opted-in users would read only
   * them once the table is large.
   */
  async listWeeklySummarySubscribers(startKey?: Record<string, unknown>, pageSize = 500): Promise<UserPage> {
    try {
      const result = await this.#options.client.send(
        new ScanCommand({
          TableName: this.#options.usersTable,
          FilterExpression: '#notifications.#weekly = :true AND #status = :active',
          ExpressionAttributeNames: {
            '#notifications': 'notifications',
            '#weekly': 'weeklySummary',
            '#status': 'status',
          },
          ExpressionAttributeValues: { ':true': true, ':active': 'active' },
          ExclusiveStartKey: startKey,
          Limit: pageSize,
          ConsistentRead: true,
        }),
      );

      return { users: (result.Items ?? []) as User[], nextKey: result.LastEvaluatedKey };
    } catch (error) {
      throw new StoreError('Scan (weekly summary subscribers)', this.#options.usersTable, { cause: error });
    }
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
