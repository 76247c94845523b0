import { OPENAI_FAILURES } from '../../infra/local/fake-openai/responses';
import { OpenAiClient } from '../../lib/ai/openai/client';
import {
  OpenAiAuthenticationError,
  OpenAiQuotaExceededError,
  OpenAiRateLimitError,
  OpenAiRequestError,
  OpenAiUnavailableError,
  rateLimitWaitMs,
} from '../../lib/ai/openai/errors';
import { CircuitOpenError } from '../../lib/resilience/errors';
import { type OpenAiHarness, startOpenAiHarness } from './openai-harness';

const REQUEST = {
  model: 'gpt-4.1-mini',
  max_completion_tokens: 50,
  messages: [{ role: 'user' as const, content: 'Say hello.' }],
};
const CALL = { budgetMs: 60_000, operation: 'test' };

describe('OpenAiClient errors through the resilience layer', () => {
  let harness: OpenAiHarness;

  beforeAll(async () => {
    // A short client timeout keeps the timeout case fast.
    harness = await startOpenAiHarness('openai-errors', { timeoutMs: 300 });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  beforeEach(() => {
    harness.fake.reset();
    harness.sleeps.length = 0;
  });

  it('waits for Retry-After on rate_limit_exceeded, then succeeds', async () => {
    harness.fake.respondNext(OPENAI_FAILURES.rateLimited);

    const completion = await harness.client.chat(REQUEST, CALL);

    expect(completion.choices[0]?.message.content).toBe('No spending recorded this month yet.');
    expect(harness.fake.requests.map((request) => request.status)).toEqual([429, 200]);
    // retry-after-ms is empty, so Retry-After (20 s) wins over the 6m0s and 76ms reset headers.
    expect(harness.sleeps).toEqual([20_000]);
  });

  it('defers instead of sleeping when the rate-limit wait exceeds the budget', async () => {
    harness.fake.respondNext(OPENAI_FAILURES.rateLimited);

    const failure = harness.client.chat(REQUEST, { ...CALL, budgetMs: 5_000 });

    await expect(failure).rejects.toMatchObject({ name: 'RetryBudgetExceededError', waitMs: 20_000 });
    expect(harness.fake.requests).toHaveLength(1);
    expect(harness.sleeps).toEqual([]);
  });

  it('retries 503 with a jittered backoff, then succeeds', async () => {
    harness.fake.respondNext(OPENAI_FAILURES.overloaded, 2);

    await harness.client.chat(REQUEST, CALL);

    expect(harness.fake.requests.map((request) => request.status)).toEqual([503, 503, 200]);
    expect(harness.sleeps).toHaveLength(2);
    // Full jitter: each delay lies in [0, 1 s] and then [0, 2 s].
    expect(harness.sleeps[0]).toBeLessThanOrEqual(1_000);
    expect(harness.sleeps[1]).toBeLessThanOrEqual(2_000);
  });

  it('retries a timeout and reports OpenAiUnavailableError when attempts run out', async () => {
    harness.fake.respondNext(OPENAI_FAILURES.timeout, 3);

    const failure = harness.client.chat(REQUEST, CALL);

    await expect(failure).rejects.toBeInstanceOf(OpenAiUnavailableError);
    await expect(failure).rejects.toMatchObject({ reason: 'timeout' });
    expect(harness.fake.requests).toHaveLength(3);
  });

  it('rejects a wrong key without retry or key leak', async () => {
    const wrongKey = 'sk-wrong-key-for-this-test-9876';
    const client = new OpenAiClient({
      apiKey: wrongKey,
      baseURL: harness.fake.baseURL,
      timeoutMs: 2_000,
      caller: harness.caller,
    });

    const failure = client.chat(REQUEST, CALL);

    await expect(failure).rejects.toBeInstanceOf(OpenAiAuthenticationError);
    const error = (await failure.catch((caught: unknown) => caught)) as Error;
    expect(error.message).not.toContain('9876');
    expect(JSON.stringify(error)).not.toContain(wrongKey);
    expect(harness.fake.requests.map((request) => request.status)).toEqual([401]);
  });

  it('rejects an invalid request as a caller error without retrying', async () => {
    const failure = harness.client.chat({ ...REQUEST, model: '' }, CALL);

    await expect(failure).rejects.toBeInstanceOf(OpenAiRequestError);
    await expect(failure).rejects.toMatchObject({ status: 400, param: 'model' });
    expect(harness.fake.requests).toHaveLength(1);
  });
});

describe('OpenAiClient on insufficient_quota', () => {
  let harness: OpenAiHarness;

  beforeAll(async () => {
    // Tables of its own, because this case leaves the circuit of `openai` open; it opens after 3 failures.
    harness = await startOpenAiHarness('openai-quota', { breakerSettings: { failureThreshold: 3 } });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('never retries insufficient_quota and opens the breaker after its threshold', async () => {
    harness.fake.respondNext(OPENAI_FAILURES.insufficientQuota, 3);

    for (let call = 1; call <= 3; call += 1) {
      await expect(harness.client.chat(REQUEST, CALL)).rejects.toBeInstanceOf(OpenAiQuotaExceededError);
      expect(harness.fake.requests).toHaveLength(call);
    }
    expect(harness.sleeps).toEqual([]);

    await expect(harness.client.chat(REQUEST, CALL)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(harness.fake.requests).toHaveLength(3);
  });
});

describe('rateLimitWaitMs', () => {
  const NOW_MS = Date.UTC(2025, 2, 14, 12, 0, 0);

  it('prefers a valid retry-after-ms', () => {
    const headers = new Headers({ 'retry-after-ms': '1500', 'retry-after': '20' });

    expect(rateLimitWaitMs(headers, 'requests', NOW_MS)).toBe(1_500);
  });

  it('reads Retry-After as an HTTP date', () => {
    const headers = new Headers({ 'retry-after': 'Fri, 14 Mar 2025 12:00:30 GMT' });

    expect(rateLimitWaitMs(headers, 'requests', NOW_MS)).toBe(30_000);
  });

  it('falls back to the reset header of the exhausted limit', () => {
    const headers = new Headers({ 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '76ms' });

    expect(rateLimitWaitMs(headers, 'requests', NOW_MS)).toBe(360_000);
    expect(rateLimitWaitMs(headers, 'tokens', NOW_MS)).toBe(76);
    expect(rateLimitWaitMs(headers, undefined, NOW_MS)).toBe(360_000);
  });

  it('returns undefined without usable headers', () => {
    expect(rateLimitWaitMs(new Headers({ 'retry-after-ms': '' }), 'requests', NOW_MS)).toBeUndefined();
  });

  it('keeps the rate-limit error retryable with the computed wait', () => {
    const error = new OpenAiRateLimitError(20_000, undefined);

    expect(error).toMatchObject({ status: 429, retryAfterMs: 20_000 });
  });
});
