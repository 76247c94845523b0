import type { StoredRate } from './rate-store';

/**
 * Merges two sets of stored rates currency by currency. Each currency keeps the rate fetched last, and
 * `update` wins ties. A currency absent from `update` keeps its rate from `current`, so partial data never
 * removes or blanks a stored rate.
 */
export function mergeRates(
  current: Readonly<Record<string, StoredRate>>,
  update: Readonly<Record<string, StoredRate>>,
): Record<string, StoredRate> {
  const merged: Record<string, StoredRate> = { ...current };
  for (const [currency, rate] of Object.entries(update)) {
    const existing = merged[currency];
    if (existing === undefined || rate.fetchedAtEpochMs >= existing.fetchedAtEpochMs) {
      merged[currency] = rate;
    }
  }

  return merged;
}
