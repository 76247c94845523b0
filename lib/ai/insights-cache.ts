import type { IdempotencyStore } from '../store/idempotency-store';

/** Summaries already generated, per user, month and day, so /stats calls OpenAI at most once a day. */
export interface InsightsCache {
  /** Returns the summary stored for the user's `month` on `day`, or `undefined`. */
  get(userId: string, month: string, day: string): Promise<string | undefined>;
  put(userId: string, month: string, day: string, text: string): Promise<void>;
}

/**
 * {@link InsightsCache} on the idempotency table's markers. A marker lives as long as the store's retention
 * of completed claims, which is longer than a day, and the key contains the day, so a new day misses.
 */
export class MarkerInsightsCache implements InsightsCache {
  constructor(private readonly store: Pick<IdempotencyStore, 'getMarker' | 'putMarker'>) {}

  async get(userId: string, month: string, day: string): Promise<string | undefined> {
    const marker = await this.store.getMarker(insightsKey(userId, month, day));
    const text = marker?.summary;

    return typeof text === 'string' ? text : undefined;
  }

  async put(userId: string, month: string, day: string, text: string): Promise<void> {
    await this.store.putMarker(insightsKey(userId, month, day), { summary: text });
  }
}

/** Key of a cached summary: `ai-insights:<user id>:<YYYY-MM>:<YYYY-MM-DD>`. */
export function insightsKey(userId: string, month: string, day: string): string {
  return `ai-insights:${userId}:${month}:${day}`;
}
