import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { createLocalSqsClient } from '../../infra/local/sqs-client';
import { ANA, callbackUpdate, editedUpdate, newUpdateId, textUpdate } from '../../infra/local/update-factory';
import { type InboundEnvelope, serializeEnvelope } from '../../lib/inbound/envelope';
import { redriveDeadLetters } from '../../lib/operations/redrive';
import { startTestStack, type TestStack } from '../support/test-stack';

const CHAT = ANA.id;

function sentTo(harness: TestStack, chatId = CHAT) {
  return harness.fake.calls.filter(
    (call) =>
      call.method === 'sendMessage' &&
      String(call.params.chat_id) === String(chatId) &&
      typeof call.response === 'object' &&
      call.response.status === 200,
  );
}

function lastBotMessage(harness: TestStack, chatId = CHAT) {
  const messages = harness.fake.messages(chatId);
  return messages[messages.length - 1];
}

function buttonData(harness: TestStack, messageId: number): string[] {
  const message = harness.fake.messages(CHAT).find((candidate) => candidate.messageId === messageId);
  return (message?.replyMarkup?.inline_keyboard ?? [])
    .flat()
    .map((button) => (button as { callback_data: string }).callback_data);
}

describe('Telegram pipeline', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('stores an expense and replies', async () => {
    const update = textUpdate('spent 12.50 on lunch at Subway');

    const response = await harness.postUpdate(update);
    await harness.stack.settle();

    expect(response.status).toBe(200);
    const stored = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'expense',
      amountMinor: 1250,
      currency: 'USD',
      merchant: 'Subway',
      status: 'saved',
    });
    expect(stored[0]!.category).toBe('Food & Dining');
    const reply = lastBotMessage(harness);
    expect(reply?.text).toContain('12.50 USD');
    expect(reply?.replyMarkup?.inline_keyboard.flat().map((button) => button.text)).toEqual([
      '✅ Confirm',
      '✏️ Edit',
      '🗑️ Delete',
      '🏷️ Change category',
    ]);
  });

  it('keeps callback data within 64 bytes', async () => {
    await harness.postUpdate(textUpdate('taxi 18.40 to the airport'));
    await harness.stack.settle();

    const reply = lastBotMessage(harness)!;
    await harness.postUpdate(callbackUpdate(buttonData(harness, reply.messageId!)[3]!, reply.messageId!));
    await harness.stack.settle();

    const categoryKeyboard = buttonData(harness, reply.messageId!);
    expect(categoryKeyboard.length).toBe(16);
    for (const data of categoryKeyboard) {
      expect(Buffer.byteLength(data, 'utf8')).toBeLessThanOrEqual(64);
    }
  });

  it('processes five deliveries of one update once', async () => {
    const update = textUpdate('coffee 3.20 at Starbucks');
    const repliesBefore = sentTo(harness).length;

    await Promise.all([harness.postUpdate(update), harness.postUpdate(update), harness.postUpdate(update)]);
    await harness.postUpdate(update);
    await harness.stack.settle();
    // Past FIFO's 5-minute deduplication window SQS accepts the same update again: simulate it with a new
    // deduplication id, so only the processor's own claim can stop the second transaction.
    const envelope: InboundEnvelope = {
      version: 1,
      channel: 'telegram',
      updateId: update.update_id,
      receivedAtEpochMs: Date.now(),
      update,
    };
    const sqs = createLocalSqsClient();
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: harness.stack.resources.inboundQueueUrl,
        MessageBody: serializeEnvelope(envelope),
        MessageGroupId: String(CHAT),
        MessageDeduplicationId: `${update.update_id}-after-window`,
      }),
    );
    sqs.destroy();
    await harness.stack.settle();

    const stored = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored).toHaveLength(1);
    expect(sentTo(harness).length - repliesBefore).toBe(1);
  });

  it('confirms a transaction from its button', async () => {
    const update = textUpdate('groceries 45.10 at Lidl');
    await harness.postUpdate(update);
    await harness.stack.settle();
    const reply = lastBotMessage(harness)!;

    await harness.postUpdate(callbackUpdate(buttonData(harness, reply.messageId!)[0]!, reply.messageId!));
    await harness.stack.settle();

    const stored = (await harness.transactions()).find(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored?.status).toBe('confirmed');
    const shown = harness.fake.messages(CHAT).find((message) => message.messageId === reply.messageId);
    expect(shown?.text).toContain('Confirmed');
    const answered = harness.fake.calls.filter((call) => call.method === 'answerCallbackQuery');
    expect(answered.length).toBeGreaterThan(0);
  });

  it('deletes a transaction from its button', async () => {
    const update = textUpdate('cinema 11 tickets');
    await harness.postUpdate(update);
    await harness.stack.settle();
    const reply = lastBotMessage(harness)!;

    await harness.postUpdate(callbackUpdate(buttonData(harness, reply.messageId!)[2]!, reply.messageId!));
    await harness.stack.settle();

    const stored = (await harness.transactions()).find(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored).toBeUndefined();
    const shown = harness.fake.messages(CHAT).find((message) => message.messageId === reply.messageId);
    expect(shown?.text).toContain('Deleted');
  });

  it('applies a correction after Edit', async () => {
    const update = textUpdate('pharmacy 9.99 at Boots');
    await harness.postUpdate(update);
    await harness.stack.settle();
    const reply = lastBotMessage(harness)!;
    const descriptionBefore = (await harness.transactions()).find(
      (transaction) => transaction.merchant === 'Boots',
    )!.description;

    await harness.postUpdate(callbackUpdate(buttonData(harness, reply.messageId!)[1]!, reply.messageId!));
    await harness.stack.settle();
    await harness.postUpdate(textUpdate('19.99'));
    await harness.stack.settle();

    const stored = (await harness.transactions()).filter((transaction) => transaction.merchant === 'Boots');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.amountMinor).toBe(1999);
    expect(stored[0]!.description).toBe(descriptionBefore);
  });

  it('changes the category from the keyboard', async () => {
    const update = textUpdate('books 25 at Waterstones');
    await harness.postUpdate(update);
    await harness.stack.settle();
    const reply = lastBotMessage(harness)!;

    await harness.postUpdate(callbackUpdate(buttonData(harness, reply.messageId!)[3]!, reply.messageId!));
    await harness.stack.settle();
    const education = buttonData(harness, reply.messageId!).find((data) => data.startsWith('cat:edu:'))!;
    await harness.postUpdate(callbackUpdate(education, reply.messageId!));
    await harness.stack.settle();

    const stored = (await harness.transactions()).find(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored?.category).toBe('Education');
  });

  it('updates the transaction of an edited message', async () => {
    const update = textUpdate('dinner 30 at Nandos');
    await harness.postUpdate(update);
    await harness.stack.settle();

    await harness.postUpdate(editedUpdate('dinner 35 at Nandos', update.message!.message_id));
    await harness.stack.settle();

    const stored = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.amountMinor).toBe(3500);
  });

  it('answers a button on an inline message', async () => {
    const update = {
      update_id: newUpdateId(),
      callback_query: {
        id: 'inline-query-1',
        from: { id: CHAT, is_bot: false, first_name: 'Ana' },
        inline_message_id: 'AAAAAFakeInlineMsgId0001',
        chat_instance: '-1',
        data: 'cat:food:tx_8f2c',
      },
    };

    const response = await harness.postUpdate(update as never);
    await harness.stack.settle();

    expect(response.status).toBe(200);
    const answer = harness.fake.calls.find(
      (call) => call.method === 'answerCallbackQuery' && call.params.callback_query_id === 'inline-query-1',
    );
    expect(answer).toBeDefined();
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });

  it('marks a user who blocked the bot inactive', async () => {
    const user = { id: 11110002, firstName: 'Ben' };
    await harness.postUpdate(textUpdate('/start', { user }));
    await harness.stack.settle();

    await harness.postUpdate({
      update_id: newUpdateId(),
      my_chat_member: {
        chat: { id: user.id, type: 'private', first_name: 'Ben' },
        from: { id: user.id, is_bot: false, first_name: 'Ben' },
        date: Math.floor(Date.now() / 1_000),
        old_chat_member: { user: { id: 1, is_bot: true, first_name: 'Financy' }, status: 'member' },
        new_chat_member: {
          user: { id: 1, is_bot: true, first_name: 'Financy' },
          status: 'kicked',
          until_date: 0,
        },
      },
    } as never);
    await harness.stack.settle();

    const ben = (await harness.users()).find((candidate) =>
      candidate.identities.includes(`telegram:${user.id}`),
    );
    expect(ben?.status).toBe('inactive');
  });

  it('marks the user inactive on 403 without dead-lettering', async () => {
    const user = { id: 11110003, firstName: 'Cleo' };
    harness.fake.blockChat(user.id);

    await harness.postUpdate(textUpdate('lunch 10', { user }));
    await harness.stack.settle();

    const cleo = (await harness.users()).find((candidate) =>
      candidate.identities.includes(`telegram:${user.id}`),
    );
    expect(cleo?.status).toBe('inactive');
    expect(await harness.stack.deadLetterCount()).toBe(0);
  });

  it('ignores a channel post without replying', async () => {
    const before = harness.fake.calls.length;
    const response = await harness.postUpdate({
      update_id: newUpdateId(),
      channel_post: {
        message_id: 7,
        sender_chat: { id: -1001000000001, title: 'Family budget', type: 'channel' },
        chat: { id: -1001000000001, title: 'Family budget', type: 'channel' },
        date: 1717400100,
        text: 'groceries 42.10',
      },
    } as never);
    await harness.stack.settle();

    expect(response.status).toBe(200);
    expect(harness.fake.calls.length).toBe(before);
  });

  it('answers balance and stats commands', async () => {
    const user = { id: 11110004, firstName: 'Dana' };
    await harness.postUpdate(textUpdate('/settings currency EUR', { user }));
    await harness.stack.settle();
    await harness.postUpdate(textUpdate('rent 1.000,00 EUR', { user }));
    await harness.postUpdate(textUpdate('salary 2500 EUR', { user }));
    await harness.stack.settle();
    for (const message of harness.fake.messages(user.id)) {
      const confirm = (message.replyMarkup?.inline_keyboard ?? [])
        .flat()
        .find((button) => (button as { callback_data: string }).callback_data.startsWith('c:'));
      if (confirm !== undefined) {
        await harness.postUpdate(
          callbackUpdate((confirm as { callback_data: string }).callback_data, message.messageId!, { user }),
        );
      }
    }
    await harness.stack.settle();

    await harness.postUpdate(textUpdate('/balance', { user }));
    await harness.stack.settle();
    const balance = lastBotMessage(harness, user.id)!.text;
    await harness.postUpdate(textUpdate('/stats', { user }));
    await harness.stack.settle();
    const stats = lastBotMessage(harness, user.id)!.text;

    expect(balance).toContain('Spent: 1000.00 EUR');
    expect(balance).toContain('Income: 2500.00 EUR');
    expect(balance).toContain('Transactions: 2');
    expect(stats).toContain('1000.00 EUR');
  });

  it('answers an unknown command', async () => {
    await harness.postUpdate(textUpdate('/frobnicate'));
    await harness.stack.settle();

    expect(lastBotMessage(harness)?.text).toContain('/help');
  });
});

describe('Telegram pipeline failures', () => {
  let harness: TestStack;

  beforeAll(async () => {
    harness = await startTestStack({ visibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('dead-letters a record after repeated failures', async () => {
    harness.fake.failNext(
      'sendMessage',
      { status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } },
      2,
    );
    const update = textUpdate('parking 4 downtown');

    await harness.postUpdate(update);
    await harness.stack.settle(20_000);

    expect(await harness.stack.deadLetterCount()).toBe(1);
    const stored = (await harness.transactions()).filter(
      (transaction) => transaction.source.messageId === update.message!.message_id,
    );
    expect(stored).toHaveLength(1);
  });

  it('redrives a dead letter to one reply', async () => {
    const sqs = createLocalSqsClient();
    const repliesBefore = sentTo(harness).length;

    const dryRun = await redriveDeadLetters({
      sqs,
      deadLetterQueueUrl: harness.stack.resources.deadLetterQueueUrl,
      targetQueueUrl: harness.stack.resources.inboundQueueUrl,
      dryRun: true,
      maxMessages: 100,
      log: () => undefined,
    });
    const result = await redriveDeadLetters({
      sqs,
      deadLetterQueueUrl: harness.stack.resources.deadLetterQueueUrl,
      targetQueueUrl: harness.stack.resources.inboundQueueUrl,
      dryRun: false,
      maxMessages: 100,
      log: () => undefined,
    });
    await harness.stack.settle(20_000);
    sqs.destroy();

    expect(dryRun).toEqual({ waiting: 1, moved: 0 });
    expect(result).toEqual({ waiting: 1, moved: 1 });
    expect(await harness.stack.deadLetterCount()).toBe(0);
    expect(sentTo(harness).length - repliesBefore).toBe(1);
    const parking = (await harness.transactions()).filter((transaction) => transaction.amountMinor === 400);
    expect(parking).toHaveLength(1);
  });
});
