import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Update } from '@grammyjs/types';
import { type TestStack, useTestStack } from '../support/test-stack';

const CASES = path.resolve(__dirname, '..', '..', '..', 'shared', 'cases', 'inputs');

function deliveries(file: string): Update[] {
  const parsed = JSON.parse(readFileSync(path.join(CASES, file), 'utf8')) as {
    deliveries?: Update[];
  } & Update;
  return parsed.deliveries ?? [parsed];
}

function repliesTo(harness: TestStack, chatId: number) {
  return harness.fake.calls.filter(
    (call) => call.method === 'sendMessage' && String(call.params.chat_id) === String(chatId),
  );
}

/** Updates that broke other bots: each is accepted and handled as designed, and nothing is dead-lettered. */
describe('Telegram hard cases', () => {
  let harness: TestStack;
  useTestStack({}, (started) => {
    harness = started;
  });

  it('handles updates without message', async () => {
    const [edit, channelPost, kicked] = deliveries('TG-01.json');
    const callsBefore = harness.fake.calls.length;

    for (const update of [edit!, channelPost!, kicked!]) {
      expect((await harness.postUpdate(update)).status).toBe(200);
    }
    await harness.stack.settle();

    const fromEdit = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === 41,
    );
    expect(fromEdit).toHaveLength(1);
    expect(fromEdit[0]).toMatchObject({ amountMinor: 1850, currency: 'EUR' });
    const newCalls = harness.fake.calls.slice(callsBefore);
    expect(newCalls.some((call) => String(call.params.chat_id) === '-1001000000001')).toBe(false);
    expect(newCalls.some((call) => String(call.params.chat_id) === '11110002')).toBe(false);
  });

  it('answers a button without message', async () => {
    const [update] = deliveries('TG-02.json');

    expect((await harness.postUpdate(update!)).status).toBe(200);
    await harness.stack.settle();

    const answer = harness.fake.calls.find(
      (call) =>
        call.method === 'answerCallbackQuery' && call.params.callback_query_id === update!.callback_query!.id,
    );
    expect(answer).toBeDefined();
  });

  it('replies to every receipt shape', async () => {
    const updates = deliveries('TG-03.json');
    const before = repliesTo(harness, 11110001).length;

    for (const update of updates) {
      expect((await harness.postUpdate(update)).status).toBe(200);
    }
    await harness.stack.settle();

    // The photo and the document get a reply each, and the album's two photos one reply together.
    expect(repliesTo(harness, 11110001).length - before).toBe(3);
  });

  it('replies to voice, audio and video notes', async () => {
    const updates = deliveries('TG-04.json');
    const before = repliesTo(harness, 11110001).length;

    for (const update of updates) {
      expect((await harness.postUpdate(update)).status).toBe(200);
    }
    await harness.stack.settle();

    const replies = repliesTo(harness, 11110001).slice(before);
    expect(replies).toHaveLength(3);
    expect(String(replies[2]!.params.text)).toContain('voice message');
  });

  it('books a forwarded bank alert on its origin date', async () => {
    const [update] = deliveries('TG-05.json');

    expect((await harness.postUpdate(update!)).status).toBe(200);
    await harness.stack.settle();

    const stored = (await harness.transactions()).find((transaction) => transaction.source.messageId === 110);
    expect(stored).toMatchObject({ kind: 'expense', amountMinor: 2390, currency: 'EUR', date: '2024-06-03' });
  });

  it('parses an amount after emoji', async () => {
    const [update] = deliveries('TG-06.json');

    expect((await harness.postUpdate(update!)).status).toBe(200);
    await harness.stack.settle();

    const stored = (await harness.transactions()).find((transaction) => transaction.source.messageId === 120);
    expect(stored?.amountMinor).toBe(1240);
  });
});
