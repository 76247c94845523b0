import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  type FakeTelegram,
  type RecordedCall,
  startFakeTelegram,
} from '../../infra/local/fake-telegram/server';

const CHAT_ID = 11110001;
const OTHER_CHAT_ID = 11110002;
const CASES_DIRECTORY = path.join(__dirname, '../../../shared/cases/inputs');
const NOT_MODIFIED =
  'Bad Request: message is not modified: specified new message content and reply markup are exactly the ' +
  'same as a current content and reply markup of the message';
const QUERY_TOO_OLD = 'Bad Request: query is too old and response timeout expired or query ID is invalid';

interface BotApiResponse {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
}

interface RecordedFormattingRequest {
  method: string;
  body: Record<string, unknown> & { text: string };
  expected_telegram_error: { error_code: number; description: string };
}

function readCase<T>(fileName: string): T {
  return JSON.parse(readFileSync(path.join(CASES_DIRECTORY, fileName), 'utf8')) as T;
}

describe('fake Telegram Bot API', () => {
  let fake: FakeTelegram;

  /** Posts JSON parameters to a method and returns the HTTP status and parsed body. */
  async function post(method: string, params: object = {}, token = fake.token) {
    const response = await fetch(`${fake.url}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return { status: response.status, body: (await response.json()) as BotApiResponse };
  }

  async function sendText(chatId: number, text: string, extra: object = {}) {
    const { body } = await post('sendMessage', { chat_id: chatId, text, ...extra });
    return body.result as { message_id: number; text: string; entities?: unknown[]; reply_markup?: unknown };
  }

  beforeAll(async () => {
    fake = await startFakeTelegram({ botUsername: 'financy_test_bot' });
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  describe('routing', () => {
    it('binds to 127.0.0.1', () => {
      expect(new URL(fake.url).hostname).toBe('127.0.0.1');
    });

    it('rejects a wrong token with 401', async () => {
      const { status, body } = await post('getMe', {}, '123:wrong');

      expect(status).toBe(401);
      expect(body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    });

    it('answers unknown methods with 404', async () => {
      const { status, body } = await post('sendTelepathy');

      expect(status).toBe(404);
      expect(body).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    });

    it('matches method names case-insensitively', async () => {
      const { body } = await post('GETME');

      expect(body.ok).toBe(true);
      expect(fake.calls[0]?.method).toBe('getMe');
    });

    it('accepts form-urlencoded parameters', async () => {
      const response = await fetch(`${fake.url}/bot${fake.token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          chat_id: String(CHAT_ID),
          text: 'Saved 3.50 EUR',
          reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Undo', callback_data: 'undo:1' }]] }),
        }),
      });
      const body = (await response.json()) as BotApiResponse;

      expect(body.ok).toBe(true);
      expect(fake.messages(CHAT_ID)[0]?.replyMarkup?.inline_keyboard[0]?.[0]?.text).toBe('Undo');
    });

    it('accepts query string parameters', async () => {
      const query = new URLSearchParams({ chat_id: String(CHAT_ID), text: 'Saved' });

      const response = await fetch(`${fake.url}/bot${fake.token}/sendMessage?${query}`);

      expect(response.status).toBe(200);
    });

    it('records the token nowhere', async () => {
      await post('sendMessage', { text: 'no chat' });
      await post('getMe', {}, '123:wrong');

      expect(JSON.stringify(fake.calls)).not.toContain(fake.token);
    });
  });

  describe('getMe', () => {
    it('returns the configured bot', async () => {
      const { body } = await post('getMe');

      expect(body.result).toMatchObject({ is_bot: true, username: 'financy_test_bot' });
    });
  });

  describe('sendMessage', () => {
    it('returns a full message', async () => {
      const keyboard = { inline_keyboard: [[{ text: 'Change', callback_data: 'chg:tx_8f2c' }]] };

      const { body } = await post('sendMessage', {
        chat_id: CHAT_ID,
        text: 'Category: Food',
        reply_markup: keyboard,
      });

      expect(body.result).toMatchObject({
        message_id: 1,
        from: { is_bot: true, username: 'financy_test_bot' },
        chat: { id: CHAT_ID, type: 'private' },
        text: 'Category: Food',
        reply_markup: keyboard,
      });
      expect(typeof (body.result as { date?: unknown }).date).toBe('number');
    });

    it('numbers messages per chat', async () => {
      await sendText(CHAT_ID, 'one');
      const second = await sendText(CHAT_ID, 'two');
      const other = await sendText(OTHER_CHAT_ID, 'first elsewhere');

      expect(second.message_id).toBe(2);
      expect(other.message_id).toBe(1);
    });

    it('continues after pushed user messages', async () => {
      fake.pushUpdate({
        message: {
          message_id: 140,
          date: 1_717_400_000,
          chat: { id: CHAT_ID, type: 'private', first_name: 'Ana' },
          from: { id: CHAT_ID, is_bot: false, first_name: 'Ana' },
          text: 'coffee 3.50',
        },
      });

      const sent = await sendText(CHAT_ID, 'Saved');

      expect(sent.message_id).toBe(141);
    });

    it.each([
      [{ text: 'Saved' }, 'Bad Request: chat_id is empty'],
      [{ chat_id: CHAT_ID }, 'Bad Request: message text is empty'],
      [{ chat_id: '@nobody_here', text: 'Saved' }, 'Bad Request: chat not found'],
      [{ chat_id: CHAT_ID, text: 'Saved', parse_mode: 'Markdown3' }, 'Bad Request: unsupported parse_mode'],
    ])('rejects %j', async (params, description) => {
      const { status, body } = await post('sendMessage', params);

      expect(status).toBe(400);
      expect(body.description).toBe(description);
    });

    it('reproduces recorded formatting errors', async () => {
      const { requests } = readCase<{ requests: RecordedFormattingRequest[] }>('TG-09.json');

      for (const request of requests) {
        // The recording abbreviates the long report, so build text of the length it describes.
        const text = request.body.text.startsWith('<monthly report') ? 'x'.repeat(5200) : request.body.text;
        const { status, body } = await post(request.method, { ...request.body, text });
        const expected = request.expected_telegram_error.description.replace(/\.\.\.$/, '');

        expect(status).toBe(request.expected_telegram_error.error_code);
        expect(body.description?.startsWith(expected)).toBe(true);
      }
    });

    it('reports the unclosed entity offset', async () => {
      const { body } = await post('sendMessage', {
        chat_id: CHAT_ID,
        parse_mode: 'MarkdownV2',
        text: 'Top merchant: *Cafe_Luna*',
      });

      expect(body.description).toBe(
        "Bad Request: can't parse entities: Can't find end of Italic entity at byte offset 19",
      );
    });

    it('measures entities in UTF-16 units', async () => {
      const sent = await sendText(CHAT_ID, '🍕🍕 pizza *12\\.40* [receipt](https://example.com/r/1)', {
        parse_mode: 'MarkdownV2',
      });

      expect(sent.text).toBe('🍕🍕 pizza 12.40 receipt');
      expect(sent.entities).toEqual([
        { type: 'bold', offset: 11, length: 5 },
        { type: 'text_link', offset: 17, length: 7, url: 'https://example.com/r/1' },
      ]);
    });

    it('parses nested MarkdownV2 entities', async () => {
      const sent = await sendText(CHAT_ID, '*bold _italic bold_ bold*', { parse_mode: 'MarkdownV2' });

      expect(sent.entities).toEqual([
        { type: 'bold', offset: 0, length: 21 },
        { type: 'italic', offset: 5, length: 11 },
      ]);
    });

    it('parses code without escaping', async () => {
      const sent = await sendText(CHAT_ID, 'Total `3.50 - 1.00`', { parse_mode: 'MarkdownV2' });

      expect(sent.text).toBe('Total 3.50 - 1.00');
    });

    it('parses valid HTML', async () => {
      const sent = await sendText(CHAT_ID, '<b>Cafe &amp; Bar</b> 3.50 &lt;EUR&gt;', { parse_mode: 'HTML' });

      expect(sent.text).toBe('Cafe & Bar 3.50 <EUR>');
      expect(sent.entities).toEqual([{ type: 'bold', offset: 0, length: 10 }]);
    });

    it.each([
      ['<b>Saved', 'Can\'t find end tag corresponding to start tag "b"'],
      ['<blink>Saved</blink>', 'Unsupported start tag "blink" at byte offset 0'],
      ['<b>Saved</i>', 'Unmatched end tag at byte offset 8, expected "</b>", found "</i>"'],
      ['Saved</b>', 'Unexpected end tag at byte offset 5'],
    ])('rejects HTML %s', async (text, detail) => {
      const { body } = await post('sendMessage', { chat_id: CHAT_ID, parse_mode: 'HTML', text });

      expect(body.description).toBe(`Bad Request: can't parse entities: ${detail}`);
    });

    it('rejects callback data over 64 bytes', async () => {
      const keyboard = { inline_keyboard: [[{ text: 'Pick', callback_data: 'c'.repeat(65) }]] };

      const { body } = await post('sendMessage', { chat_id: CHAT_ID, text: 'Pick', reply_markup: keyboard });

      expect(body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    });

    it('rejects text-only inline buttons', async () => {
      const keyboard = { inline_keyboard: [[{ text: 'Pick' }]] };

      const { body } = await post('sendMessage', { chat_id: CHAT_ID, text: 'Pick', reply_markup: keyboard });

      expect(body.description).toMatch(/Text buttons are unallowed in the inline keyboard$/);
    });

    it('rejects replies to missing messages', async () => {
      const { body } = await post('sendMessage', {
        chat_id: CHAT_ID,
        text: 'Saved',
        reply_parameters: { message_id: 999 },
      });

      expect(body.description).toBe('Bad Request: message to be replied not found');
    });

    it('answers a blocked chat with 403', async () => {
      fake.blockChat(CHAT_ID);

      const { status, body } = await post('sendMessage', { chat_id: CHAT_ID, text: 'Saved' });

      expect(status).toBe(403);
      expect(body.description).toBe('Forbidden: bot was blocked by the user');
    });
  });

  describe('editMessageText', () => {
    const keyboard = { inline_keyboard: [[{ text: 'Change', callback_data: 'chg:tx_8f2c' }]] };

    it('updates the shown message', async () => {
      const sent = await sendText(CHAT_ID, 'Category: Food', { reply_markup: keyboard });

      const { body } = await post('editMessageText', {
        chat_id: CHAT_ID,
        message_id: sent.message_id,
        text: 'Category: Transport',
      });

      expect(body.result).toMatchObject({ text: 'Category: Transport' });
      expect(fake.messages(CHAT_ID)[0]?.text).toBe('Category: Transport');
      expect(fake.messages(CHAT_ID)[0]?.editDate).toBeDefined();
    });

    it('rejects identical content', async () => {
      const sent = await sendText(CHAT_ID, 'Category: Food', { reply_markup: keyboard });

      const { body } = await post('editMessageText', {
        chat_id: CHAT_ID,
        message_id: sent.message_id,
        text: 'Category: Food',
        reply_markup: keyboard,
      });

      expect(body.description).toBe(NOT_MODIFIED);
    });

    it('compares content after parsing', async () => {
      const sent = await sendText(CHAT_ID, '<b>Food</b>', { parse_mode: 'HTML' });

      const { body } = await post('editMessageText', {
        chat_id: CHAT_ID,
        message_id: sent.message_id,
        text: '*Food*',
        parse_mode: 'MarkdownV2',
      });

      expect(body.description).toBe(NOT_MODIFIED);
    });

    it('rejects unknown messages', async () => {
      const { body } = await post('editMessageText', { chat_id: CHAT_ID, message_id: 404, text: 'x' });

      expect(body.description).toBe('Bad Request: message to edit not found');
    });

    it('edits inline messages', async () => {
      const inlineMessageId = fake.addInlineMessage({ text: 'Category: Food' });

      const { body } = await post('editMessageText', {
        inline_message_id: inlineMessageId,
        text: 'Category: Bills',
      });

      expect(body.result).toBe(true);
      expect(fake.messages()[0]?.text).toBe('Category: Bills');
    });

    it('rejects unknown inline messages', async () => {
      const { body } = await post('editMessageText', { inline_message_id: 'AgAAAB', text: 'x' });

      expect(body.description).toBe('Bad Request: MESSAGE_ID_INVALID');
    });
  });

  describe('deleteMessage', () => {
    it('removes the shown message', async () => {
      const sent = await sendText(CHAT_ID, 'Saved');

      await post('deleteMessage', { chat_id: CHAT_ID, message_id: sent.message_id });

      expect(fake.messages(CHAT_ID)).toEqual([]);
    });

    it('rejects a second delete', async () => {
      const sent = await sendText(CHAT_ID, 'Saved');
      await post('deleteMessage', { chat_id: CHAT_ID, message_id: sent.message_id });

      const { body } = await post('deleteMessage', { chat_id: CHAT_ID, message_id: sent.message_id });

      expect(body.description).toBe('Bad Request: message to delete not found');
    });
  });

  describe('answerCallbackQuery', () => {
    it('answers a registered query', async () => {
      fake.registerCallbackQuery('4382000000000000001');

      const { body } = await post('answerCallbackQuery', {
        callback_query_id: '4382000000000000001',
        text: 'Saved',
      });

      expect(body).toEqual({ ok: true, result: true });
    });

    it('rejects a second answer', async () => {
      fake.registerCallbackQuery('4382000000000000002');
      await post('answerCallbackQuery', { callback_query_id: '4382000000000000002' });

      const { body } = await post('answerCallbackQuery', { callback_query_id: '4382000000000000002' });

      expect(body.description).toBe(QUERY_TOO_OLD);
    });

    it('rejects answers after 15 seconds', async () => {
      fake.registerCallbackQuery('4382000000000000003', { receivedAt: Date.now() - 15_001 });

      const { body } = await post('answerCallbackQuery', { callback_query_id: '4382000000000000003' });

      expect(body.description).toBe(QUERY_TOO_OLD);
    });

    it('registers queries from pushed updates', async () => {
      fake.pushUpdate({
        callback_query: {
          id: '4382000000000000004',
          from: { id: CHAT_ID, is_bot: false, first_name: 'Ana' },
          chat_instance: '-1000000000000000001',
          data: 'chg:tx_8f2c',
        },
      });

      const { body } = await post('answerCallbackQuery', { callback_query_id: '4382000000000000004' });

      expect(body.ok).toBe(true);
    });
  });

  describe('files', () => {
    it('serves stored bytes', async () => {
      const stored = fake.addFile({ bytes: Buffer.from('receipt bytes'), fileName: 'receipt.jpg' });
      const { body } = await post('getFile', { file_id: stored.file_id });
      const filePath = (body.result as { file_path: string }).file_path;

      const response = await fetch(`${fake.url}/file/bot${fake.token}/${filePath}`);

      expect(filePath).toMatch(/^photos\/file_\d+\.jpg$/);
      expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('receipt bytes');
    });

    it('answers unknown paths with 404', async () => {
      const response = await fetch(`${fake.url}/file/bot${fake.token}/documents/missing.pdf`);

      expect(response.status).toBe(404);
    });

    it('rejects an invalid file_id', async () => {
      const { body } = await post('getFile', { file_id: 'nope' });

      expect(body.description).toBe('Bad Request: invalid file_id');
    });
  });

  describe('webhook', () => {
    it('stores and reports the webhook', async () => {
      await post('setWebhook', {
        url: 'https://financy.example/telegram',
        secret_token: 'local_secret-1',
        allowed_updates: ['message', 'callback_query'],
      });

      const { body } = await post('getWebhookInfo');

      expect(body.result).toMatchObject({
        url: 'https://financy.example/telegram',
        pending_update_count: 0,
        allowed_updates: ['message', 'callback_query'],
      });
      expect(fake.webhook()?.secretToken).toBe('local_secret-1');
    });

    it('describes the change', async () => {
      const { body } = await post('setWebhook', { url: 'https://financy.example/telegram' });

      expect(body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
    });

    it('rejects plain HTTP URLs', async () => {
      const { body } = await post('setWebhook', { url: 'http://financy.example/telegram' });

      expect(body.description).toBe('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    });

    it('rejects invalid secret tokens', async () => {
      const { body } = await post('setWebhook', { url: 'https://financy.example/t', secret_token: 'a:b' });

      expect(body.description).toBe('Bad Request: secret token contains unallowed characters');
    });

    it('blocks getUpdates with 409', async () => {
      await post('setWebhook', { url: 'https://financy.example/telegram' });

      const { status, body } = await post('getUpdates');

      expect(status).toBe(409);
      expect(body.description).toBe(
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    });

    it('drops pending updates on request', async () => {
      fake.pushUpdate({ message: textMessage('coffee 3.50') });

      await post('deleteWebhook', { drop_pending_updates: true });
      const { body } = await post('getUpdates');

      expect(body.result).toEqual([]);
    });
  });

  describe('getUpdates', () => {
    it('confirms updates below the offset', async () => {
      const first = fake.pushUpdate({ message: textMessage('one') });
      fake.pushUpdate({ message: textMessage('two') });

      await post('getUpdates', { offset: first.update_id + 1 });
      const { body } = await post('getUpdates');

      expect(updateTexts(body)).toEqual(['two']);
    });

    it('keeps the last updates for negative offsets', async () => {
      for (const text of ['one', 'two', 'three']) {
        fake.pushUpdate({ message: textMessage(text) });
      }

      const { body } = await post('getUpdates', { offset: -1 });

      expect(updateTexts(body)).toEqual(['three']);
    });

    it('returns at most limit updates', async () => {
      for (const text of ['one', 'two', 'three']) {
        fake.pushUpdate({ message: textMessage(text) });
      }

      const { body } = await post('getUpdates', { limit: 2 });

      expect(updateTexts(body)).toEqual(['one', 'two']);
    });

    it('filters later updates by allowed_updates', async () => {
      await post('getUpdates', { allowed_updates: ['callback_query'] });
      fake.pushUpdate({ message: textMessage('ignored') });

      const { body } = await post('getUpdates');

      expect(body.result).toEqual([]);
    });

    it('waits for a pushed update', async () => {
      const polling = post('getUpdates', { timeout: 5 });
      setTimeout(() => fake.pushUpdate({ message: textMessage('late') }), 50);

      const { body } = await polling;

      expect(updateTexts(body)).toEqual(['late']);
    });

    it('returns empty after the timeout', async () => {
      const startedAt = Date.now();

      const { body } = await post('getUpdates', { timeout: 1 });

      expect(body.result).toEqual([]);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(990);
    });

    it('ends an older poll with 409', async () => {
      const older = post('getUpdates', { timeout: 5 });
      await waitForPoll();

      await post('getUpdates');
      const { status, body } = await older;

      expect(status).toBe(409);
      expect(body.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    });
  });

  describe('failure injection', () => {
    it('answers with the injected response', async () => {
      const body429 = {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 37',
        parameters: { retry_after: 37 },
      };
      fake.failNext('sendMessage', { status: 429, body: body429 }, 2);

      const first = await post('sendMessage', { chat_id: CHAT_ID, text: 'a' });
      const second = await post('sendMessage', { chat_id: CHAT_ID, text: 'b' });
      const third = await post('sendMessage', { chat_id: CHAT_ID, text: 'c' });

      expect(first.body).toEqual(body429);
      expect(second.status).toBe(429);
      expect(third.status).toBe(200);
    });

    it('resets the connection', async () => {
      fake.failNext('getMe', 'reset');

      await expect(post('getMe')).rejects.toThrow('fetch failed');
      expect(fake.calls[0]?.response).toBe('reset');
    });

    it('never answers a timeout', async () => {
      fake.failNext('getMe', 'timeout');

      const request = fetch(`${fake.url}/bot${fake.token}/getMe`, { signal: AbortSignal.timeout(200) });

      await expect(request).rejects.toThrow(/timeout|aborted/i);
      expect(fake.calls[0]?.response).toBe('timeout');
    });

    it('notifies call listeners', async () => {
      const seen: RecordedCall[] = [];
      const listener = (call: RecordedCall) => seen.push(call);
      fake.on('call', listener);

      await sendText(CHAT_ID, 'Saved');
      fake.off('call', listener);

      expect(seen.map((call) => call.method)).toEqual(['sendMessage']);
      expect(seen[0]?.params.text).toBe('Saved');
    });
  });

  describe('reset', () => {
    it('forgets calls and messages', async () => {
      await sendText(CHAT_ID, 'Saved');

      fake.reset();

      expect(fake.calls).toEqual([]);
      expect(fake.messages()).toEqual([]);
    });
  });

  describe('main entry', () => {
    it('prints its URL and stops on SIGTERM', async () => {
      const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
      const entry = path.join(__dirname, '../../infra/local/fake-telegram/main.ts');
      const child = spawn(tsx, [entry, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      try {
        const [line] = await once(createInterface({ input: child.stdout }), 'line');
        const started = JSON.parse(String(line)) as { url: string; token: string };
        const response = await fetch(`${started.url}/bot${started.token}/getMe`);

        expect(new URL(started.url).hostname).toBe('127.0.0.1');
        expect(response.status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }

      expect(await exited).toBe(0);
    }, 20_000);
  });

  /** Waits until the fake has a pending getUpdates request. */
  async function waitForPoll(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

function textMessage(text: string) {
  return {
    message_id: 1,
    date: 1_717_400_000,
    chat: { id: CHAT_ID, type: 'private' as const, first_name: 'Ana' },
    from: { id: CHAT_ID, is_bot: false, first_name: 'Ana' },
    text,
  };
}

function updateTexts(body: BotApiResponse): Array<string | undefined> {
  return (body.result as Array<{ message?: { text?: string } }>).map((update) => update.message?.text);
}
