import { callbackUpdate, textUpdate } from '../../../infra/local/update-factory';
import { costOf } from '../../../lib/ai/pricing';
import { METRICS } from '../../../lib/observability/metric-names';
import { encodeAction } from '../../../lib/processor/actions';
import { type TestStack, useTestStack } from '../../support/test-stack';
import { chatRequests, expenseAnswer, lastBotMessageId, newUser, transactionsOf } from './chat-media';

/** The system prompt of a recorded chat request. */
function systemPromptOf(request: ReturnType<typeof chatRequests>[number]): string {
  const messages = (request.chat?.messages ?? []) as { role: string; content: string }[];

  return messages.find((message) => message.role === 'system')?.content ?? '';
}

describe('processor AI with corrections and cost metrics', () => {
  let harness: TestStack;
  useTestStack({ ai: {} }, (started) => {
    harness = started;
  });

  it('sends a category correction in the next prompt', async () => {
    const user = newUser();
    const correction = JSON.stringify(['Quillfeather', 'Entertainment']);
    harness.ai!.openai.respondNext({ content: expenseAnswer('Quillfeather', '23.90', 'Shopping') });
    await harness.postUpdate(textUpdate('paid 23.90 at Quillfeather', { user }));
    await harness.stack.settle();
    const [first] = await transactionsOf(harness, user);
    expect(first).toMatchObject({ merchant: 'Quillfeather', category: 'Shopping' });
    expect(systemPromptOf(chatRequests(harness).at(-1)!)).not.toContain(correction);

    const data = encodeAction({
      type: 'set-category',
      transactionId: first!.transactionId,
      category: 'Entertainment',
    });
    await harness.postUpdate(callbackUpdate(data, lastBotMessageId(harness, user), { user }));
    await harness.stack.settle();
    const requestsBefore = chatRequests(harness).length;
    await harness.postUpdate(textUpdate('spent 11.00 at Quillfeather', { user }));
    await harness.stack.settle();

    const requests = chatRequests(harness).slice(requestsBefore);
    expect(requests).toHaveLength(1);
    expect(systemPromptOf(requests[0]!)).toContain(correction);
    expect(
      (await transactionsOf(harness, user)).find((transaction) => transaction.amountMinor === 2390),
    ).toMatchObject({ category: 'Entertainment' });
  });

  it('records an invocation cost of 0 for a plain message', async () => {
    const user = newUser();
    const requestsBefore = chatRequests(harness).length;
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(textUpdate('spent 12.50 on lunch at Subway', { user }));
    await harness.stack.settle();

    expect(chatRequests(harness).length).toBe(requestsBefore);
    const invocationCosts = harness.metricPoints
      .slice(metricsBefore)
      .filter((point) => point.name === METRICS.aiInvocationCostUsd);
    expect(invocationCosts).toEqual([
      { name: METRICS.aiInvocationCostUsd, dimensions: {}, value: 0, unit: 'None' },
    ]);
  });

  it('records the invocation cost of an OpenAI call', async () => {
    const user = newUser();
    const usage = { promptTokens: 1_200, completionTokens: 80 };
    harness.ai!.openai.respondNext({ content: expenseAnswer('Blue Door', '30.00', 'Entertainment'), usage });
    const metricsBefore = harness.metricPoints.length;

    await harness.postUpdate(textUpdate('30 at the blue door thing', { user }));
    await harness.stack.settle();

    const expected = costOf({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      operation: 'categorize',
      inputTokens: usage.promptTokens,
      outputTokens: usage.completionTokens,
    }).toNumber();
    const invocationCosts = harness.metricPoints
      .slice(metricsBefore)
      .filter((point) => point.name === METRICS.aiInvocationCostUsd)
      .map((point) => point.value);
    expect(invocationCosts).toHaveLength(1);
    expect(invocationCosts[0]).toBeCloseTo(expected, 12);
    expect(invocationCosts[0]).toBeGreaterThan(0);
  });
});
