import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure, StoreError } from '../store/errors';

/**
 * State of a user's push channel, kept in the `pushChannel` attribute of their item in the users table. Only
 * a disabled endpoint is recorded for now. Re-registering the device (a later change) writes a new endpoint.
 */
export interface PushChannelState {
  status: 'disabled';
  endpointArn: string;
  /** Provider error that disabled it, such as `EndpointDisabled`. */
  reason: string;
  disabledAtEpochMs: number;
}

/** The push-channel reads and writes that the push sender needs. */
export interface PushChannels {
  /** Returns true when the user's push channel is disabled for `endpointArn`. */
  isDisabled(userId: string, endpointArn: string): Promise<boolean>;
  /** Disables the user's push channel for `endpointArn`. Returns false when the user does not exist. */
  disable(userId: string, endpointArn: string, reason: string): Promise<boolean>;
}

/** Options of {@link DynamoPushChannels}. */
export interface PushChannelsOptions {
  client: DynamoDBDocumentClient;
  usersTable: string;
  now?: () => number;
}

/**
 * Push-channel state in the users table. It touches only the `pushChannel` attribute, which the user store
 * leaves alone, because that store updates named attributes and never replaces an existing item.
 */
export class DynamoPushChannels implements PushChannels {
  readonly #client: DynamoDBDocumentClient;
  readonly #usersTable: string;
  readonly #now: () => number;

  constructor(options: PushChannelsOptions) {
    this.#client = options.client;
    this.#usersTable = options.usersTable;
    this.#now = options.now ?? Date.now;
  }

  async isDisabled(userId: string, endpointArn: string): Promise<boolean> {
    try {
      const result = await this.#client.send(
        new GetCommand({
          TableName: this.#usersTable,
          Key: { userId },
          ProjectionExpression: 'pushChannel',
          ConsistentRead: true,
        }),
      );
      const state = result.Item?.pushChannel as PushChannelState | undefined;

      return state?.status === 'disabled' && state.endpointArn === endpointArn;
    } catch (error) {
      throw new StoreError('GetItem (push channel)', this.#usersTable, { cause: error });
    }
  }

  async disable(userId: string, endpointArn: string, reason: string): Promise<boolean> {
    const state: PushChannelState = {
      status: 'disabled',
      endpointArn,
      reason,
      disabledAtEpochMs: this.#now(),
    };
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#usersTable,
          Key: { userId },
          UpdateExpression: 'SET pushChannel = :state',
          // A deleted user must not come back as an item holding only pushChannel.
          ConditionExpression: 'attribute_exists(userId)',
          ExpressionAttributeValues: { ':state': state },
        }),
      );

      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        return false;
      }
      throw new StoreError('UpdateItem (disable push channel)', this.#usersTable, { cause: error });
    }
  }
}
