import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { FxProviderId } from '../config';
import { isConditionalCheckFailure, StoreError } from '../store/errors';
import { FxSnapshotConflictError } from './errors';

/** One stored rate: units of the currency per 1 unit of the base currency. */
export interface StoredRate {
  /** Decimal string, as the provider wrote it. */
  rate: string;
  provider: FxProviderId;
  /** The provider's own time of the rate (ISO 8601 date-time or date). */
  providerUpdatedAt: string;
  /** When we fetched it. Freshness is measured from here. */
  fetchedAtEpochMs: number;
}

/** The stored rates against one base currency, each currency with its own source and time. */
export interface RateSnapshot {
  baseCurrency: string;
  rates: Record<string, StoredRate>;
  /** Incremented on every write of the latest rates; 0 for a snapshot that was never written. */
  version: number;
  updatedAtEpochMs: number;
}

/** A provider disabled after a configuration or credential failure, so it is not called every hour. */
export interface ProviderStatus {
  provider: FxProviderId;
  errorType: string;
  /** Change that the operator has to make. */
  fix: string;
  firstFailedAtEpochMs: number;
  lastFailedAtEpochMs: number;
  /** The provider is called again after this time, or earlier when its configuration changes. */
  retryAfterEpochMs: number;
  /** Digest of the provider's settings when it failed; see `RateProvider.configurationFingerprint`. */
  configurationFingerprint: string;
}

/** Storage of rates and provider statuses. */
export interface FxRateStore {
  getLatest(baseCurrency: string): Promise<RateSnapshot | undefined>;
  /** Returns the rates as last written on a UTC day (`YYYY-MM-DD`). */
  getDay(baseCurrency: string, day: string): Promise<RateSnapshot | undefined>;
  /**
   * Writes the latest rates and the day's copy in one transaction, if the latest rates are still at
   * `expectedVersion`, and returns what was written.
   * @throws {FxSnapshotConflictError} when another writer got there first.
   */
  saveLatest(
    snapshot: Pick<RateSnapshot, 'baseCurrency' | 'rates' | 'updatedAtEpochMs'>,
    expectedVersion: number,
  ): Promise<RateSnapshot>;
  getProviderStatuses(baseCurrency: string): Promise<Map<FxProviderId, ProviderStatus>>;
  putProviderStatus(baseCurrency: string, status: ProviderStatus): Promise<void>;
  deleteProviderStatus(baseCurrency: string, provider: FxProviderId): Promise<void>;
}

const LATEST_KEY = 'latest';
const DAY_PREFIX = 'day#';
const PROVIDER_PREFIX = 'provider#';

/** Returns the UTC calendar day of an epoch-milliseconds time, `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** {@link FxRateStore} on the DynamoDB table described by `FX_RATES_TABLE` in lib/store/tables. */
export class DynamoFxRateStore implements FxRateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  getLatest(baseCurrency: string): Promise<RateSnapshot | undefined> {
    return this.#getSnapshot(baseCurrency, LATEST_KEY);
  }

  getDay(baseCurrency: string, day: string): Promise<RateSnapshot | undefined> {
    return this.#getSnapshot(baseCurrency, `${DAY_PREFIX}${day}`);
  }

  async saveLatest(
    snapshot: Pick<RateSnapshot, 'baseCurrency' | 'rates' | 'updatedAtEpochMs'>,
    expectedVersion: number,
  ): Promise<RateSnapshot> {
    const written: RateSnapshot = { ...snapshot, version: expectedVersion + 1 };
    const attributes = {
      baseCurrency: written.baseCurrency,
      rates: written.rates,
      version: written.version,
      updatedAtEpochMs: written.updatedAtEpochMs,
    };
    const condition =
      expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(recordKey)' }
        : {
            ConditionExpression: '#version = :expectedVersion',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
          };

    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...attributes, recordKey: LATEST_KEY },
                ...condition,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...attributes, recordKey: `${DAY_PREFIX}${utcDay(written.updatedAtEpochMs)}` },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error)) {
        throw new FxSnapshotConflictError(snapshot.baseCurrency, expectedVersion);
      }
      throw new StoreError('TransactWriteItems', this.tableName, { cause: error });
    }

    return written;
  }

  async getProviderStatuses(baseCurrency: string): Promise<Map<FxProviderId, ProviderStatus>> {
    const statuses = new Map<FxProviderId, ProviderStatus>();
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#send('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'baseCurrency = :base AND begins_with(recordKey, :prefix)',
            ExpressionAttributeValues: { ':base': baseCurrency, ':prefix': PROVIDER_PREFIX },
            ExclusiveStartKey: exclusiveStartKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const status = item as ProviderStatus;
        statuses.set(status.provider, status);
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);

    return statuses;
  }

  async putProviderStatus(baseCurrency: string, status: ProviderStatus): Promise<void> {
    await this.#send('PutItem', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...status, baseCurrency, recordKey: `${PROVIDER_PREFIX}${status.provider}` },
        }),
      ),
    );
  }

  async deleteProviderStatus(baseCurrency: string, provider: FxProviderId): Promise<void> {
    await this.#send('DeleteItem', () =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { baseCurrency, recordKey: `${PROVIDER_PREFIX}${provider}` },
        }),
      ),
    );
  }

  async #getSnapshot(baseCurrency: string, recordKey: string): Promise<RateSnapshot | undefined> {
    const result = await this.#send('GetItem', () =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { baseCurrency, recordKey }, ConsistentRead: true }),
      ),
    );
    if (result.Item === undefined) {
      return undefined;
    }

    const { rates, version, updatedAtEpochMs } = result.Item;
    return {
      baseCurrency,
      rates: (rates ?? {}) as Record<string, StoredRate>,
      version: Number(version ?? 0),
      updatedAtEpochMs: Number(updatedAtEpochMs ?? 0),
    };
  }

  async #send<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreError(operation, this.tableName, { cause: error });
    }
  }
}
