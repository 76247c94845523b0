import { TelegramRateLimitError, TelegramRequestError } from '../../lib/channels/telegram/errors';
import { DynamoCircuitBreaker } from '../../lib/resilience/circuit-breaker';
import {
  CircuitOpenError,
  DeferCallError,
  deferDelayMs,
  RateLimitStoreUnavailableError,
  RetryBudgetExceededError,
} from '../../lib/resilience/errors';
import type { KeyedRateLimit } from '../../lib/resilience/limits';
import {
  type CircuitBreaker,
  createResilientCaller,
  type ResilientCaller,
  type ResilientCallOptions,
  type TokenBuckets,
} from '../../lib/resilience/resilient-call';
import { DynamoTokenBucket } from '../../lib/resilience/token-bucket';
import { createLocalTables, type LocalTables } from '../store/local-tables';
import { CapturingLogger } from '../support/capturing-logger';
import { createUnreachableClient, ManualClock, type SeparateClient, uniqueKey } from './support';

// DynamoDB Local deletes expired items by the real clock, so injected clocks start at the real time.
const T0_MS = Date.now();
const ONE_PER_SECOND = { capacity: 1, refillPerSecond: 1 };

/** A 503 that the default classifier counts against the dependency. */
class ServerError extends Error {
  readonly status = 503;
}

let local: LocalTables;

beforeAll(async () => {
  local = await createLocalTables('resilient-call');
});

afterAll(() => {
  local?.destroy();
});

interface Harness {
  caller: ResilientCaller;
  clock: ManualClock;
  events: string[];
  breaker: DynamoCircuitBreaker;
  logger: CapturingLogger;
}

/** Wraps the breaker and buckets so that each step appends to `events`, in the order it runs. */
function recording(breaker: DynamoCircuitBreaker, buckets: DynamoTokenBucket, events: string[]) {
  const recordingBreaker: CircuitBreaker = {
    get dynamoRequests() {
      return breaker.dynamoRequests;
    },
    acquire: async (dependency) => {
      events.push(`acquire ${dependency}`);
      const permit = await breaker.acquire(dependency);
      const report = (outcome: 'succeeded' | 'failed' | 'release') => () => {
        events.push(outcome);
        return permit[outcome]();
      };
      return {
        ...permit,
        succeeded: report('succeeded'),
        failed: report('failed'),
        release: report('release'),
      };
    },
  };
  const recordingBuckets: TokenBuckets = {
    get dynamoRequests() {
      return buckets.dynamoRequests;
    },
    take: async (key, limit, cost) => {
      const result = await buckets.take(key, limit, cost);
      events.push(`take ${key} ${result.granted ? 'granted' : 'denied'}`);
      return result;
    },
  };
  return { recordingBreaker, recordingBuckets };
}

function harness(options: { bucketClient?: SeparateClient; failClosed?: boolean } = {}): Harness {
  const clock = new ManualClock(T0_MS);
  const events: string[] = [];
  const logger = new CapturingLogger('resilient-call-test');
  const breaker = new DynamoCircuitBreaker({
    client: local.client,
    tableName: local.tables.resilience,
    now: clock.now,
  });
  const buckets = new DynamoTokenBucket({
    client: options.bucketClient?.client ?? local.client,
    tableName: local.tables.resilience,
    now: clock.now,
  });
  const { recordingBreaker, recordingBuckets } = recording(breaker, buckets, events);
  const caller = createResilientCaller({
    breaker: recordingBreaker,
    buckets: recordingBuckets,
    logger,
    now: clock.now,
    sleep: async (ms) => {
      events.push(`sleep ${ms}`);
      await clock.sleep(ms);
    },
    random: () => 0.5,
    storeFailureModes: { default: options.failClosed === true ? 'fail-closed' : 'fail-open' },
  });

  return { caller, clock, events, breaker, logger };
}

function callOptions(overrides: Partial<ResilientCallOptions> = {}): ResilientCallOptions {
  return { dependency: uniqueKey('telegram'), idempotent: true, budgetMs: 10_000, ...overrides };
}

function chatLimit(): KeyedRateLimit[] {
  return [{ key: uniqueKey('telegram:sendMessage:chat'), limit: ONE_PER_SECOND }];
}

async function outcomeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

describe('createResilientCaller', () => {
  describe('composition', () => {
    it('runs the steps in order', async () => {
      const { caller, events } = harness();
      const options = callOptions({ dependency: 'telegram', rateLimits: chatLimit() });
      const key = options.rateLimits?.[0]?.key;

      await caller.call(options, async () => {
        events.push('operation');
      });

      expect(events).toEqual(['acquire telegram', `take ${key} granted`, 'operation', 'succeeded']);
    });

    it('returns the result', async () => {
      const { caller } = harness();

      const result = await caller.call(callOptions(), async () => 42);

      expect(result).toBe(42);
    });

    it('passes the attempt number', async () => {
      const { caller } = harness();
      const attempts: number[] = [];

      await caller.call(callOptions(), async (attempt) => {
        attempts.push(attempt);
        if (attempt === 1) {
          throw new ServerError('Service Unavailable');
        }
      });

      expect(attempts).toEqual([1, 2]);
    });

    it('records failure then retries', async () => {
      const { caller, events } = harness();

      await caller.call(callOptions({ dependency: 'telegram' }), async (attempt) => {
        events.push(`operation ${attempt}`);
        if (attempt === 1) {
          throw new ServerError('Service Unavailable');
        }
      });

      expect(events).toEqual([
        'acquire telegram',
        'operation 1',
        'failed',
        'sleep 500',
        'acquire telegram',
        'operation 2',
        'succeeded',
      ]);
    });
  });

  describe('circuit breaker', () => {
    it('skips the operation when open', async () => {
      const { caller } = harness();
      const dependency = uniqueKey('telegram');
      for (let i = 0; i < 5; i += 1) {
        await outcomeOf(
          caller.call(callOptions({ dependency, maxAttempts: 1 }), async () => {
            throw new ServerError('Service Unavailable');
          }),
        );
      }
      const operation = jest.fn(async () => 'sent');

      const outcome = await outcomeOf(caller.call(callOptions({ dependency }), operation));

      expect(outcome).toBeInstanceOf(CircuitOpenError);
      expect(operation).not.toHaveBeenCalled();
    });

    it('stops retrying once open', async () => {
      const { caller } = harness();
      const dependency = uniqueKey('telegram');
      let attempts = 0;

      const failing = async () => {
        attempts += 1;
        throw new ServerError('Service Unavailable');
      };
      await outcomeOf(caller.call(callOptions({ dependency }), failing));
      await outcomeOf(caller.call(callOptions({ dependency }), failing));
      const outcome = await outcomeOf(caller.call(callOptions({ dependency }), failing));

      expect(outcome).toBeInstanceOf(CircuitOpenError);
      expect(attempts).toBe(5);
    });

    it('lets caller errors pass without counting', async () => {
      const { caller } = harness();
      const dependency = uniqueKey('telegram');
      for (let i = 0; i < 6; i += 1) {
        await outcomeOf(
          caller.call(callOptions({ dependency }), async () => {
            throw new TelegramRequestError('sendMessage', 400, 'Bad Request: chat not found');
          }),
        );
      }

      const outcome = await caller.call(callOptions({ dependency }), async () => 'sent');

      expect(outcome).toBe('sent');
      expect(caller.stats.callerErrors).toBe(6);
    });

    it('applies a custom classifier', async () => {
      const { caller } = harness();
      const dependency = uniqueKey('openai');
      const classify = () => 'dependency-failure' as const;
      for (let i = 0; i < 5; i += 1) {
        await outcomeOf(
          caller.call(callOptions({ dependency, classify, idempotent: false }), async () => {
            throw new TelegramRequestError('sendMessage', 400, 'Bad Request');
          }),
        );
      }

      const outcome = await outcomeOf(caller.call(callOptions({ dependency }), async () => 'sent'));

      expect(outcome).toBeInstanceOf(CircuitOpenError);
    });
  });

  describe('rate limits', () => {
    let unreachable: SeparateClient;

    beforeAll(async () => {
      unreachable = await createUnreachableClient();
    });

    afterAll(() => {
      unreachable?.destroy();
    });

    it('waits in-process within the budget', async () => {
      const { caller, events } = harness();
      const rateLimits = chatLimit();
      await caller.call(callOptions({ rateLimits }), async () => 'first');

      await caller.call(callOptions({ rateLimits }), async () => 'second');

      expect(events).toContain('sleep 1000');
      expect(caller.stats.rateLimitWaits).toBe(1);
    });

    it('defers when the wait exceeds the budget', async () => {
      const { caller } = harness();
      const rateLimits = chatLimit();
      await caller.call(callOptions({ rateLimits }), async () => 'first');
      const operation = jest.fn(async () => 'second');

      const outcome = await outcomeOf(caller.call(callOptions({ rateLimits, budgetMs: 500 }), operation));

      expect(outcome).toBeInstanceOf(DeferCallError);
      expect(outcome).toMatchObject({ delayMs: 1_000, remainingBudgetMs: 500 });
      expect(operation).not.toHaveBeenCalled();
    });

    it('releases the permit on deferral', async () => {
      const { caller, events } = harness();
      const rateLimits = chatLimit();
      await caller.call(callOptions({ rateLimits }), async () => 'first');
      events.length = 0;

      await outcomeOf(caller.call(callOptions({ rateLimits, budgetMs: 0 }), async () => 'second'));

      expect(events.at(-1)).toBe('release');
    });

    it('takes every listed bucket', async () => {
      const { caller, events } = harness();
      const rateLimits = [
        ...chatLimit(),
        { key: uniqueKey('telegram:bot'), limit: { capacity: 30, refillPerSecond: 30 } },
      ];

      await caller.call(callOptions({ rateLimits }), async () => 'sent');

      expect(events.filter((event) => event.startsWith('take'))).toHaveLength(2);
    });

    it('fails open when buckets are unavailable', async () => {
      const { caller } = harness({ bucketClient: unreachable });

      const outcome = await outcomeOf(
        caller.call(callOptions({ rateLimits: chatLimit() }), async () => 'sent'),
      );

      expect(outcome).toBe('sent');
      expect(caller.stats.bucketStoreFailures).toBe(1);
    });

    it('fails closed when configured', async () => {
      const { caller } = harness({ bucketClient: unreachable, failClosed: true });
      const operation = jest.fn(async () => 'sent');

      const outcome = await outcomeOf(caller.call(callOptions({ rateLimits: chatLimit() }), operation));

      expect(outcome).toBeInstanceOf(RateLimitStoreUnavailableError);
      expect(operation).not.toHaveBeenCalled();
    });
  });

  describe('retries', () => {
    it('stops at the budget with the wait', async () => {
      const { caller } = harness();

      const outcome = await outcomeOf(
        caller.call(callOptions({ budgetMs: 5_000 }), async () => {
          throw new TelegramRateLimitError('sendMessage', 'Too Many Requests: retry after 30', 30);
        }),
      );

      expect(outcome).toBeInstanceOf(RetryBudgetExceededError);
      expect(deferDelayMs(outcome)).toBe(30_000);
    });

    it('counts rate-limit waits against the budget', async () => {
      const { caller } = harness();
      const rateLimits = chatLimit();
      await caller.call(callOptions({ rateLimits }), async () => 'first');

      const outcome = await outcomeOf(
        caller.call(callOptions({ rateLimits, budgetMs: 1_200 }), async () => {
          throw new ServerError('Service Unavailable');
        }),
      );

      expect(outcome).toBeInstanceOf(RetryBudgetExceededError);
    });

    it('does not resend a non-idempotent call', async () => {
      const { caller } = harness();
      const operation = jest.fn(async () => {
        throw new ServerError('Service Unavailable');
      });

      await outcomeOf(caller.call(callOptions({ idempotent: false }), operation));

      expect(operation).toHaveBeenCalledTimes(1);
    });

    it('logs each retry', async () => {
      const { caller, logger } = harness();

      await outcomeOf(
        caller.call(callOptions(), async () => {
          throw new ServerError('Service Unavailable');
        }),
      );

      expect(logger.lines.filter((line) => line.includes('Retrying call'))).toHaveLength(2);
    });
  });

  describe('stats', () => {
    it('counts calls and outcomes', async () => {
      const { caller } = harness();
      const dependency = uniqueKey('telegram');
      await caller.call(callOptions({ dependency }), async (attempt) => {
        if (attempt === 1) {
          throw new ServerError('Service Unavailable');
        }
      });
      await outcomeOf(
        caller.call(callOptions({ dependency }), async () => {
          throw new TelegramRequestError('sendMessage', 400, 'Bad Request');
        }),
      );

      expect(caller.stats).toMatchObject({
        calls: 2,
        succeeded: 1,
        failed: 1,
        attempts: 3,
        retries: 1,
        dependencyFailures: 1,
        callerErrors: 1,
        shortCircuits: 0,
      });
    });

    it('counts DynamoDB requests', async () => {
      const { caller } = harness();
      const options = callOptions({
        rateLimits: [{ key: uniqueKey('telegram:bot'), limit: { capacity: 30, refillPerSecond: 30 } }],
      });

      await caller.call(options, async () => 'first');
      const afterFirst = caller.stats.dynamoRequests;
      await caller.call(options, async () => 'second');

      // First call: breaker read and bucket update. Second: the cached closed state and one bucket update.
      expect(afterFirst).toBe(2);
      expect(caller.stats.dynamoRequests).toBe(3);
    });
  });
});
