import { createServer } from 'node:net';
import type { ParseMode } from '@grammyjs/types';
import { type FakeTelegram, startFakeTelegram } from '../../../infra/local/fake-telegram/server';
import { TelegramApiClient, type TelegramApiClientOptions } from '../../../lib/channels/telegram/api-client';
import {
  TelegramBlockedError,
  TelegramNetworkError,
  TelegramRateLimitError,
  TelegramRequestError,
  TelegramServerError,
  TelegramUnauthorizedError,
} from '../../../lib/channels/telegram/errors';
import { descriptionOf, readCase, recordingLogger, statusOf, thrownBy } from './support';

const CHAT_ID = 11110001;

interface RecordedResponse {
  method: string;
  http_status?: number;
  body?: { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };
  request?: Record<string, unknown>;
  response?: { ok: false; error_code: number; description: string };
}

interface RecordedRequest {
  method: string;
  body: { chat_id: number; parse_mode?: ParseMode; text: string };
  expected_telegram_error: { description: string };
}

const [retryAfter37, retryAfter5400, blocked] = readCase<{ responses: RecordedResponse[] }>(
  'TG-11.json',
).responses;
const [notModified, queryTooOld] = readCase<{ responses: RecordedResponse[] }>('TG-10.json').responses;
const formattingRequests = readCase<{ requests: RecordedRequest[] }>('TG-09.json').requests;

/** Injects a recorded error response as the fake's next response for its method. */
function injectRecorded(fake: FakeTelegram, recorded: RecordedResponse | undefined): void {
  if (recorded === undefined) {
    throw new Error('The recorded response fixture is missing an entry.');
  }

  const body = recorded.body ?? recorded.response;
  if (body === undefined) {
    throw new Error(`The recorded ${recorded.method} response has no body.`);
  }

  fake.failNext(recorded.method, { status: recorded.http_status ?? body.error_code, body });
}

/** Returns a 127.0.0.1 port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('TelegramApiClient failures', () => {
  let fake: FakeTelegram;

  const clientWith = (options: Partial<TelegramApiClientOptions> = {}) =>
    new TelegramApiClient({ token: fake.token, baseUrl: fake.url, ...options });

  beforeAll(async () => {
    fake = await startFakeTelegram();
  });

  afterAll(async () => {
    await fake.stop();
  });

  beforeEach(() => {
    fake.reset();
  });

  describe('429 rate limit', () => {
    it('waits retry_after before one retry', async () => {
      injectRecorded(fake, retryAfter37);
      const sleeps: number[] = [];
      let callsWhileSleeping = -1;
      // One real millisecond stands for each requested second, plus one to absorb clock rounding.
      const sleep = async (ms: number) => {
        sleeps.push(ms);
        callsWhileSleeping = fake.calls.length;
        await new Promise((resolve) => setTimeout(resolve, ms / 1000 + 1));
      };
      const client = clientWith({ sleep });

      const sent = await client.sendMessage(CHAT_ID, 'Saved 3.50 EUR', { budgetMs: 60_000 });

      expect(sleeps).toEqual([37_000]);
      expect(callsWhileSleeping).toBe(1);
      expect(fake.calls).toHaveLength(2);
      expect((fake.calls[1]?.at ?? 0) - (fake.calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(37);
      expect(sent).toHaveLength(1);
    });

    it('throws when retry_after exceeds budget', async () => {
      injectRecorded(fake, retryAfter5400);
      const sleep = jest.fn(async () => undefined);
      const client = clientWith({ sleep });

      const error = await thrownBy(() => client.sendMessage(CHAT_ID, 'Saved 3.50 EUR', { budgetMs: 60_000 }));

      expect(error).toBeInstanceOf(TelegramRateLimitError);
      expect((error as TelegramRateLimitError).retryAfterSeconds).toBe(5400);
      expect((error as TelegramRateLimitError).retryable).toBe(true);
      expect(sleep).not.toHaveBeenCalled();
      expect(fake.calls).toHaveLength(1);
    });

    it('throws without budget by default', async () => {
      injectRecorded(fake, retryAfter37);
      const client = clientWith({ sleep: async () => undefined });

      const error = await thrownBy(() => client.sendMessage(CHAT_ID, 'Saved 3.50 EUR'));

      expect((error as TelegramRateLimitError).retryAfterSeconds).toBe(37);
      expect(fake.calls).toHaveLength(1);
    });

    it('retries only once', async () => {
      injectRecorded(fake, retryAfter37);
      injectRecorded(fake, retryAfter37);
      const client = clientWith({ sleep: async () => undefined });

      const error = await thrownBy(() =>
        client.sendMessage(CHAT_ID, 'Saved 3.50 EUR', { budgetMs: 600_000 }),
      );

      expect(error).toBeInstanceOf(TelegramRateLimitError);
      expect(fake.calls).toHaveLength(2);
    });

    it('reads the delay from the description', async () => {
      const body = { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3' };
      fake.failNext('sendMessage', { status: 429, body });
      const sleeps: number[] = [];
      const client = clientWith({ sleep: async (ms) => void sleeps.push(ms) });

      await client.sendMessage(CHAT_ID, 'Saved 3.50 EUR', { budgetMs: 5_000 });

      expect(sleeps).toEqual([3_000]);
    });
  });

  describe('403 blocked', () => {
    it('maps a recorded 403 to TelegramBlockedError', async () => {
      injectRecorded(fake, blocked);

      const error = await thrownBy(() => clientWith().sendMessage(CHAT_ID, 'Weekly summary'));

      expect(error).toBeInstanceOf(TelegramBlockedError);
      expect((error as TelegramBlockedError).retryable).toBe(false);
      expect((error as TelegramBlockedError).chatId).toBe(CHAT_ID);
    });

    it('maps a blocked chat to TelegramBlockedError', async () => {
      fake.blockChat(CHAT_ID);

      const error = await thrownBy(() => clientWith().sendMessage(CHAT_ID, 'Weekly summary'));

      expect(error).toBeInstanceOf(TelegramBlockedError);
      expect(fake.calls).toHaveLength(1);
    });

    it('lists parts delivered before blocking', async () => {
      const blockAfterFirstSend = () => fake.blockChat(CHAT_ID);
      fake.on('call', blockAfterFirstSend);
      const text = 'Coffee 3.50 EUR. '.repeat(300);

      const error = await thrownBy(() => clientWith().sendMessage(CHAT_ID, text));
      fake.off('call', blockAfterFirstSend);

      expect(error).toBeInstanceOf(TelegramBlockedError);
      expect((error as TelegramBlockedError).deliveredMessages).toHaveLength(1);
    });
  });

  describe('harmless 400s', () => {
    it('resolves a recorded "not modified" edit', async () => {
      injectRecorded(fake, notModified);
      const request = notModified?.request as { chat_id: number; message_id: number; text: string };

      await clientWith().editMessageText(
        { chatId: request.chat_id, messageId: request.message_id },
        request.text,
      );

      expect(descriptionOf(fake.calls[0])).toMatch(/message is not modified/);
      expect(fake.calls).toHaveLength(1);
    });

    it('resolves a recorded expired query', async () => {
      injectRecorded(fake, queryTooOld);
      const logger = recordingLogger();

      await clientWith({ logger }).answerCallbackQuery('4382000000000000009', { text: 'Saved' });

      expect(logger.entries.map((entry) => entry.level)).toEqual(['info']);
    });

    it('resolves a query answered late', async () => {
      fake.registerCallbackQuery('4382000000000000009', { receivedAt: Date.now() - 40_000 });

      await clientWith().answerCallbackQuery('4382000000000000009', { text: 'Saved' });

      expect(descriptionOf(fake.calls[0])).toMatch(/^Bad Request: query is too old/);
    });

    it('resolves a query answered twice', async () => {
      fake.registerCallbackQuery('4382000000000000010');
      const client = clientWith();

      await client.answerCallbackQuery('4382000000000000010');
      await client.answerCallbackQuery('4382000000000000010');

      expect(fake.calls.map(statusOf)).toEqual([200, 400]);
    });
  });

  describe("can't parse entities", () => {
    const unparsable = formattingRequests.filter((request) => request.body.parse_mode !== undefined);

    it.each(unparsable.map((request) => [request.body.parse_mode, request.body.text, request.body] as const))(
      'resends %s once as plain text: %s',
      async (_mode, _text, body) => {
        const logger = recordingLogger();

        const message = await clientWith({ logger }).call('sendMessage', body);

        expect(message.text).toBe(body.text);
        expect(fake.calls.map(statusOf)).toEqual([400, 200]);
        expect(descriptionOf(fake.calls[0])).toMatch(/^Bad Request: can't parse entities: /);
        expect(fake.calls[1]?.params.parse_mode).toBeUndefined();
        expect(logger.entries.filter((entry) => entry.level === 'warn')).toHaveLength(1);
      },
    );

    it('reproduces the recorded descriptions', async () => {
      const client = clientWith();

      for (const request of unparsable) {
        await client.call('sendMessage', request.body);
        const expected = request.expected_telegram_error.description.replace(/\.\.\.$/, '');
        expect(descriptionOf(fake.calls.at(-2))?.startsWith(expected)).toBe(true);
      }
    });

    it('resends a split part alone', async () => {
      const text = `${'Coffee 3\\.50 EUR\\. '.repeat(250)}\n\nTotal 3.50`;

      const sent = await clientWith().sendMessage(CHAT_ID, text, { parseMode: 'MarkdownV2' });

      expect(sent).toHaveLength(2);
      expect(fake.calls.map(statusOf)).toEqual([200, 400, 200]);
    });
  });

  describe('server and network errors', () => {
    it('maps 500 to a retryable TelegramServerError', async () => {
      const body = { ok: false, error_code: 500, description: 'Internal Server Error' };
      fake.failNext('sendMessage', { status: 500, body });

      const error = await thrownBy(() => clientWith().sendMessage(CHAT_ID, 'Saved'));

      expect(error).toBeInstanceOf(TelegramServerError);
      expect((error as TelegramServerError).retryable).toBe(true);
      expect(fake.calls).toHaveLength(1);
    });

    it('maps a timeout to TelegramNetworkError', async () => {
      fake.failNext('sendMessage', 'timeout');

      const error = await thrownBy(() => clientWith({ requestTimeoutMs: 200 }).sendMessage(CHAT_ID, 'Saved'));

      expect(error).toBeInstanceOf(TelegramNetworkError);
      expect((error as TelegramNetworkError).timedOut).toBe(true);
      expect((error as TelegramNetworkError).retryable).toBe(true);
    });

    it('maps a reset to TelegramNetworkError', async () => {
      fake.failNext('sendMessage', 'reset');

      const error = await thrownBy(() => clientWith().sendMessage(CHAT_ID, 'Saved'));

      expect(error).toBeInstanceOf(TelegramNetworkError);
      expect((error as TelegramNetworkError).timedOut).toBe(false);
    });

    it('maps a wrong token to TelegramUnauthorizedError', async () => {
      const client = new TelegramApiClient({ token: '123:wrong-secret', baseUrl: fake.url });

      const error = await thrownBy(() => client.getMe());

      expect(error).toBeInstanceOf(TelegramUnauthorizedError);
      expect((error as TelegramUnauthorizedError).retryable).toBe(false);
    });

    it('maps other 400s to TelegramRequestError', async () => {
      const error = await thrownBy(() => clientWith().sendMessage('@nobody_here', 'Saved'));

      expect(error).toBeInstanceOf(TelegramRequestError);
      expect((error as TelegramRequestError).description).toBe('Bad Request: chat not found');
    });
  });

  describe('token secrecy', () => {
    const failures: Array<[string, (fake: FakeTelegram) => void]> = [
      ['429', (target) => injectRecorded(target, retryAfter5400)],
      ['403', (target) => injectRecorded(target, blocked)],
      ['500', (target) => target.failNext('sendMessage', { status: 500, body: { ok: false } })],
      ['reset', (target) => target.failNext('sendMessage', 'reset')],
      ['timeout', (target) => target.failNext('sendMessage', 'timeout')],
      [
        '400',
        (target) =>
          target.failNext('sendMessage', {
            status: 400,
            body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' },
          }),
      ],
    ];

    it.each(failures)('keeps the token out of %s errors', async (_name, inject) => {
      inject(fake);
      const logger = recordingLogger();
      const client = clientWith({ requestTimeoutMs: 200, logger });

      const error = await thrownBy(() => client.sendMessage(CHAT_ID, 'Saved'));

      expect(String(error)).not.toContain(fake.token);
      expect((error as Error).stack).not.toContain(fake.token);
      expect(JSON.stringify((error as Error).cause ?? null)).not.toContain(fake.token);
      expect(JSON.stringify(logger.entries)).not.toContain(fake.token);
    });

    it('keeps the token out of connection errors', async () => {
      const port = await closedPort();
      const client = new TelegramApiClient({ token: fake.token, baseUrl: `http://127.0.0.1:${port}` });

      const error = await thrownBy(() => client.getMe());

      expect(error).toBeInstanceOf(TelegramNetworkError);
      expect(String(error)).not.toContain(fake.token);
      expect((error as Error).stack).not.toContain(fake.token);
    });

    it('keeps the token out of download errors', async () => {
      const error = await thrownBy(() => clientWith().downloadFile('documents/missing.pdf'));

      expect(String(error)).not.toContain(fake.token);
      expect((error as Error).stack).not.toContain(fake.token);
    });
  });
});
