import { TelegramNetworkError, TelegramRateLimitError } from '../../../lib/channels/telegram/errors';
import { InvalidResilienceOptionError, RetryBudgetExceededError } from '../../../lib/resilience/errors';
import { backoffDelayMs, type RetryOptions, retryWithBackoff } from '../../../lib/resilience/retry';
import { ManualClock } from '../support';

const BASE_MS = 1_000;
const CAP_MS = 30_000;
const ALMOST_ONE = 1 - Number.EPSILON;

/** An HTTP-like error with a status, as provider clients throw. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Creates the error of a connection refused before the request was sent. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
}

interface Run {
  attempts: number[];
  sleeps: number[];
  outcome: unknown;
}

/** Runs retryWithBackoff on a manual clock with an operation that throws `errors` in turn, then returns 'ok'. */
async function runWith(errors: unknown[], options: Partial<RetryOptions> = {}): Promise<Run> {
  const clock = new ManualClock(0);
  const run: Run = { attempts: [], sleeps: [], outcome: undefined };
  const remaining = [...errors];

  run.outcome = await retryWithBackoff(
    async () => {
      run.attempts.push(clock.now());
      const next = remaining.shift();
      if (next !== undefined) {
        throw next;
      }
      return 'ok';
    },
    {
      idempotent: true,
      now: clock.now,
      sleep: async (ms) => {
        run.sleeps.push(ms);
        await clock.sleep(ms);
      },
      random: () => 0.5,
      ...options,
    },
  ).catch((error: unknown) => error);

  return run;
}

describe('backoffDelayMs', () => {
  it.each([0, 1, 2, 3, 4, 5, 6, 10])('stays within the ceiling for retry %i', (retryIndex) => {
    const ceiling = Math.min(CAP_MS, BASE_MS * 2 ** retryIndex);

    const highest = backoffDelayMs(retryIndex, BASE_MS, CAP_MS, () => ALMOST_ONE);

    expect(highest).toBeLessThanOrEqual(ceiling);
    expect(highest).toBeGreaterThan(ceiling * 0.99);
  });

  it('reaches zero', () => {
    expect(backoffDelayMs(3, BASE_MS, CAP_MS, () => 0)).toBe(0);
  });

  it('scales the jitter', () => {
    expect(backoffDelayMs(1, BASE_MS, CAP_MS, () => 0.25)).toBe(500);
  });

  it('caps at the maximum', () => {
    expect(backoffDelayMs(20, BASE_MS, CAP_MS, () => 0.5)).toBe(15_000);
  });
});

describe('retryWithBackoff', () => {
  it('returns the first success', async () => {
    const run = await runWith([new HttpError(503)]);

    expect(run.outcome).toBe('ok');
    expect(run.attempts).toHaveLength(2);
  });

  it('stops after three attempts', async () => {
    const last = new HttpError(503);

    const run = await runWith([new HttpError(503), new HttpError(503), last, new HttpError(503)]);

    expect(run.attempts).toHaveLength(3);
    expect(run.outcome).toBe(last);
  });

  it('doubles the jitter ceiling', async () => {
    const run = await runWith([new HttpError(503), new HttpError(503)], { random: () => ALMOST_ONE });

    expect(run.sleeps[0]).toBeLessThanOrEqual(1_000);
    expect(run.sleeps[1]).toBeLessThanOrEqual(2_000);
    expect(run.sleeps[1]).toBeGreaterThan(1_000);
  });

  it('waits for a longer Retry-After', async () => {
    const run = await runWith([new HttpError(429, 5_000)]);

    expect(run.sleeps).toEqual([5_000]);
    expect(run.attempts[1]).toBeGreaterThanOrEqual(5_000);
  });

  it('keeps a backoff longer than Retry-After', async () => {
    const run = await runWith([new HttpError(429, 10)]);

    expect(run.sleeps).toEqual([500]);
  });

  it('reads the Telegram retry delay', async () => {
    const run = await runWith([new TelegramRateLimitError('sendMessage', 'Too Many Requests', 7)]);

    expect(run.sleeps).toEqual([7_000]);
  });

  it('rethrows caller errors at once', async () => {
    const error = new HttpError(400);

    const run = await runWith([error]);

    expect(run.attempts).toHaveLength(1);
    expect(run.outcome).toBe(error);
  });

  it('skips non-idempotent retry after a timeout', async () => {
    const timeout = new TelegramNetworkError('sendMessage', 'timed out after 10000 ms', true);

    const run = await runWith([timeout], { idempotent: false });

    expect(run.attempts).toHaveLength(1);
    expect(run.outcome).toBe(timeout);
  });

  it('skips non-idempotent retry after a 5xx', async () => {
    const run = await runWith([new HttpError(502)], { idempotent: false });

    expect(run.attempts).toHaveLength(1);
  });

  it('retries non-idempotent refused connection', async () => {
    const run = await runWith([connectionRefused()], { idempotent: false });

    expect(run.outcome).toBe('ok');
  });

  it('retries non-idempotent after a 429', async () => {
    const run = await runWith([new HttpError(429)], { idempotent: false });

    expect(run.outcome).toBe('ok');
  });

  it('retries non-idempotent with a key', async () => {
    const run = await runWith([new HttpError(502)], { idempotent: false, idempotencyKey: 'reply:42' });

    expect(run.outcome).toBe('ok');
  });

  it('stops before sleeping past the budget', async () => {
    const run = await runWith([new HttpError(429, 2_000)], { budgetMs: 1_500 });

    expect(run.outcome).toBeInstanceOf(RetryBudgetExceededError);
    expect(run.outcome).toMatchObject({ waitMs: 2_000, attempts: 1 });
    expect(run.sleeps).toEqual([]);
  });

  it('counts sleeps against the budget', async () => {
    const run = await runWith([new HttpError(503), new HttpError(503)], {
      budgetMs: 1_000,
      maxAttempts: 5,
      random: () => ALMOST_ONE,
      now: () => 0,
    });

    expect(run.outcome).toBeInstanceOf(RetryBudgetExceededError);
    expect(run.attempts).toHaveLength(2);
  });

  it('keeps the last error as cause', async () => {
    const error = new HttpError(429, 60_000);

    const run = await runWith([error], { budgetMs: 1_000 });

    expect((run.outcome as Error).cause).toBe(error);
  });

  it('uses a custom retryable check', async () => {
    const run = await runWith([new HttpError(400)], { isRetryable: () => true });

    expect(run.outcome).toBe('ok');
  });

  it('reports each retry', async () => {
    const retries: number[] = [];

    await runWith([new HttpError(503), new HttpError(503)], {
      onRetry: ({ attempt }) => retries.push(attempt),
    });

    expect(retries).toEqual([1, 2]);
  });

  it.each([
    ['maxAttempts', { maxAttempts: 0 }],
    ['baseDelayMs', { baseDelayMs: -1 }],
    ['maxDelayMs', { baseDelayMs: 1_000, maxDelayMs: 10 }],
    ['budgetMs', { budgetMs: Number.NaN }],
  ])('rejects invalid %s', async (_option, options) => {
    const run = await runWith([], options);

    expect(run.outcome).toBeInstanceOf(InvalidResilienceOptionError);
  });
});
