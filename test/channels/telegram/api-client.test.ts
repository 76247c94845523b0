import { type FakeTelegram, startFakeTelegram } from '../../../infra/local/fake-telegram/server';
import { TelegramApiClient } from '../../../lib/channels/telegram/api-client';
import {
  CallbackDataTooLongError,
  TelegramFileTooLargeError,
  TelegramRequestError,
} from '../../../lib/channels/telegram/errors';
import { MAX_MESSAGE_LENGTH } from '../../../lib/channels/telegram/text';
import { descriptionOf, recordingLogger, statusOf, thrownBy } from './support';

const CHAT_ID = 11110001;
const KEYBOARD = { inline_keyboard: [[{ text: 'Change', callback_data: 'chg:tx_8f2c' }]] };

describe('TelegramApiClient', () => {
  let fake: FakeTelegram;
  let client: TelegramApiClient;

  beforeAll(async () => {
    fake = await startFakeTelegram();
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
    client = new TelegramApiClient({ token: fake.token, baseUrl: fake.url });
  });

  describe('sendMessage', () => {
    it('returns the sent message', async () => {
      const [message] = await client.sendMessage(CHAT_ID, 'Saved 3.50 EUR');

      expect(message?.text).toBe('Saved 3.50 EUR');
      expect(message?.chat.id).toBe(CHAT_ID);
      expect(message?.message_id).toBe(1);
    });

    it('sends escaped MarkdownV2 with entities', async () => {
      const [message] = await client.sendMessage(CHAT_ID, '*Coffee* 3\\.50 EUR', { parseMode: 'MarkdownV2' });

      expect(message?.text).toBe('Coffee 3.50 EUR');
      expect(message?.entities).toEqual([{ type: 'bold', offset: 0, length: 6 }]);
    });

    it('replies to the given message', async () => {
      const [first] = await client.sendMessage(CHAT_ID, 'Saved');

      await client.sendMessage(CHAT_ID, 'Undo?', { replyToMessageId: first?.message_id });

      const params = fake.calls.at(-1)?.params as { reply_parameters?: { message_id: number } };
      expect(params.reply_parameters?.message_id).toBe(first?.message_id);
    });

    it('splits text over the limit', async () => {
      const paragraph = `${'Groceries 12.40 EUR at the market. '.repeat(40).trim()}\n\n`;
      const text = paragraph.repeat(6);

      const sent = await client.sendMessage(CHAT_ID, text);

      expect(sent.length).toBeGreaterThan(1);
      for (const message of sent) {
        expect(message.text.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
      }
      const withoutWhitespace = (value: string) => value.replace(/\s+/g, '');
      expect(withoutWhitespace(sent.map((message) => message.text).join(''))).toBe(withoutWhitespace(text));
    });

    it('splits at paragraph boundaries first', async () => {
      const paragraph = 'Rent 950.00 EUR. '.repeat(150).trim();
      const text = `${paragraph}\n\n${paragraph}`;

      const sent = await client.sendMessage(CHAT_ID, text);

      expect(sent.map((message) => message.text)).toEqual([paragraph, paragraph]);
    });

    it('keeps emoji whole at boundaries', async () => {
      const text = `${'a'.repeat(MAX_MESSAGE_LENGTH - 1)}😀${'b'.repeat(100)}`;

      const sent = await client.sendMessage(CHAT_ID, text);

      expect(sent.map((message) => message.text).join('')).toBe(text);
      expect(sent[1]?.text.startsWith('😀')).toBe(true);
    });

    it('puts the keyboard on the last part', async () => {
      const text = `${'Taxi 14.00 EUR. '.repeat(300)}`;

      const sent = await client.sendMessage(CHAT_ID, text, { replyMarkup: KEYBOARD });

      expect(sent).toHaveLength(2);
      expect(sent[0]?.reply_markup).toBeUndefined();
      expect(sent[1]?.reply_markup).toEqual(KEYBOARD);
    });

    it('never triggers "message is too long"', async () => {
      const text = 'x'.repeat(5200);

      await client.sendMessage(CHAT_ID, text);

      const statuses = fake.calls.map(statusOf);
      expect(statuses).toEqual([200, 200]);
    });

    it('rejects callback data over 64 bytes', async () => {
      const keyboard = { inline_keyboard: [[{ text: 'Pick', callback_data: 'é'.repeat(33) }]] };

      const error = await thrownBy(() => client.sendMessage(CHAT_ID, 'Category?', { replyMarkup: keyboard }));

      expect(error).toBeInstanceOf(CallbackDataTooLongError);
      expect((error as CallbackDataTooLongError).byteLength).toBe(66);
      expect(fake.calls).toHaveLength(0);
    });
  });

  describe('call', () => {
    it('maps BUTTON_DATA_INVALID to a request error', async () => {
      const reply_markup = { inline_keyboard: [[{ text: 'Pick', callback_data: 'x'.repeat(65) }]] };

      const error = await thrownBy(() =>
        client.call('sendMessage', { chat_id: CHAT_ID, text: 'Pick', reply_markup }),
      );

      expect(error).toBeInstanceOf(TelegramRequestError);
      expect((error as TelegramRequestError).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    });

    it('reports "message is too long" unsplit', async () => {
      const error = await thrownBy(() =>
        client.call('sendMessage', { chat_id: CHAT_ID, text: 'x'.repeat(5200) }),
      );

      expect((error as TelegramRequestError).description).toBe('Bad Request: message is too long');
    });
  });

  describe('editMessageText', () => {
    it('replaces the text and keyboard', async () => {
      const [message] = await client.sendMessage(CHAT_ID, 'Category: Food', { replyMarkup: KEYBOARD });

      await client.editMessageText(
        { chatId: CHAT_ID, messageId: message?.message_id ?? 0 },
        'Category: Transport',
      );

      const [shown] = fake.messages(CHAT_ID);
      expect(shown?.text).toBe('Category: Transport');
      expect(shown?.replyMarkup).toBeUndefined();
    });

    it('treats identical content as success', async () => {
      const logger = recordingLogger();
      client = new TelegramApiClient({ token: fake.token, baseUrl: fake.url, logger });
      const [message] = await client.sendMessage(CHAT_ID, 'Category: Food', { replyMarkup: KEYBOARD });
      const target = { chatId: CHAT_ID, messageId: message?.message_id ?? 0 };

      await client.editMessageText(target, 'Category: Food', { replyMarkup: KEYBOARD });

      expect(descriptionOf(fake.calls.at(-1))).toMatch(/^Bad Request: message is not modified/);
      expect(fake.calls).toHaveLength(2);
      expect(fake.messages(CHAT_ID)[0]?.replyMarkup).toEqual(KEYBOARD);
      expect(logger.entries.map((entry) => entry.level)).toEqual(['debug']);
    });

    it('edits inline messages by id', async () => {
      const inlineMessageId = fake.addInlineMessage({ text: 'Category: Food' });

      await client.editMessageText({ inlineMessageId }, 'Category: Transport');

      const [shown] = fake.messages();
      expect(shown?.text).toBe('Category: Transport');
    });

    it('sends the rest of long text', async () => {
      const [message] = await client.sendMessage(CHAT_ID, 'Monthly report: loading');
      const report = 'Coffee 3.50 EUR. '.repeat(300);

      await client.editMessageText({ chatId: CHAT_ID, messageId: message?.message_id ?? 0 }, report, {
        replyMarkup: KEYBOARD,
      });

      const shown = fake.messages(CHAT_ID);
      expect(shown).toHaveLength(2);
      expect(shown[0]?.replyMarkup).toBeUndefined();
      expect(shown[1]?.replyMarkup).toEqual(KEYBOARD);
      expect(shown.map((item) => item.text).join(' ')).toBe(report);
    });
  });

  describe('answerCallbackQuery', () => {
    it('answers a fresh query', async () => {
      fake.registerCallbackQuery('4382000000000000001');

      await client.answerCallbackQuery('4382000000000000001', { text: 'Saved' });

      expect(statusOf(fake.calls[0])).toBe(200);
    });
  });

  describe('files', () => {
    it('downloads a stored file', async () => {
      const bytes = Buffer.from('%PDF-1.7 receipt');
      const stored = fake.addFile({ bytes, fileName: 'receipt.pdf' });

      const file = await client.getFile(stored.file_id);
      const downloaded = await client.downloadFile(file.file_path ?? '');

      expect(downloaded.equals(bytes)).toBe(true);
    });

    it('reports an unknown file path', async () => {
      const error = await thrownBy(() => client.downloadFile('documents/missing.pdf'));

      expect(error).toBeInstanceOf(TelegramRequestError);
      expect((error as TelegramRequestError).errorCode).toBe(404);
    });

    it('refuses files over 20 MB', async () => {
      const stored = fake.addFile({ bytes: Buffer.alloc(20 * 1024 * 1024 + 1), fileName: 'scan.png' });

      const error = await thrownBy(() => client.downloadFile(stored.file_path));

      expect(error).toBeInstanceOf(TelegramFileTooLargeError);
    });

    it('reports getFile of large files', async () => {
      const stored = fake.addFile({ bytes: Buffer.alloc(20 * 1024 * 1024 + 1) });

      const error = await thrownBy(() => client.getFile(stored.file_id));

      expect((error as TelegramRequestError).description).toBe('Bad Request: file is too big');
    });
  });

  describe('getUpdates', () => {
    const textUpdate = (text: string) => ({
      message: {
        message_id: 1,
        date: 1_717_400_000,
        chat: { id: CHAT_ID, type: 'private' as const, first_name: 'Ana' },
        from: { id: CHAT_ID, is_bot: false, first_name: 'Ana' },
        text,
      },
    });

    it('returns updates from the offset', async () => {
      const first = fake.pushUpdate(textUpdate('coffee 3.50'));
      fake.pushUpdate(textUpdate('taxi 14'));

      const all = await client.getUpdates();
      const afterFirst = await client.getUpdates({ offset: first.update_id + 1 });

      expect(all).toHaveLength(2);
      expect(afterFirst.map((update) => update.message?.text)).toEqual(['taxi 14']);
    });

    it('forgets confirmed updates', async () => {
      fake.pushUpdate(textUpdate('coffee 3.50'));
      const last = fake.pushUpdate(textUpdate('taxi 14'));

      await client.getUpdates({ offset: last.update_id + 1 });
      const remaining = await client.getUpdates();

      expect(remaining).toEqual([]);
    });

    it('long-polls until an update arrives', async () => {
      const polling = client.getUpdates({ timeout: 5 });
      setTimeout(() => fake.pushUpdate(textUpdate('lunch 9.90')), 50);

      const updates = await polling;

      expect(updates.map((update) => update.message?.text)).toEqual(['lunch 9.90']);
    });

    it('fails while a webhook is set', async () => {
      await client.setWebhook({ url: 'https://financy.example/telegram', secret_token: 'local-secret' });

      const error = await thrownBy(() => client.getUpdates());

      expect((error as TelegramRequestError).errorCode).toBe(409);
    });

    it('works again after deleteWebhook', async () => {
      await client.setWebhook({ url: 'https://financy.example/telegram' });
      fake.pushUpdate(textUpdate('coffee 3.50'));

      await client.deleteWebhook();
      const updates = await client.getUpdates();

      expect(updates).toHaveLength(1);
    });
  });

  describe('getMe', () => {
    it('returns the bot user', async () => {
      const me = await client.getMe();

      expect(me.is_bot).toBe(true);
      expect(me.username).toBe('financy_local_bot');
    });
  });
});
