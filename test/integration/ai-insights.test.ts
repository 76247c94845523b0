import { OPENAI_FAILURES } from '../../infra/local/fake-openai/responses';
import { type ChatUser, callbackUpdate, textUpdate } from '../../infra/local/update-factory';
import { encodeAction } from '../../lib/processor/actions';
import { newUser, shown, transactionsOf } from '../processor/ai/chat-media';
import { type TestStack, useTestStack } from '../support/test-stack';

async function send(harness: TestStack, user: ChatUser, text: string): Promise<void> {
  await harness.postUpdate(textUpdate(text, { user }));
  await harness.stack.settle();
}

/** Chat completion requests that the fake OpenAI received after its first `from` requests. */
function chatRequestsSince(harness: TestStack, from: number) {
  return harness.ai!.openai.requests.slice(from).filter((request) => request.path === '/v1/chat/completions');
}

describe('AI summary in /stats', () => {
  let harness: TestStack;
  useTestStack({ ai: {}, environment: { AI_INSIGHTS: 'true' } }, (started) => {
    harness = started;
  });

  it('adds the summary after the user opts in', async () => {
    const user = newUser();
    await send(harness, user, 'spent 12.50 on lunch at Subway');
    await send(harness, user, '/settings insights on');
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '/stats');

    const stats = shown(harness, user).at(-1)!;
    expect(stats).toContain('Food &amp; Dining: 12.50 USD');
    expect(stats).toContain('🧠 Most of your spending this month went to Food &amp; Dining (12.50 USD).');
    const [request] = chatRequestsSince(harness, before);
    expect(request?.chat?.messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ content: expect.stringContaining('Food & Dining: 12.50 USD') }),
      ]),
    );
  });

  it('makes no second request on the same day', async () => {
    const user = newUser();
    await send(harness, user, 'spent 20 on groceries at Lidl');
    await send(harness, user, '/settings insights on');
    await send(harness, user, '/stats');
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '/stats');

    expect(harness.ai!.openai.requests.length).toBe(before);
    expect(shown(harness, user).at(-1)).toContain('🧠 Most of your spending');
  });

  it('leaves out users who did not opt in', async () => {
    const user = newUser();
    await send(harness, user, 'spent 12.50 on lunch at Subway');
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '/stats');

    expect(harness.ai!.openai.requests.length).toBe(before);
    expect(shown(harness, user).at(-1)).toContain('Spending by category');
    expect(shown(harness, user).at(-1)).not.toContain('🧠');
  });

  it('stops after the user opts out with the settings button', async () => {
    const user = newUser();
    await send(harness, user, 'spent 12.50 on lunch at Subway');
    await send(harness, user, '/settings insights on');
    await harness.postUpdate(
      callbackUpdate(encodeAction({ type: 'set-insights', enabled: false }), 1, { user }),
    );
    await harness.stack.settle();
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '/stats');

    expect(
      (await harness.users()).find((stored) => stored.identities.includes(`telegram:${user.id}`)),
    ).toMatchObject({
      aiInsights: false,
    });
    expect(harness.ai!.openai.requests.length).toBe(before);
    expect(shown(harness, user).at(-1)).not.toContain('🧠');
  });

  it('answers /stats without the summary when OpenAI fails', async () => {
    const user = newUser();
    await send(harness, user, 'spent 12.50 on lunch at Subway');
    await send(harness, user, '/settings insights on');
    harness.ai!.openai.respondNext(OPENAI_FAILURES.serverError, 5);
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '/stats');

    expect(harness.ai!.openai.requests.length).toBeGreaterThan(before);
    const stats = shown(harness, user).at(-1)!;
    expect(stats).toContain('Total: <b>12.50 USD</b>');
    expect(stats).not.toContain('🧠');
    expect(harness.metricPoints).toContainEqual(
      expect.objectContaining({
        name: 'AiFallbacks',
        dimensions: expect.objectContaining({ operation: 'insights' }),
      }),
    );
    harness.ai!.openai.reset();
  });
});

describe('Drafts stored while OpenAI was unavailable', () => {
  let harness: TestStack;
  useTestStack({ ai: {} }, (started) => {
    harness = started;
  });

  it('stores the message text on the draft', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext(OPENAI_FAILURES.insufficientQuota);

    await send(harness, user, 'paid 18 at Moonbeam');

    expect(await transactionsOf(harness, user)).toEqual([
      expect.objectContaining({
        amountMinor: 1800,
        status: 'pending',
        needsAiReview: true,
        reviewText: 'paid 18 at Moonbeam',
      }),
    ]);
  });

  it('re-checks the draft after a later AI answer', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext(OPENAI_FAILURES.insufficientQuota);
    await send(harness, user, 'paid 18 at Moonbeam');
    const [draft] = await transactionsOf(harness, user);
    expect(draft?.category).toBeUndefined();
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '30 at the blue door thing');

    const rechecked = (await transactionsOf(harness, user)).find(
      (transaction) => transaction.transactionId === draft!.transactionId,
    );
    expect(rechecked).toMatchObject({
      amountMinor: 1800,
      status: 'pending',
      category: 'Shopping',
      merchant: 'Moonbeam',
    });
    expect(rechecked?.needsAiReview).toBeUndefined();
    expect(rechecked?.reviewText).toBeUndefined();
    expect(chatRequestsSince(harness, before)).toHaveLength(2);
    expect(shown(harness, user).at(-1)).toContain('I read your earlier message again');
  });

  it('re-checks a draft only once', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext(OPENAI_FAILURES.insufficientQuota);
    await send(harness, user, 'paid 18 at Moonbeam');
    await send(harness, user, '30 at the blue door thing');
    const before = harness.ai!.openai.requests.length;

    await send(harness, user, '14 bucks stuff');

    expect(chatRequestsSince(harness, before)).toHaveLength(1);
  });
});
