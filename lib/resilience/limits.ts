/**
 * Default limits of the resilience layer: circuit breaker, retries and the providers' rate limits, in one
 * table so that a reviewer can compare every number with the provider's published figure.
 */

/**
 * A token bucket that contains at most `capacity` tokens and gains `refillPerSecond` tokens per second.
 * In any interval of W seconds it admits a total cost of at most `capacity + refillPerSecond × W`.
 */
export interface RateLimit {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** One of several limits that apply to the same calls, such as a per-second rate and a daily quota. */
export interface RateLimitWindow extends RateLimit {
  /** Suffix of the bucket key that keeps this window's bucket apart from the others, such as `day`. */
  readonly window: string;
}

/** Whether a call proceeds when the resilience table cannot be read or written. */
export type StoreFailureMode = 'fail-open' | 'fail-closed';

/**
 * Returns a rate: bursts of `burst` (default `count`) and `count` per `perSeconds` after that.
 * An interval of `perSeconds` can therefore admit up to `burst + count`, which suits providers that meter
 * short rates loosely and respond to an excess with 429 and a delay, which the retry honours.
 */
export function rate(count: number, perSeconds: number, burst = count): RateLimit {
  return { capacity: burst, refillPerSecond: count / perSeconds };
}

/**
 * Returns a quota: never more than `count` in any interval of `windowSeconds`, with bursts of `burst`.
 * The bucket refills `count − burst` per window, because a full bucket plus one window of refill must stay
 * within `count`.
 */
export function quota(count: number, windowSeconds: number, burst: number): RateLimit {
  return { capacity: burst, refillPerSecond: (count - burst) / windowSeconds };
}

const MINUTE_SECONDS = 60;
const HOUR_SECONDS = 3_600;
const DAY_SECONDS = 86_400;
// 31 days, the maximum length of a calendar month, so that a quota "per month" is kept in every month.
const MONTH_SECONDS = 31 * DAY_SECONDS;

/** Names of the default rate limits, `<provider>:<scope>`. */
export type RateLimitName =
  | 'telegram:bot'
  | 'telegram:chat'
  | 'telegram:group'
  | 'whatsapp:messages'
  | 'openai:requests'
  | 'openai:tokens'
  | 'vision:requests'
  | 'fx:requests'
  | 'ses:emails'
  | 'sns:sms'
  | 'slack:webhook';

/** Defaults of the whole layer. */
export const RESILIENCE_LIMITS = {
  circuitBreaker: {
    /** Consecutive dependency failures that open the circuit. */
    failureThreshold: 5,
    /** How long an open circuit rejects calls before it admits trial calls. */
    openMs: 60_000,
    /** Trial calls allowed in flight at once while half-open. */
    halfOpenMaxTrials: 3,
    /**
     * How long a half-open trial may run before its slot counts as lost, for example because its Lambda
     * instance timed out before reporting. After it, a new round of trials starts.
     */
    trialLeaseMs: 30_000,
    /** `retryAfterMs` given to callers rejected because every trial slot is taken. */
    halfOpenRetryAfterMs: 1_000,
    /** How long an instance trusts a closed state it read, before it reads the state again. */
    closedCacheMs: 1_000,
    /** `retryAfterMs` of {@link StoreFailureMode} `fail-closed` rejections. */
    storeUnavailableRetryAfterMs: 5_000,
    /** Idle breaker items are deleted by TTL after this many seconds, which closes their circuit. */
    stateRetentionSeconds: 7 * DAY_SECONDS,
  },

  retry: {
    /** Attempts in total, including the first. */
    maxAttempts: 3,
    /** Upper bound of the first retry's delay. Each later retry doubles it. */
    baseDelayMs: 1_000,
    /** Upper bound of any backoff delay. A provider's Retry-After may be longer and is honoured. */
    maxDelayMs: 30_000,
  },

  /**
   * Behaviour of a call when the resilience table fails. Chat replies fail open, because a reply sent
   * without rate limiting is better than no reply. Keys are dependencies, or their prefix before the
   * first `:`.
   */
  storeFailureModes: {
    default: 'fail-open',
    telegram: 'fail-open',
    whatsapp: 'fail-open',
  } satisfies Record<string, StoreFailureMode>,

  /** Provider rate limits. Several windows mean that each applies to the same calls. */
  rateLimits: {
    /** Telegram: about 30 messages per second per bot. */
    'telegram:bot': rate(30, 1),
    /** Telegram: 1 message per second per chat. */
    'telegram:chat': rate(1, 1),
    /** Telegram: at most 20 messages per minute to one group, bursts of 3. */
    'telegram:group': quota(20, MINUTE_SECONDS, 3),
    /** WhatsApp Cloud API: 50 messages per second with bursts of 100, and 250,000 requests per hour. */
    'whatsapp:messages': [
      { window: 'second', ...rate(50, 1, 100) },
      { window: 'hour', ...quota(250_000, HOUR_SECONDS, 100) },
    ],
    /** OpenAI: 3,000 requests per minute. */
    'openai:requests': rate(3_000, MINUTE_SECONDS),
    /** OpenAI: 250,000 tokens per minute. The cost of a take is the request's token count. */
    'openai:tokens': rate(250_000, MINUTE_SECONDS),
    /** Google Cloud Vision: 1,800 requests per minute. */
    'vision:requests': rate(1_800, MINUTE_SECONDS),
    /** Exchange-rate provider: 10 requests per minute and 100,000 per month. */
    'fx:requests': [
      { window: 'minute', ...rate(10, MINUTE_SECONDS) },
      { window: 'month', ...quota(100_000, MONTH_SECONDS, 10) },
    ],
    /** Amazon SES: 14 e-mails per second and 200,000 per day. */
    'ses:emails': [
      { window: 'second', ...rate(14, 1) },
      { window: 'day', ...quota(200_000, DAY_SECONDS, 14) },
    ],
    /**
     * Amazon SNS: SMS messages per second for the account.
     * NOTE: 20 is an estimate of the default SMS rate of a new account. Set it to the quota that the
     * account's Service Quotas console shows.
     */
    'sns:sms': rate(20, 1),
    /**
     * Slack incoming webhooks: 1 message per second per webhook. Slack tolerates short bursts but does not
     * promise to deliver them, so the bucket's capacity is 1. Scope it by the webhook's configured name, never by
     * its URL, because the URL is a secret.
     */
    'slack:webhook': rate(1, 1),
  } satisfies Record<RateLimitName, RateLimit | readonly RateLimitWindow[]>,

  /** Google Cloud Vision: images in one request. This is a request size, not a rate. */
  visionMaxImagesPerRequest: 16,
} as const;

/** A bucket key with its limit, as {@link rateLimitsFor} returns them for a resilient call. */
export interface KeyedRateLimit {
  key: string;
  limit: RateLimit;
  /** Tokens the call takes from this bucket, default 1. */
  cost?: number;
}

/**
 * Returns the buckets of a default rate limit for one scope, such as a chat id: one entry per window, keyed
 * `<name>:<scope>` and, for limits with several windows, `<name>:<scope>:<window>`.
 * @example rateLimitsFor('telegram:chat', chatId) // [{ key: 'telegram:chat:42', limit: { capacity: 1, refillPerSecond: 1 } }]
 */
export function rateLimitsFor(name: RateLimitName, scope?: string | number, cost?: number): KeyedRateLimit[] {
  const base = scope === undefined ? name : `${name}:${scope}`;
  const configured: RateLimit | readonly RateLimitWindow[] = RESILIENCE_LIMITS.rateLimits[name];
  const withCost = (entry: KeyedRateLimit): KeyedRateLimit =>
    cost === undefined ? entry : { ...entry, cost };

  if (!isWindowList(configured)) {
    return [withCost({ key: base, limit: configured })];
  }

  return configured.map((window) =>
    withCost({
      key: `${base}:${window.window}`,
      limit: { capacity: window.capacity, refillPerSecond: window.refillPerSecond },
    }),
  );
}

function isWindowList(value: RateLimit | readonly RateLimitWindow[]): value is readonly RateLimitWindow[] {
  return Array.isArray(value);
}

/**
 * Returns the store failure mode of `dependency`: its own entry, else the entry of its prefix before the
 * first `:` (so `telegram:getFile` follows `telegram`), else `modes.default`.
 */
export function storeFailureModeOf(
  dependency: string,
  modes: Readonly<Record<string, StoreFailureMode>> & { default: StoreFailureMode },
): StoreFailureMode {
  const prefix = dependency.split(':', 1)[0] ?? dependency;

  return modes[dependency] ?? modes[prefix] ?? modes.default;
}
