import { textUpdate } from '../../../infra/local/update-factory';
import { costOf } from '../../../lib/ai/pricing';
import { en } from '../../../lib/messages/en';
import { startTestStack, type TestStack, useTestStack } from '../../support/test-stack';
import {
  chatRequests,
  expenseAnswer,
  fallbacksSince,
  newUser,
  photoUpdate,
  shown,
  transactionsOf,
} from './chat-media';

/**
 * Daily budget of the first stack, in US dollars: room for one categorize call (estimated at 900 input and
 * 120 output tokens of gpt-4.1-mini, $0.000552) and for one Vision image ($0.0015), but not for either
 * after a call of {@link FIRST_CALL_USAGE}.
 */
const DAILY_BUDGET_USD = '0.002';
/** Usage of the first OpenAI call, which costs $0.00156 at gpt-4.1-mini's list price. */
const FIRST_CALL_USAGE = { promptTokens: 3_500, completionTokens: 100 };

describe('processor with a daily AI budget', () => {
  let harness: TestStack;
  useTestStack({ ai: {}, environment: { AI_DAILY_BUDGET_USD: DAILY_BUDGET_USD } }, (started) => {
    harness = started;
  });

  it('stops asking OpenAI once the budget is spent', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext({
      content: expenseAnswer('Quillfeather', '23.90', 'Shopping'),
      usage: FIRST_CALL_USAGE,
    });
    const firstCost = costOf({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      operation: 'categorize',
      inputTokens: FIRST_CALL_USAGE.promptTokens,
      outputTokens: FIRST_CALL_USAGE.completionTokens,
    });
    expect(firstCost.lessThan(DAILY_BUDGET_USD)).toBe(true);
    const requestsBefore = chatRequests(harness).length;

    await harness.postUpdate(textUpdate('paid 23.90 at Quillfeather', { user }));
    await harness.stack.settle();
    const metricsBefore = harness.metricPoints.length;
    await harness.postUpdate(textUpdate('spent 7.10 at Marlow Hub', { user }));
    await harness.stack.settle();

    expect(chatRequests(harness).length - requestsBefore).toBe(1);
    expect(fallbacksSince(harness, metricsBefore)).toEqual(['categorize/budget']);
    const second = (await transactionsOf(harness, user)).find(
      (transaction) => transaction.amountMinor === 710,
    );
    // The local parse answers; the budget is no outage, so the draft is not marked for review.
    expect(second).toMatchObject({ merchant: 'Marlow Hub', status: 'pending' });
    expect(second?.needsAiReview).toBeUndefined();
  });

  it('reads a receipt offline once the budget is spent', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext({
      content: expenseAnswer('Quillfeather', '23.90', 'Shopping'),
      usage: FIRST_CALL_USAGE,
    });
    await harness.postUpdate(textUpdate('paid 23.90 at Quillfeather', { user }));
    await harness.stack.settle();
    const visionCallsBefore = harness.ai!.vision!.calls.length;
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(photoUpdate(harness, user, 'pharmacy'));
    await harness.stack.settle(60_000);

    expect(harness.ai!.vision!.calls.length).toBe(visionCallsBefore);
    expect(fallbacksSince(harness, metricsBefore)).toEqual(['ocr/budget']);
    expect(await transactionsOf(harness, user)).toContainEqual(
      expect.objectContaining({ amountMinor: 1047, status: 'pending' }),
    );
  }, 90_000);
});

describe('processor with no AI budget and offline OCR off', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({
      ai: {},
      environment: { AI_DAILY_BUDGET_USD: '0', OCR_OFFLINE: 'false' },
    });
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  it('replies that the receipt allowance is used', async () => {
    const user = newUser();
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(photoUpdate(harness, user, 'diner'));
    await harness.stack.settle();

    expect(harness.ai!.vision!.calls).toHaveLength(0);
    expect(shown(harness, user).at(-1)).toBe(en.receiptBudgetSpent());
    expect(fallbacksSince(harness, metricsBefore)).toEqual(['ocr/budget']);
    expect(await transactionsOf(harness, user)).toEqual([]);
  });
});
