import { textUpdate } from '../../infra/local/update-factory';
import { costOf } from '../../lib/ai/pricing';
import { METRICS } from '../../lib/observability/metric-names';
import { newUser, photoUpdate, shown, transactionsOf, voiceUpdate } from '../processor/ai/chat-media';
import { startTestStack, type TestStack, useTestStack } from '../support/test-stack';

describe('AI on the local stack: fake OpenAI, Whisper and Vision', () => {
  let harness: TestStack;
  useTestStack({ ai: {} }, (started) => {
    harness = started;
  });

  it('answers a confident message without asking OpenAI', async () => {
    const user = newUser();
    const before = harness.ai!.openai.requests.length;

    await harness.postUpdate(textUpdate('spent 12.50 on lunch at Subway', { user }));
    await harness.stack.settle();

    expect(harness.ai!.openai.requests.length).toBe(before);
    expect(await transactionsOf(harness, user)).toEqual([expect.objectContaining({ amountMinor: 1250 })]);
  });

  it('asks OpenAI about an unsure message and stores its validated answer', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext({
      content: JSON.stringify({
        is_transaction: true,
        kind: 'expense',
        amount: '30.00',
        currency: 'USD',
        date: null,
        merchant: 'Blue Door',
        category: 'Entertainment',
        description: 'tickets at Blue Door',
      }),
      usage: { promptTokens: 1_000, completionTokens: 100 },
    });
    const before = harness.metricPoints.length;

    await harness.postUpdate(textUpdate('30 at the blue door thing', { user }));
    await harness.stack.settle();

    const [transaction] = await transactionsOf(harness, user);
    expect(transaction).toMatchObject({
      amountMinor: 3000,
      currency: 'USD',
      category: 'Entertainment',
      status: 'saved',
    });
    const cost = harness.metricPoints
      .slice(before)
      .find((point) => point.name === METRICS.aiCostUsd && point.dimensions.operation === 'categorize');
    const expected = costOf({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      operation: 'categorize',
      inputTokens: 1_000,
      outputTokens: 100,
    });
    expect(cost?.value).toBeCloseTo(expected.toNumber(), 12);
    expect(cost?.dimensions).toEqual({ provider: 'openai', model: 'gpt-4.1-mini', operation: 'categorize' });
  });

  it('keeps the local parse when OpenAI invents an amount', async () => {
    const user = newUser();
    harness.ai!.openai.respondNext({
      content: JSON.stringify({
        is_transaction: true,
        kind: 'expense',
        amount: '9999.00',
        currency: 'USD',
        date: null,
        merchant: null,
        category: 'Shopping',
        description: 'stuff',
      }),
    });

    await harness.postUpdate(textUpdate('30 at the blue door thing', { user }));
    await harness.stack.settle();

    const stored = await transactionsOf(harness, user);
    expect(stored.map((transaction) => transaction.amountMinor)).not.toContain(999_900);
  });

  it('turns a real voice note into a transaction through Whisper, editing the processing message', async () => {
    const user = newUser();

    await harness.postUpdate(voiceUpdate(harness, user, 'lunch-subway.ogg'));
    await harness.stack.settle();

    expect(await transactionsOf(harness, user)).toEqual([
      expect.objectContaining({ amountMinor: 1250, currency: 'USD', kind: 'expense' }),
    ]);
    const texts = shown(harness, user);
    expect(texts[0]).toContain('Processing your voice message');
    expect(texts.at(-1)).toContain('I heard');
  });

  it('reads a receipt photo into a draft with the right total through Vision', async () => {
    const user = newUser();

    await harness.postUpdate(photoUpdate(harness, user, 'diner'));
    await harness.stack.settle();

    const [draft] = await transactionsOf(harness, user);
    expect(draft).toMatchObject({ amountMinor: 1952, status: 'pending' });
    expect(draft!.receipt).toMatchObject({
      mimeType: 'image/png',
      key: expect.stringMatching(/^receipts\//),
    });
    expect(harness.ai!.vision!.calls.length).toBeGreaterThan(0);
    expect(shown(harness, user)[0]).toContain('Processing your receipt');
  });
});

describe('AI on the local stack: Amazon Transcribe and offline OCR', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({ ai: { transcriber: 'transcribe', vision: false } });
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  it('turns a real voice note into a transaction through Amazon Transcribe', async () => {
    const user = newUser();

    await harness.postUpdate(voiceUpdate(harness, user, 'gas-42-dollars.ogg'));
    await harness.stack.settle(60_000);

    expect(await transactionsOf(harness, user)).toEqual([
      expect.objectContaining({ amountMinor: 4200, currency: 'USD' }),
    ]);
  }, 90_000);

  it('reads a receipt photo offline with tesseract.js', async () => {
    const user = newUser();

    await harness.postUpdate(photoUpdate(harness, user, 'pharmacy'));
    await harness.stack.settle(60_000);

    expect(await transactionsOf(harness, user)).toEqual([
      expect.objectContaining({ amountMinor: 1047, status: 'pending' }),
    ]);
  }, 90_000);
});
