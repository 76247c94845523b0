import type { FxProviderId } from '../../lib/config';
import { FxSnapshotConflictError } from '../../lib/fx/errors';
import { type FxRateStore, type ProviderStatus, type RateSnapshot, utcDay } from '../../lib/fx/rate-store';

/** An in-memory {@link FxRateStore} for unit tests, with the same version check as the DynamoDB store. */
export class MemoryFxRateStore implements FxRateStore {
  readonly latest = new Map<string, RateSnapshot>();
  readonly days = new Map<string, RateSnapshot>();
  readonly statuses = new Map<string, ProviderStatus>();
  /** Calls of getLatest, to check caching. */
  latestReads = 0;

  async getLatest(baseCurrency: string): Promise<RateSnapshot | undefined> {
    this.latestReads += 1;
    return structuredClone(this.latest.get(baseCurrency));
  }

  async getDay(baseCurrency: string, day: string): Promise<RateSnapshot | undefined> {
    return structuredClone(this.days.get(`${baseCurrency}#${day}`));
  }

  async saveLatest(
    snapshot: Pick<RateSnapshot, 'baseCurrency' | 'rates' | 'updatedAtEpochMs'>,
    expectedVersion: number,
  ): Promise<RateSnapshot> {
    if ((this.latest.get(snapshot.baseCurrency)?.version ?? 0) !== expectedVersion) {
      throw new FxSnapshotConflictError(snapshot.baseCurrency, expectedVersion);
    }

    const written: RateSnapshot = structuredClone({ ...snapshot, version: expectedVersion + 1 });
    this.latest.set(snapshot.baseCurrency, written);
    this.days.set(`${snapshot.baseCurrency}#${utcDay(snapshot.updatedAtEpochMs)}`, structuredClone(written));

    return written;
  }

  async getProviderStatuses(baseCurrency: string): Promise<Map<FxProviderId, ProviderStatus>> {
    const statuses = new Map<FxProviderId, ProviderStatus>();
    for (const [key, status] of this.statuses) {
      if (key.startsWith(`${baseCurrency}#`)) {
        statuses.set(status.provider, status);
      }
    }

    return statuses;
  }

  async putProviderStatus(baseCurrency: string, status: ProviderStatus): Promise<void> {
    this.statuses.set(`${baseCurrency}#${status.provider}`, structuredClone(status));
  }

  async deleteProviderStatus(baseCurrency: string, provider: FxProviderId): Promise<void> {
    this.statuses.delete(`${baseCurrency}#${provider}`);
  }
}
