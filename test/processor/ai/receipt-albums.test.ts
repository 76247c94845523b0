import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Update } from '@grammyjs/types';
import { VISION_ERRORS } from '../../../infra/local/fake-vision/responses';
import { callbackUpdate } from '../../../infra/local/update-factory';
import { en } from '../../../lib/messages/en';
import { albumMessages } from '../../../lib/messages/en-albums';
import { RESILIENCE_LIMITS } from '../../../lib/resilience/limits';
import { receiptImage } from '../../fixtures/receipts/images/receipt-images';
import { type TestStack, useTestStack } from '../../support/test-stack';
import {
  albumUpdates,
  blankPng,
  fallbacksSince,
  heicBytes,
  newUser,
  shown,
  transactionsOf,
} from './chat-media';

const CASES = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'cases', 'inputs');

/** Returns the bot's messages in the chat as they look now, with their button data. */
function botMessages(harness: TestStack, chatId: number) {
  return harness.fake.messages(chatId).map((message) => ({
    messageId: message.messageId,
    text: message.text ?? '',
    buttons: (message.replyMarkup?.inline_keyboard ?? [])
      .flat()
      .map((button) => ({ text: button.text, data: (button as { callback_data?: string }).callback_data })),
  }));
}

function visionImagesSince(harness: TestStack, since: number): number[] {
  return harness.ai!.vision!.calls.slice(since).map((call) => call.images);
}

async function post(harness: TestStack, updates: readonly Update[]): Promise<void> {
  for (const update of updates) {
    expect((await harness.postUpdate(update)).status).toBe(200);
  }
  await harness.stack.settle();
}

describe('receipt albums', () => {
  let harness: TestStack;
  useTestStack({ ai: {} }, (started) => {
    harness = started;
  });

  it('reads an album in one Vision request', async () => {
    const user = newUser();
    const visionBefore = harness.ai!.vision!.calls.length;

    await post(harness, albumUpdates(harness, user, ['diner', 'pharmacy'], 'team lunch and medicine'));

    expect(visionImagesSince(harness, visionBefore)).toEqual([2]);
    const drafts = await transactionsOf(harness, user);
    expect(drafts.map((draft) => draft.amountMinor).sort((a, b) => a - b)).toEqual([1047, 1952]);
    for (const draft of drafts) {
      // The caption came with the first photo only, and applies to both.
      expect(draft).toMatchObject({ status: 'pending', description: 'team lunch and medicine' });
      expect(draft.receipt?.key).toMatch(/^receipts\//);
    }
    const messages = botMessages(harness, user.id);
    expect(messages).toHaveLength(1);
    expect(shown(harness, user)[0]).toBe(albumMessages.processingReceipts());
    expect(messages[0]!.text).toContain('2 photos');
    expect(messages[0]!.text).toMatch(/1\. .*19\.52[\s\S]*2\. .*10\.47/);
    expect(messages[0]!.buttons.map((button) => button.data)).toEqual([
      expect.stringMatching(/^ca:/),
      `o:${drafts.find((draft) => draft.amountMinor === 1952)!.transactionId}`,
      `o:${drafts.find((draft) => draft.amountMinor === 1047)!.transactionId}`,
    ]);
  });

  it('confirms all pending drafts', async () => {
    const user = newUser();
    await post(harness, albumUpdates(harness, user, ['diner', 'grocery']));
    const [summary] = botMessages(harness, user.id);
    const confirmAll = summary!.buttons[0]!.data!;

    await post(harness, [callbackUpdate(confirmAll, summary!.messageId!, { user })]);

    const drafts = await transactionsOf(harness, user);
    expect(drafts.map((draft) => draft.status)).toEqual(['confirmed', 'confirmed']);
    const [after] = botMessages(harness, user.id);
    expect(after!.buttons.map((button) => button.data)).not.toContain(confirmAll);
    expect(after!.text).not.toContain('🤔');
    const answer = harness.fake.calls.filter((call) => call.method === 'answerCallbackQuery').at(-1);
    expect(answer?.params.text).toBe(albumMessages.confirmedAll(2));
  });

  it('opens a draft in a new message', async () => {
    const user = newUser();
    await post(harness, albumUpdates(harness, user, ['diner', 'pharmacy']));
    const [summary] = botMessages(harness, user.id);
    const open = summary!.buttons.find((button) => button.data?.startsWith('o:'))!;

    await post(harness, [callbackUpdate(open.data!, summary!.messageId!, { user })]);

    const messages = botMessages(harness, user.id);
    expect(messages).toHaveLength(2);
    expect(messages[0]!.text).toBe(summary!.text);
    expect(messages[1]!.text).toContain('Is this right?');
    expect(messages[1]!.buttons.map((button) => button.data)).toContain(`c:${open.data!.slice(2)}`);
  });

  it('lists a photo without a total', async () => {
    const user = newUser();

    await post(harness, albumUpdates(harness, user, ['grocery', blankPng()]));

    expect(await transactionsOf(harness, user)).toEqual([expect.objectContaining({ amountMinor: 1010 })]);
    const [summary] = botMessages(harness, user.id);
    // The fake Bot API shows messages as the user sees them, without HTML tags.
    expect(summary!.text).toContain(`2. ⚠️ ${en.receiptNoTotal().replace(/<\/?code>/g, '')}`);
  });

  it('reads a repeated file once', async () => {
    const user = newUser();
    const [first, second] = albumUpdates(harness, user, ['diner', 'pharmacy']);
    // The second message carries the first one's file, as a client that resends a photo does.
    second!.message!.photo = first!.message!.photo;

    await post(harness, [first!, second!]);

    expect(await transactionsOf(harness, user)).toHaveLength(1);
    expect(botMessages(harness, user.id)[0]!.text).toContain('1 photo');
  });

  it('reads a late photo alone', async () => {
    const user = newUser();
    const [first, late] = albumUpdates(harness, user, ['diner', 'pharmacy'], 'trip to Porto');
    await post(harness, [first!]);

    await post(harness, [late!]);

    const drafts = await transactionsOf(harness, user);
    expect(drafts).toHaveLength(2);
    expect(drafts.every((draft) => draft.description === 'trip to Porto')).toBe(true);
    expect(shown(harness, user)).toEqual([
      albumMessages.processingReceipts(),
      expect.stringContaining('1 photo'),
      en.processingReceipt(),
      expect.stringContaining('Is this right?'),
    ]);
  });

  it('reads the album offline when Vision fails', async () => {
    const user = newUser();
    const vision = harness.ai!.vision!;
    // Every attempt of the resilience layer gets a 503.
    vision.failNext(VISION_ERRORS.unavailable, RESILIENCE_LIMITS.retry.maxAttempts);
    const metricsBefore = harness.metricPoints.length;

    try {
      for (const update of albumUpdates(harness, user, ['diner', 'pharmacy'])) {
        await harness.postUpdate(update);
      }
      await harness.stack.settle(60_000);

      // One fallback for the album's one OCR call, not one per photo.
      expect(fallbacksSince(harness, metricsBefore)).toEqual(['ocr/error']);
      const amounts = (await transactionsOf(harness, user)).map((draft) => draft.amountMinor);
      expect(amounts.sort((a, b) => a - b)).toEqual([1047, 1952]);
      expect(botMessages(harness, user.id)).toHaveLength(1);
    } finally {
      vision.reset();
    }
  }, 90_000);

  it('groups the album among other shapes', async () => {
    const { deliveries } = JSON.parse(readFileSync(path.join(CASES, 'TG-03.json'), 'utf8')) as {
      deliveries: Update[];
    };
    harness.fake.addFile({ fileId: 'PH_large_0001', bytes: Buffer.from(receiptImage('diner').bytes) });
    harness.fake.addFile({ fileId: 'ALB1_large', bytes: Buffer.from(receiptImage('grocery').bytes) });
    harness.fake.addFile({ fileId: 'ALB2_large', bytes: Buffer.from(receiptImage('pharmacy').bytes) });
    harness.fake.addFile({ fileId: 'DOC_0001', bytes: Buffer.from(heicBytes()) });
    const chatId = 11110001;

    await post(harness, deliveries);

    const downloaded = harness.fake.calls
      .filter((call) => call.method === 'getFile')
      .map((call) => call.params.file_id);
    expect(downloaded).toEqual(expect.arrayContaining(['PH_large_0001', 'ALB1_large', 'ALB2_large']));
    expect(downloaded).not.toContain('PH_small_0001');
    const drafts = (await harness.transactions()).filter((draft) => draft.source.chatId === String(chatId));
    expect(drafts.map((draft) => [draft.source.messageId, draft.amountMinor, draft.description])).toEqual(
      expect.arrayContaining([
        [90, 1952, 'dinner receipt'],
        [92, 1010, 'two receipts from the market'],
        [93, 1047, 'two receipts from the market'],
      ]),
    );
    const texts = botMessages(harness, chatId).map((message) => message.text);
    // One reply per photo or file, and one for the album.
    expect(texts).toHaveLength(3);
    expect(texts[1]).toBe(en.receiptFormatNotSupported('image/heic'));
    expect(texts[2]).toContain('2 photos');
  });
});
