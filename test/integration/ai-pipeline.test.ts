import type { Update } from '@grammyjs/types';
import { type ChatUser, newUpdateId, textUpdate } from '../../infra/local/update-factory';
import { costOf } from '../../lib/ai/pricing';
import { METRICS } from '../../lib/observability/metric-names';
import { type ReceiptImageName, receiptImage } from '../fixtures/receipts/images/receipt-images';
import { loadVoiceFixtures } from '../fixtures/voice/voice-fixtures';
import { startTestStack, type TestStack } from '../support/test-stack';

let nextMessageId = 50_000;
let nextUser = 12_340_000;

function newUser(): ChatUser {
  nextUser += 1;
  return { id: nextUser, firstName: 'Iris', languageCode: 'en' };
}

function mediaUpdate(user: ChatUser, media: Record<string, unknown>): Update {
  nextMessageId += 1;
  return {
    update_id: newUpdateId(),
    message: {
      message_id: nextMessageId,
      from: { id: user.id, is_bot: false, first_name: user.firstName, language_code: user.languageCode },
      chat: { id: user.id, type: 'private', first_name: user.firstName },
      date: Math.floor(Date.now() / 1_000),
      ...media,
    },
  } as unknown as Update;
}

function voiceUpdate(harness: TestStack, user: ChatUser, file: string): Update {
  const fixture = loadVoiceFixtures().find((entry) => entry.file === file)!;
  const stored = harness.fake.addFile({ bytes: Buffer.from(fixture.bytes), fileName: `voice/${file}` });
  return mediaUpdate(user, {
    voice: {
      file_id: stored.file_id,
      file_unique_id: `u-${stored.file_id}`,
      duration: Math.ceil(fixture.durationSeconds),
      mime_type: 'audio/ogg',
      file_size: fixture.bytes.byteLength,
    },
  });
}

function photoUpdate(harness: TestStack, user: ChatUser, name: ReceiptImageName): Update {
  const image = receiptImage(name);
  const stored = harness.fake.addFile({ bytes: Buffer.from(image.bytes), fileName: `photos/${name}.jpg` });
  return mediaUpdate(user, {
    photo: [
      {
        file_id: stored.file_id,
        file_unique_id: `u-${name}`,
        width: 800,
        height: 1200,
        file_size: image.bytes.byteLength,
      },
    ],
  });
}

/** Texts the bot sent or edited in the user's chat, in order. */
function shown(harness: TestStack, user: ChatUser): string[] {
  return harness.fake.calls
    .filter(
      (call) =>
        (call.method === 'sendMessage' || call.method === 'editMessageText') &&
        String(call.params.chat_id) === String(user.id),
    )
    .map((call) => String(call.params.text));
}

async function transactionsOf(harness: TestStack, user: ChatUser) {
  return (await harness.transactions()).filter(
    (transaction) => transaction.source.chatId === String(user.id),
  );
}

describe('AI on the local stack: fake OpenAI, Whisper and Vision', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({ ai: {} });
  }, 60_000);

  afterAll(async () => {
    await harness.stop();
  });

  afterEach(async () => {
    expect(await harness.stack.deadLetterCount()).toBe(0);
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
