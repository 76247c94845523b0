import { OPENAI_FAILURES } from '../../../infra/local/fake-openai/responses';
import { textUpdate } from '../../../infra/local/update-factory';
import { RESILIENCE_LIMITS } from '../../../lib/resilience/limits';
import { startTestStack, type TestStack } from '../../support/test-stack';
import { chatRequests, fallbacksSince, newUser, transactionsOf } from './chat-media';

/** A message that the local parser reads with an unknown category, so the processor asks OpenAI. */
const UNSURE_TEXT = 'paid 23.90 at Quillfeather';

describe('processor when OpenAI is unavailable', () => {
  let harness: TestStack;

  beforeAll(async () => {
    // Two failures open the breaker, so the breaker test needs few scripted failures.
    harness = await startTestStack({ ai: {}, breakerSettings: { failureThreshold: 2, openMs: 60_000 } });
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  afterEach(async () => {
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });

  it('stores a draft for review when the quota is exhausted', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext(OPENAI_FAILURES.insufficientQuota);
    const requestsBefore = chatRequests(harness).length;
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(textUpdate(UNSURE_TEXT, { user }));
    await harness.stack.settle();

    expect(await transactionsOf(harness, user)).toEqual([
      expect.objectContaining({
        amountMinor: 2390,
        merchant: 'Quillfeather',
        status: 'pending',
        needsAiReview: true,
      }),
    ]);
    expect(fallbacksSince(harness, metricsBefore)).toEqual(['categorize/quota']);
    // A quota error is not retried: one request, and no redelivery of the record.
    expect(chatRequests(harness).length - requestsBefore).toBe(1);
  });

  it('stops asking OpenAI once the breaker is open', async () => {
    const user = newUser();
    const failures = RESILIENCE_LIMITS.retry.maxAttempts + 2;
    harness.ai!.openai.respondNext(OPENAI_FAILURES.overloaded, failures);
    const requestsBefore = chatRequests(harness).length;
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(textUpdate(UNSURE_TEXT, { user }));
    await harness.stack.settle();
    const requestsOfFirst = chatRequests(harness).length - requestsBefore;
    // Past the breaker's cache of a closed state, so the next call reads the open state.
    await new Promise((resolve) => setTimeout(resolve, RESILIENCE_LIMITS.circuitBreaker.closedCacheMs + 100));
    await harness.postUpdate(textUpdate('spent 7.10 at Quillfeather', { user }));
    await harness.stack.settle();

    expect(requestsOfFirst).toBeGreaterThanOrEqual(1);
    expect(requestsOfFirst).toBeLessThanOrEqual(RESILIENCE_LIMITS.retry.maxAttempts);
    expect(chatRequests(harness).length - requestsBefore).toBe(requestsOfFirst);
    const fallbacks = fallbacksSince(harness, metricsBefore);
    expect(fallbacks).toHaveLength(2);
    expect(fallbacks[1]).toBe('categorize/breaker-open');
    const stored = await transactionsOf(harness, user);
    expect(stored.map((transaction) => transaction.amountMinor).sort()).toEqual([2390, 710]);
    for (const transaction of stored) {
      expect(transaction).toMatchObject({ status: 'pending', needsAiReview: true });
    }
    harness.ai!.openai.reset();
  }, 60_000);
});
